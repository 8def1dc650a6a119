"""The crawl state in the archive and the conditional-GET middleware that reads and feeds it."""

from __future__ import annotations

import asyncio
import hashlib

from scrapy import Spider
from scrapy.http import HtmlResponse, Request, Response
from scrapy.statscollectors import StatsCollector
from scrapy.utils.test import get_crawler

from crawler.archive.crawlstate import CrawlState, Validators
from crawler.archive.layout import raw_key, state_key
from crawler.downloadermiddlewares.conditional import ConditionalGetMiddleware
from crawler.run.session import session_of
from storage import open_storage

URL = "http://www.yangli.gov.test/xxgk/zfxxgknb/index.html"
BODY = "<html><body><a href='./index_1.html'>下一页</a></body></html>".encode()
SHA = hashlib.sha256(BODY).hexdigest()
VALIDATORS = Validators(SHA, "text/html; charset=utf-8", '"abc"', "Wed, 22 Jan 2025 00:00:00 GMT")


def test_state_round_trips_through_the_archive(tmp_path):
    storage = open_storage(str(tmp_path))
    assert CrawlState.load(storage, "yangli").urls == {}  # never crawled: empty
    state = CrawlState("yangli")
    state.remember(URL, VALIDATORS)
    state.mark_known(URL)
    storage.put(state_key("yangli"), state.to_bytes(), replace=True)
    loaded = CrawlState.load(storage, "yangli")
    assert (loaded.urls, loaded.known, loaded.changed) == ({URL: VALIDATORS}, {URL}, False)
    assert loaded.to_bytes() == state.to_bytes()
    loaded.remember(URL, VALIDATORS)
    loaded.mark_known(URL)
    assert not loaded.changed  # nothing new: nothing to save
    storage.put(state_key("other"), b'{"schema": "nianbao.state/0"}', replace=True)
    other = CrawlState.load(storage, "other")  # a state is a cache: an unknown one is reset, and saved anew
    assert (other.urls, other.known, other.changed) == ({}, set(), True)


def middleware(tmp_path) -> tuple[ConditionalGetMiddleware, CrawlState]:
    crawler = get_crawler(settings_dict={"NIANBAO_ARCHIVE_URI": str(tmp_path), "NIANBAO_CRAWL_STATE": True})
    crawler.stats = StatsCollector(crawler)
    state = CrawlState("yangli", {URL: VALIDATORS})
    crawler.spider = Spider("yangli")
    session_of(crawler).states["yangli"] = state
    return ConditionalGetMiddleware.from_crawler(crawler), state


def test_a_304_becomes_the_archived_body(tmp_path):
    open_storage(str(tmp_path)).put(raw_key(SHA), BODY)
    conditional, _ = middleware(tmp_path)
    request = Request(URL)
    conditional.process_request(request)
    assert request.headers[b"If-None-Match"] == b'"abc"'
    assert request.headers[b"If-Modified-Since"] == b"Wed, 22 Jan 2025 00:00:00 GMT"
    revalidated = asyncio.run(conditional.process_response(request, Response(URL, status=304, request=request)))
    assert isinstance(revalidated, HtmlResponse) and revalidated.status == 200 and revalidated.body == BODY
    assert revalidated.meta["nianbao_revalidated"] and revalidated.meta["raw_sha256"] == SHA
    assert revalidated.css("a::attr(href)").get() == "./index_1.html"


def test_a_304_whose_body_is_missing_is_fetched_again_in_full(tmp_path):
    conditional, _ = middleware(tmp_path)
    request = Request(URL)
    conditional.process_request(request)
    again = asyncio.run(conditional.process_response(request, Response(URL, status=304, request=request)))
    assert isinstance(again, Request) and again.dont_filter and again.meta["nianbao_unconditional"]
    assert b"If-None-Match" not in again.headers and b"If-Modified-Since" not in again.headers
    conditional.process_request(again)
    assert b"If-None-Match" not in again.headers


def test_a_200_updates_the_validators(tmp_path):
    conditional, state = middleware(tmp_path)
    request = Request(URL, meta={"raw_sha256": "f" * 64})
    response = Response(URL, status=200, request=request, body=b"new",
                        headers={"ETag": '"def"', "Content-Type": "text/html"})
    assert asyncio.run(conditional.process_response(request, response)) is response
    assert state.urls[URL] == Validators("f" * 64, "text/html", '"def"', None) and state.changed
