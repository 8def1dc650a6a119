"""WARC records of single fetches: header relabelling, rendered pages, what the middleware takes from Scrapy."""

from __future__ import annotations

import asyncio
import gzip

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from crawler.core.warc import Exchange, RecordFactory, counted_ids, payload_digest, response_headers
from crawler.warccapture import WarcCaptureMiddleware, exchange_of
from crawler.warcfiles import WarcFiles
from pipelines.conversion import ConversionPipeline
from storage import LocalStorage, StorageError

BODY = gzip.compress(b"<html>report</html>", mtime=0)


def exchange(*headers: tuple[str, str], body: bytes = BODY, rendered: bool = False) -> Exchange:
    return Exchange("http://a.test/x", "GET", (), b"", 200, headers, body, rendered=rendered)


def test_transfer_headers_are_relabelled_and_content_encoding_kept():
    sent = exchange(("Content-Encoding", "gzip"), ("Transfer-Encoding", "chunked"), ("Content-Length", "7"))
    assert response_headers(sent) == [("Content-Encoding", "gzip"), ("X-Crawler-Transfer-Encoding", "chunked"),
                                      ("X-Crawler-Content-Length", "7"), ("Content-Length", str(len(BODY)))]


def test_a_true_content_length_is_kept_once():
    assert response_headers(exchange(("Content-Length", str(len(BODY))))) == [("Content-Length", str(len(BODY)))]


def test_rendered_fetches_are_marked_on_both_records():
    request, response = RecordFactory(record_ids=counted_ids()).fetch(exchange(rendered=True), None)
    assert b"WARC-Nianbao-Rendered: true\r\n" in request.data and b"WARC-Nianbao-Rendered: true\r\n" in response.data
    _, plain = RecordFactory(record_ids=counted_ids()).fetch(exchange(), None)
    assert b"WARC-Nianbao-Rendered" not in plain.data


@pytest.mark.parametrize(("meta", "flags", "rendered"), [
    ({"playwright": True}, [], True), ({}, ["rendered"], True), ({"playwright": False}, [], False), ({}, [], False),
])
def test_middleware_reads_rendering_from_meta_or_flags(meta, flags, rendered):
    request = Request("http://a.test/p?q=1", meta=meta, headers={"Accept": "text/html", "Cookie": ["a=1", "b=2"]})
    response = HtmlResponse("http://a.test/p?q=1", body=BODY, headers={"Content-Encoding": "gzip"}, flags=flags,
                            request=request, protocol="HTTP/1.1")
    captured = exchange_of(request, response)
    assert captured.rendered is rendered
    assert captured.body == BODY and captured.response_headers == (("Content-Encoding", "gzip"),)
    assert captured.request_headers == (("Accept", "text/html"), ("Cookie", "a=1"), ("Cookie", "b=2"))


def test_capture_parts_share_one_file_set_per_archive_and_crawl(tmp_path):
    settings = {"NIANBAO_ARCHIVE_URI": str(tmp_path), "NIANBAO_CRAWL_ID": "c1", "NIANBAO_WARC": True,
                "NIANBAO_WARC_MAX_BYTES": 1 << 20}
    middleware = WarcCaptureMiddleware.from_crawler(get_crawler(settings_dict=settings))
    pipeline = ConversionPipeline.from_crawler(get_crawler(settings_dict=settings))
    other = WarcCaptureMiddleware.from_crawler(get_crawler(settings_dict={**settings, "NIANBAO_CRAWL_ID": "c2"}))
    assert middleware.shared is pipeline.shared is not other.shared
    assert middleware.shared.users == 2 and middleware.shared.files.crawl_id == "c1"
    for component in (middleware, pipeline, other):
        asyncio.run(component.shared.release())
    assert middleware.shared.users == other.shared.users == 0
    again = WarcCaptureMiddleware.from_crawler(get_crawler(settings_dict=settings))
    assert again.shared is not middleware.shared  # the last release closed it
    asyncio.run(again.shared.release())


def test_warc_off_raises_not_configured(tmp_path):
    settings = {"NIANBAO_ARCHIVE_URI": str(tmp_path), "NIANBAO_WARC": False}
    for component in (WarcCaptureMiddleware, ConversionPipeline):
        with pytest.raises(NotConfigured):
            component.from_crawler(get_crawler(settings_dict=settings))


def test_new_files_continue_the_numbers_a_crawl_id_has_and_never_overwrite(tmp_path):
    storage = LocalStorage(tmp_path)
    first, second = (WarcFiles(storage, "c1", 1 << 20, RecordFactory(record_ids=counted_ids())) for _ in range(2))
    for files in (first, second):
        files.open()
        files.write_fetch(exchange(), payload_digest(BODY))
    first.close()
    with pytest.raises(StorageError, match="already exists"):
        second.close()  # opened before the first put 00000: a concurrent writer of the same crawl ID
    later = WarcFiles(storage, "c1", 1 << 20)
    later.open()
    later.write_fetch(exchange(), payload_digest(BODY))
    later.close()
    assert sorted(storage.keys("warc/")) == ["warc/c1/00000.index.jsonl", "warc/c1/00000.warc.gz",
                                            "warc/c1/00001.index.jsonl", "warc/c1/00001.warc.gz"]
    assert b"WARC-Type: revisit" in gzip.decompress(storage.get("warc/c1/00001.warc.gz"))
