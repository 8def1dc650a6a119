"""WARC records of single fetches: header relabelling, rendered pages, what the middleware takes from Scrapy."""

from __future__ import annotations

import asyncio
import gzip
from dataclasses import replace
from io import BytesIO

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.http import HtmlResponse, Request
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler
from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecord

from crawler.archive.warcfiles import WarcFiles, host_label
from crawler.core.warc import Exchange, RecordFactory, counted_ids, response_headers
from crawler.downloadermiddlewares.warccapture import WarcCaptureMiddleware, exchange_of
from crawler.run.session import RunSession
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


def test_the_crawlers_of_a_run_share_its_warc_files(tmp_path):
    settings = {"NIANBAO_ARCHIVE_URI": str(tmp_path), "NIANBAO_CRAWL_ID": "c1", "NIANBAO_WARC": True,
                "NIANBAO_WARC_MAX_BYTES": 1 << 20}
    session = RunSession.from_settings(Settings(settings))
    first, second = get_crawler(settings_dict=settings), get_crawler(settings_dict=settings)
    session.attach(first)
    session.attach(second)
    middleware = WarcCaptureMiddleware.from_crawler(first)
    pipeline = ConversionPipeline.from_crawler(second)
    alone = WarcCaptureMiddleware.from_crawler(get_crawler(settings_dict={**settings, "NIANBAO_CRAWL_ID": "c2"}))
    assert middleware.shared is pipeline.shared is not alone.shared  # scrapy crawl: a session of its own
    assert middleware.shared.users == 2 and middleware.shared.files.crawl_id == "c1"
    assert alone.shared.files.crawl_id == "c2"
    asyncio.run(middleware.spider_closed())
    assert pipeline.shared.users == 1 and session.warc_files() is pipeline.shared  # still open for the other
    asyncio.run(session.release_warc_files())
    asyncio.run(pipeline.close_spider())
    again = WarcCaptureMiddleware.from_crawler(first)
    assert again.shared is not middleware.shared  # the last release closed it
    asyncio.run(again.spider_closed())
    asyncio.run(alone.spider_closed())


def test_warc_off_raises_not_configured(tmp_path):
    settings = {"NIANBAO_ARCHIVE_URI": str(tmp_path), "NIANBAO_WARC": False}
    for component in (WarcCaptureMiddleware, ConversionPipeline):
        with pytest.raises(NotConfigured):
            component.from_crawler(get_crawler(settings_dict=settings))


def test_new_files_continue_the_numbers_a_crawl_id_has_and_never_overwrite(tmp_path):
    storage = LocalStorage(tmp_path)
    first, second = (WarcFiles(storage, "c-1", 1 << 20, RecordFactory(record_ids=counted_ids()), host="h9")
                     for _ in range(2))
    for files in (first, second):
        files.open()
        files.write_fetch(exchange())
    first.close()
    with pytest.raises(StorageError, match="already exists"):
        second.close()  # opened before the first put 00000: a concurrent writer of the same crawl ID
    later = WarcFiles(storage, "c-1", 1 << 20, host="h9")
    later.open()
    later.write_fetch(exchange())
    later.close()
    assert sorted(storage.keys("warc/")) == [
        "warc/c-1/nianbao-c-1-00000-h9.index.jsonl", "warc/c-1/nianbao-c-1-00000-h9.warc.gz",
        "warc/c-1/nianbao-c-1-00001-h9.index.jsonl", "warc/c-1/nianbao-c-1-00001-h9.warc.gz"]
    second_file = gzip.decompress(storage.get("warc/c-1/nianbao-c-1-00001-h9.warc.gz"))
    assert b"WARC-Type: revisit" in second_file and b"WARC-Filename: nianbao-c-1-00001-h9.warc.gz\r\n" in second_file


def test_numbers_continue_after_files_of_the_old_layout(tmp_path):
    storage = LocalStorage(tmp_path)
    storage.put("warc/c1/00000.warc.gz", b"")
    storage.put("warc/c1/00001.warc.gz", b"")
    files = WarcFiles(storage, "c1", 1 << 20, host="h")
    files.open()
    files.write_fetch(exchange())
    files.close()
    assert "warc/c1/nianbao-c1-00002-h.warc.gz" in set(storage.keys("warc/"))


def test_host_label_keeps_names_safe():
    assert host_label("crawl box_1.example.org") == "crawl-box-1.example.org"
    assert host_label("..") == "localhost"


def test_texts_go_to_their_own_warc_and_refer_to_the_response(tmp_path):
    storage = LocalStorage(tmp_path)
    files = WarcFiles(storage, "c1", 1 << 20, host="h")
    files.open()
    ref, _ = files.write_fetch(exchange())
    text_ref = files.write_conversion("http://a.test/x", "正文", ref.record_id)
    files.close()
    assert text_ref.file == "wet/c1/nianbao-c1-00000-h.warc.wet.gz"
    assert b"WARC-Type: conversion" not in gzip.decompress(storage.get(ref.file))
    texts = gzip.decompress(storage.get(text_ref.file))
    assert b"WARC-Filename: nianbao-c1-00000-h.warc.wet.gz\r\n" in texts
    assert f"WARC-Refers-To: {ref.record_id}\r\n".encode() in texts and "正文".encode() in texts
    assert storage.exists("wet/c1/nianbao-c1-00000-h.index.jsonl")


def _records(data: bytes) -> list[tuple[ArcWarcRecord, bytes]]:
    return [(record, record.content_stream().read()) for record in ArchiveIterator(BytesIO(data))]


def test_a_304_is_a_server_not_modified_revisit_of_the_urls_last_capture(tmp_path):
    storage = LocalStorage(tmp_path)
    for crawl in ("c1", "c2"):
        files = WarcFiles(storage, crawl, 1 << 20, host="h")
        files.open()
        if crawl == "c1":
            first, _ = files.write_fetch(exchange(("Content-Type", "text/html"), ("Content-Encoding", "gzip")))
        else:
            ref, revisit = files.write_fetch(replace(exchange(("ETag", '"1"'),), status=304, body=b""))
            unknown, unknown_revisit = files.write_fetch(replace(exchange(), url="http://a.test/new", status=304,
                                                                 body=b""))
        files.close()
    assert (ref, revisit) == (first, True) and not unknown_revisit
    records = _records(storage.get(ref.file.replace("c1", "c2")))
    (not_modified, block), = [(r, b) for r, b in records if r.rec_type == "revisit"]
    headers = not_modified.rec_headers
    assert headers.get_header("WARC-Profile") == "http://netpreserve.org/warc/1.1/revisit/server-not-modified"
    assert headers.get_header("WARC-Refers-To") == first.record_id
    original = next(r for r, _ in _records(storage.get(first.file)) if r.rec_type == "response")
    assert headers.get_header("WARC-Refers-To-Target-URI") == "http://a.test/x"
    assert headers.get_header("WARC-Refers-To-Date") == original.rec_headers.get_header("WARC-Date")
    assert headers.get_header("WARC-Payload-Digest") == original.rec_headers.get_header("WARC-Payload-Digest")
    assert block == b"" and headers.get_header("Content-Length") == "0"  # replay shows the original's status
    # A 304 for a URL the archive never captured stays what it is: a response record.
    assert [r.http_headers.get_statuscode() for r, _ in records if r.rec_type == "response"] == ["304"]
    assert unknown.file == ref.file.replace("c1", "c2")


def test_an_old_304_response_is_not_taken_for_the_capture_of_its_url(tmp_path):
    storage = LocalStorage(tmp_path)
    old = WarcFiles(storage, "c1", 1 << 20, host="h")
    old.open()
    first, _ = old.write_fetch(exchange())
    old.latest.clear()  # as before 304s were revisits: the next 304 is written as a plain response
    old.write_fetch(replace(exchange(), status=304, body=b""))
    old.close()
    files = WarcFiles(storage, "c2", 1 << 20, host="h")
    files.open()
    assert files.latest["http://a.test/x"].ref == first
