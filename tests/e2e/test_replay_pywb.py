"""pywb replays the demo archive after two crawls: originals byte for byte, 304s as the captures they confirm.

The collection is built the way docs/ARCHIVE.md tells a reader to: ``wb-manager init`` and ``wb-manager add``
with the capture WARCs (``warc/*/*.warc.gz``), served by ``wayback`` on 127.0.0.1.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import stat
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest

from tests.support.pywb import Wayback, build_collection, decoded, report_pages

HOST = "www.yangli.gov.test"
NOT_MODIFIED = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"


@pytest.fixture(scope="module")
def wayback(demo_twice, tmp_path_factory):
    root = tmp_path_factory.mktemp("pywb")
    build_collection(root, "demo", sorted(demo_twice.glob("warc/*/*.warc.gz")))
    with Wayback(root) as server:
        yield server


def captures_written(archive: Path) -> set[tuple[str, str, str]]:
    """(URL, WARC file name, offset) of every response and revisit record in the capture WARCs."""
    return {(line["warc-target-uri"], path.name.replace(".index.jsonl", ".warc.gz"), line["offset"])
            for path in archive.glob("warc/*/*.index.jsonl")
            for line in map(json.loads, path.read_text(encoding="utf-8").splitlines())
            if line["warc-type"] in ("response", "revisit")}


def test_every_capture_of_a_report_page_replays_with_its_original_bytes(demo_twice, wayback):
    pages = report_pages(demo_twice)
    assert len(pages) == 17  # 12 records: 7 inline reports and look-alikes, 5 attachments with their pages
    revisits = 0
    for url, sha256 in sorted(pages.items()):
        captures = wayback.cdx("demo", url)
        assert captures, url
        for capture in captures:
            status, headers, body = wayback.replay("demo", capture["timestamp"], url)
            assert status == 200, (url, capture)
            assert hashlib.sha256(decoded(headers, body)).hexdigest() == sha256, (url, capture)
            replayed_at = parsedate_to_datetime(headers["Memento-Datetime"]).strftime("%Y%m%d%H%M%S")
            assert replayed_at == capture["timestamp"]  # this capture, not a neighbour
            revisits += capture["mime"] == "warc/revisit"
    assert revisits >= 5  # the articles and attachments the second crawl was answered 304 for


def test_no_capture_is_a_304_or_an_extracted_text(demo_twice, wayback):
    captures = wayback.cdx("demo", f"{HOST}/*")
    # pywb indexes exactly the fetches: one capture per response or revisit record, nothing else.
    assert {(c["url"], c["filename"], c["offset"]) for c in captures} == captures_written(demo_twice)
    assert len(captures) == len(captures_written(demo_twice)) == 24 + 11
    assert all(capture.get("status") != "304" for capture in captures)
    assert {c["url"] for c in captures if c["mime"].startswith("text/plain")} == {f"http://{HOST}/robots.txt"}


def test_the_second_crawls_304s_are_server_not_modified_revisits(demo_twice):
    _, second = sorted(demo_twice.glob("warc/*/"))
    lines = [json.loads(line) for path in second.glob("*.index.jsonl")
             for line in path.read_text(encoding="utf-8").splitlines()]
    revisits = [line for line in lines if line["warc-type"] == "revisit"]
    assert revisits and not [line for line in lines if line["warc-type"] == "response"]
    (warc,) = second.glob("*.warc.gz")
    assert gzip.decompress(warc.read_bytes()).count(f"WARC-Profile: {NOT_MODIFIED}\r\n".encode()) == len(revisits)


def test_archive_objects_are_readable_under_umask_022(demo_twice):
    modes = {stat.S_IMODE(path.stat().st_mode) for path in demo_twice.rglob("*") if path.is_file()}
    assert modes == {0o644}
