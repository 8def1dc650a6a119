"""Every private (or undocumented) Scrapy and scrapy-playwright name the engine overrides rely on still
exists, with the signature and the behaviour they rely on (crawler/engine/README.md). pyproject.toml pins both to
the tested minor versions; an upgrade that renames or reorders one of these fails here, loudly, instead
of silently switching an override off."""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable
from typing import Any

import scrapy_playwright.handler as playwright_handler
from scrapy.core.downloader import Downloader, Slot
from scrapy.core.scheduler import Scheduler
from scrapy.extensions.throttle import AutoThrottle
from scrapy.spidermiddlewares.depth import DepthMiddleware
from scrapy.utils import asyncio as scrapy_asyncio
from scrapy.utils import defer as scrapy_defer
from scrapy.utils.test import get_crawler
from scrapy_playwright.handler import Config, ScrapyPlaywrightDownloadHandler


def params(function: Callable[..., Any]) -> list[str]:
    return list(inspect.signature(function).parameters)


def source(function: Callable[..., Any]) -> str:
    return inspect.getsource(function)


def in_order(text: str, *parts: str) -> bool:
    """Whether ``parts`` all occur in ``text``, in this order."""
    positions = [text.find(part) for part in parts]
    return -1 not in positions and positions == sorted(positions)


def test_downloader_names_of_polite_downloader():
    # PoliteDownloader._process_queue replaces Scrapy's and calls these as Scrapy's does.
    assert params(Downloader._process_queue) == ["self", "slot"]
    assert params(Downloader._latercall) == ["self", "slot"]
    assert params(Downloader._wait_for_download) == ["self", "slot", "request", "queue_dfd"]
    assert inspect.iscoroutinefunction(Downloader._wait_for_download)
    assert params(scrapy_defer._schedule_coro) == ["coro"]
    assert params(scrapy_asyncio.call_later) == ["delay", "func", "args"]
    # Scrapy still calls _process_queue when a request is queued, when a delay ends and when a download ends.
    assert "self._process_queue(slot)" in source(Downloader._enqueue_request)
    assert "self._process_queue(slot)" in source(Downloader._latercall)
    # _download counts the request in slot.transferring itself (a set: adding it again is harmless), and
    # sends response_downloaded before it frees the slot (RetryAfterHold holds the slot from that signal).
    assert params(Downloader._download) == ["self", "slot", "request"]
    assert in_order(source(Downloader._download), "slot.transferring.add(request)", "signals.response_downloaded",
                    "slot.transferring.remove(request)", "self._process_queue(slot)")
    downloader = Downloader(get_crawler())
    assert downloader.slots == {} and params(downloader.get_slot_key) == ["request"]
    slot = Slot(2, 0.0, 0.0)  # concurrency, delay, no random variation
    assert slot.latercall is None and slot.lastseen == 0 and not slot.queue and slot.transferring == set()
    assert slot.download_delay() == 0.0 and slot.free_transfer_slots() == 2


def test_scheduler_names_of_the_disk_frontier():
    assert params(Scheduler._dqdir) == ["self", "jobdir"]
    assert params(Scheduler.open) == ["self", "spider"] and params(Scheduler.close) == ["self", "reason"]
    crawler = get_crawler()
    scheduler = Scheduler.from_crawler(crawler)
    assert scheduler.dqdir is None and scheduler.crawler is crawler  # no JOBDIR: no disk queue, until we give one


def test_playwright_handler_names_of_the_browser_handler():
    # Scrapy's async download-handler API: the handler connects _maybe_launch_in_thread (not _engine_started)
    # to engine_started, and download_request takes the request alone.
    assert playwright_handler._SCRAPY_ASYNC_API is True
    init = source(ScrapyPlaywrightDownloadHandler.__init__)
    assert "crawler.signals.connect(self._maybe_launch_in_thread, signals.engine_started)" in init
    assert "self.stats = crawler.stats" in init and "self.config = Config.from_settings(" in init
    launch = ScrapyPlaywrightDownloadHandler._maybe_launch_in_thread
    assert inspect.iscoroutinefunction(launch) and params(launch) == ["self"]
    assert "self._maybe_future_from_coro(self._launch())" in source(launch)  # on the loop the pages run on
    assert "self.browser_provider = " in source(ScrapyPlaywrightDownloadHandler._launch)
    download = ScrapyPlaywrightDownloadHandler.download_request
    assert inspect.iscoroutinefunction(download) and params(download) == ["self", "request"]
    assert "_maybe_future_from_coro" in source(download)
    assert "launch_options" in {field.name for field in dataclasses.fields(Config)}


def test_other_overridden_internals():
    assert params(AutoThrottle._adjust_delay) == ["self", "slot", "latency", "response"]  # RevalidatingAutoThrottle
    # PagingDepthMiddleware reads the attributes DepthMiddleware keeps its settings in.
    depth = DepthMiddleware.from_crawler(get_crawler(settings_dict={"DEPTH_LIMIT": 3, "DEPTH_PRIORITY": 1}))
    assert (depth.maxdepth, depth.stats, depth.prio) == (3, depth.crawler.stats, 1)
    assert params(DepthMiddleware.get_processed_request) == ["self", "request", "response"]
