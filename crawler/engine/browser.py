"""Chromium for the few pages that need it, through scrapy-playwright (docs/BROWSER.md).

``BrowserDownloadHandler`` is scrapy-playwright's download handler for http/https: requests without
``meta["playwright"]`` go through Scrapy's own HTTP client as before, and Playwright (its driver and
Debian's Chromium) is started only when the first request that needs a browser arrives.

The private scrapy-playwright names it relies on, pinned and tested: crawler/engine/README.md.
"""

from __future__ import annotations

import asyncio
import json
import os
from typing import Any

from playwright.async_api import Page
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.http import Request, Response
from scrapy.settings import BaseSettings
from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler

from crawler.core.challenge import SCRIPT_MARKERS, TEXT_MARKERS

_CLEARED_JS = (f"() => !{json.dumps(SCRIPT_MARKERS + TEXT_MARKERS, ensure_ascii=False)}"
               ".some(marker => document.documentElement.outerHTML.includes(marker))")


class BrowserNotFound(RuntimeError):
    """The configured Chromium executable does not exist."""


def launch_options(settings: BaseSettings) -> dict[str, Any]:
    """Chromium from ``NIANBAO_CHROMIUM``, headless, with ``NIANBAO_CHROMIUM_ARGS``; PLAYWRIGHT_LAUNCH_OPTIONS win."""
    return {"executable_path": settings.get("NIANBAO_CHROMIUM"), "headless": True,
            "args": settings.getlist("NIANBAO_CHROMIUM_ARGS"), **settings.getdict("PLAYWRIGHT_LAUNCH_OPTIONS")}


def context_options(settings: BaseSettings) -> dict[str, Any]:
    """Every browser context: Scrapy's User-Agent, and ``NIANBAO_PROXY`` for its pages.

    The proxy is set on the context, not the browser, so Chromium's own background traffic never goes
    through it: only the crawl's pages do.
    """
    proxy = settings.get("NIANBAO_PROXY")
    return {"user_agent": settings.get("USER_AGENT"), **({"proxy": {"server": proxy}} if proxy else {})}


class BrowserDownloadHandler(ScrapyPlaywrightDownloadHandler):
    """scrapy-playwright's handler, started lazily, configured from NIANBAO_* settings; counts its pages."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        crawler.signals.disconnect(self._maybe_launch_in_thread, signal=signals.engine_started)
        self.config.launch_options = launch_options(crawler.settings)
        self.context_options = context_options(crawler.settings)
        self._start_lock = asyncio.Lock()

    async def download_request(self, request: Request) -> Response:
        if not request.meta.get("playwright"):
            return await super().download_request(request)
        async with self._start_lock:
            if getattr(self, "browser_provider", None) is None:
                executable = self.config.launch_options.get("executable_path")
                if executable and not os.access(executable, os.X_OK):
                    raise BrowserNotFound(f"no Chromium at {executable}: apt-get install chromium, "
                                          "or set NIANBAO_CHROMIUM (or the NIANBAO_CHROMIUM variable) to its path")
                # On the loop the pages run on: the reactor's, or scrapy-playwright's own thread when
                # its threaded loop is on (Windows, ``_PLAYWRIGHT_THREADED_LOOP``).
                await self._maybe_launch_in_thread()
        request.meta.setdefault("playwright_context_kwargs", self.context_options)
        response = await super().download_request(request)
        self.stats.inc_value("nianbao/browser_pages")
        return response


async def pass_challenge(page: Page, timeout_ms: float) -> list[dict[str, Any]]:
    """Wait until the challenge script has set its cookie and the page it reloaded is no challenge any more;
    return the context's cookies for that page (playwright PageMethod)."""
    await page.wait_for_function(_CLEARED_JS, timeout=timeout_ms)
    await page.wait_for_load_state(timeout=timeout_ms)
    return await page.context.cookies(page.url)
