"""WARC capture end to end: the sample portal crawled over real HTTP, its WARC files read back."""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from crawler.archive.warcfiles import INDEX_FIELDS, host_label, index_key
from sampleportal.server import SamplePortal
from sampleportal.site import SAMPLE_HOST
from tests.support.cli import run_cli

HOME = f"http://{SAMPLE_HOST}/"
GZIP_PAGE = "/xxgk/zfxxgknb/202001/t20200120_1048702.html"  # 蓬溪, served gzip-encoded (catalog.py)


def crawl(portal: SamplePortal, archive: Path, *settings: str) -> dict:
    sets = [arg for setting in settings for arg in ("--set", setting)]
    result = run_cli("crawl", HOME, "--proxy", portal.url, "--archive", str(archive), *sets)
    assert result.returncode == 0, result.stderr
    (report,) = [json.loads(p.read_text(encoding="utf-8")) for p in archive.glob("runs/*.json")
                 if p.stem in result.stdout]
    return report


def warc_files(archive: Path, crawl_id: str, series: str = "warc") -> list[Path]:
    """The capture files of a crawl, or with ``series="wet"`` its text files."""
    return sorted((archive / series / crawl_id).glob("*.warc*.gz"))


def read_records(path: Path) -> list[dict]:
    """Every record of a file: its WARC headers, HTTP headers, stored payload and decoded content."""
    records = []
    with path.open("rb") as stream:
        iterator = ArchiveIterator(stream)
        for record in iterator:
            raw = record.raw_stream.read()
            records.append({"type": record.rec_type, "headers": dict(record.rec_headers.headers),
                            "http": record.http_headers, "payload": raw, "offset": iterator.get_record_offset()})
    return records


def content(record: dict) -> bytes:
    encoding = record["http"].get_header("Content-Encoding") if record["http"] else None
    return gzip.decompress(record["payload"]) if encoding == "gzip" else record["payload"]


def warcio_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "warcio.cli", *args], capture_output=True, text=True,
                          timeout=120, check=False)


def reports(archive: Path) -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(archive.glob("reports/*/*.json"))]


@pytest.fixture(scope="module")
def twice(tmp_path_factory):
    """The sample portal crawled twice into one archive: the second crawl finds every body archived.

    The second crawl forgets the incremental state, so it fetches every body again instead of getting
    304s (those are server-not-modified revisits: tests/e2e/test_replay_pywb.py)."""
    archive = tmp_path_factory.mktemp("warc") / "archive"
    with SamplePortal() as portal:
        first = crawl(portal, archive)
        second = crawl(portal, archive, "NIANBAO_CRAWL_STATE=false")
    return archive, first, second, portal.site


def test_warcio_check_and_index_pass_and_the_index_beside_each_file_is_warcios(twice):
    archive, first, second, _ = twice
    paths = [path for report in (first, second) for series in ("warc", "wet")
             for path in warc_files(archive, report["crawl_id"], series)]
    assert len(paths) == 3  # the second crawl has no new text
    for path in paths:
        check = warcio_cli("check", "-v", str(path))
        assert check.returncode == 0 and "digest failed" not in check.stdout, check.stdout
        index = warcio_cli("index", "-f", ",".join(INDEX_FIELDS), str(path))
        assert index.returncode == 0, index.stderr
        assert index.stdout == (archive / index_key(path.relative_to(archive).as_posix())).read_text()


def test_every_fetch_has_a_request_and_a_response_with_the_bytes_the_server_sent(twice):
    archive, first, _, site = twice
    (path,) = warc_files(archive, first["crawl_id"])
    records = read_records(path)
    assert records[0]["type"] == "warcinfo"
    requests = [r for r in records if r["type"] == "request"]
    responses = {r["headers"]["WARC-Record-ID"]: r for r in records if r["type"] in ("response", "revisit")}
    assert len(requests) == len(responses) == first["counts"]["pages_fetched"] == 24  # 23 pages and robots.txt
    for request in requests:
        response = responses[request["headers"]["WARC-Concurrent-To"]]
        assert response["headers"]["WARC-Target-URI"] == request["headers"]["WARC-Target-URI"]
        assert request["http"].protocol == "GET" and request["http"].get_header("Host") == SAMPLE_HOST
    attachments = 0
    for response in responses.values():
        assert response["type"] == "response"  # nothing twice in the first crawl
        path = response["headers"]["WARC-Target-URI"].removeprefix(HOME[:-1])
        resource = site[path]
        accepted = "gzip" if path == GZIP_PAGE else ""
        assert response["payload"] == resource.served(accepted)[0]
        assert content(response) == resource.body
        assert response["http"].get_header("Content-Length") == str(len(response["payload"]))
        attachments += not path.endswith((".html", "/", ".txt"))
    assert attachments == 5


def test_gzip_response_replays_with_its_encoding(twice):
    archive, first, _, site = twice
    (path,) = warc_files(archive, first["crawl_id"])
    replayed = []
    with path.open("rb") as stream:
        for record in ArchiveIterator(stream):  # records are read lazily: take the body while on the record
            if record.rec_type == "response" and record.rec_headers.get_header("WARC-Target-URI").endswith(GZIP_PAGE):
                replayed.append((record.http_headers.get_header("Content-Encoding"), record.content_stream().read()))
    assert replayed == [("gzip", site[GZIP_PAGE].body)]  # warcio decodes the stored gzip as a replayer would
    served, _ = site[GZIP_PAGE].served("gzip, deflate")
    assert served[:2] == b"\x1f\x8b" and served != site[GZIP_PAGE].body


def test_report_records_point_at_the_response_record_of_their_document(twice):
    archive, first, *_ = twice
    records = reports(archive)
    assert records and all(r["source"]["warc_file"].startswith(f"warc/{first['crawl_id']}/") for r in records)
    for report in records:
        with (archive / report["source"]["warc_file"]).open("rb") as stream:
            stream.seek(report["source"]["warc_offset"])
            record = next(iter(ArchiveIterator(stream)))
            assert record.rec_type == "response"
            assert record.rec_headers.get_header("WARC-Target-URI") == report["source"]["final_url"]
            assert hashlib.sha256(record.content_stream().read()).hexdigest() == report["source"]["raw_sha256"]
            if record.http_headers.get_header("Content-Encoding") is None:  # the same hash, base32 instead of hex
                algorithm, _, value = record.rec_headers.get_header("WARC-Payload-Digest").partition(":")
                assert (algorithm, base64.b32decode(value).hex()) == ("sha256", report["source"]["raw_sha256"])


def test_conversion_records_carry_the_text_and_refer_to_their_response(twice):
    archive, first, *_ = twice
    (path,) = warc_files(archive, first["crawl_id"])
    (texts_path,) = warc_files(archive, first["crawl_id"], "wet")
    records = read_records(path)
    responses = {r["headers"]["WARC-Record-ID"]: r for r in records if r["type"] == "response"}
    assert "conversion" not in {r["type"] for r in records}  # texts are kept out of the capture stream
    conversions = [r for r in read_records(texts_path) if r["type"] == "conversion"]
    texts = {r["source"]["final_url"]: r["text"] for r in reports(archive) if r["text"]}
    assert len(conversions) == len(texts) == 11  # 12 records, less the scan without text
    for conversion in conversions:
        response = responses[conversion["headers"]["WARC-Refers-To"]]
        assert response["headers"]["WARC-Target-URI"] == conversion["headers"]["WARC-Target-URI"]
        assert conversion["headers"]["Content-Type"] == "text/plain; charset=utf-8"
        assert conversion["payload"].decode("utf-8") == texts[conversion["headers"]["WARC-Target-URI"]]


def test_second_crawl_writes_revisits_of_the_first_crawls_responses(twice):
    archive, first, second, _ = twice
    (first_path,) = warc_files(archive, first["crawl_id"])
    originals = {r["headers"]["WARC-Target-URI"]: r for r in read_records(first_path) if r["type"] == "response"}
    (path,) = warc_files(archive, second["crawl_id"])
    records = read_records(path)
    revisits = [r for r in records if r["type"] == "revisit"]
    assert {r["type"] for r in records} == {"warcinfo", "request", "revisit"}
    assert len(revisits) == second["counts"]["pages_fetched"] == 24
    for revisit in revisits:
        original = originals[revisit["headers"]["WARC-Target-URI"]]
        assert revisit["headers"]["WARC-Profile"].endswith("/warc/1.1/revisit/identical-payload-digest")
        assert revisit["headers"]["WARC-Refers-To"] == original["headers"]["WARC-Record-ID"]
        assert revisit["headers"]["WARC-Refers-To-Target-URI"] == original["headers"]["WARC-Target-URI"]
        assert revisit["headers"]["WARC-Refers-To-Date"] == original["headers"]["WARC-Date"]
        assert revisit["headers"]["WARC-Payload-Digest"] == original["headers"]["WARC-Payload-Digest"]
        assert revisit["payload"] == b""


def test_small_size_limit_rotates_into_several_files(sample_portal, tmp_path):
    archive = tmp_path / "archive"
    report = crawl(sample_portal, archive, "NIANBAO_WARC_MAX_BYTES=30000")
    paths = warc_files(archive, report["crawl_id"])
    crawl_id, host = report["crawl_id"], host_label()
    assert [p.name for p in paths] == [f"nianbao-{crawl_id}-{n:05d}-{host}.warc.gz" for n in range(len(paths))]
    assert len(paths) >= 3
    types = []
    for path in paths:
        records = read_records(path)
        ids = {r["headers"]["WARC-Record-ID"] for r in records}
        assert all(r["headers"]["WARC-Concurrent-To"] in ids for r in records if r["type"] == "request")
        assert records[0]["type"] == "warcinfo" and records[0]["payload"].count(b"isPartOf: ") == 1
        assert records[0]["headers"]["WARC-Filename"] == path.name
        # A file is closed after the record that reaches the limit: only the last one may be smaller.
        assert path == paths[-1] or path.stat().st_size >= 30000
        types += [r["type"] for r in records]
        assert warcio_cli("check", str(path)).returncode == 0
    assert types.count("request") == types.count("response") == 24
    for record in reports(archive):
        assert record["source"]["warc_file"] in {f"warc/{report['crawl_id']}/{p.name}" for p in paths}


def test_warc_off_writes_no_warc_and_leaves_the_fields_empty(sample_portal, tmp_path):
    archive = tmp_path / "archive"
    crawl(sample_portal, archive, "NIANBAO_WARC=false")
    assert not (archive / "warc").exists()
    assert {(r["source"]["warc_file"], r["source"]["warc_offset"]) for r in reports(archive)} == {(None, None)}


def test_one_gzip_member_per_record(twice):
    archive, first, *_ = twice
    (path,) = warc_files(archive, first["crawl_id"])
    data = path.read_bytes()
    offsets = [r["offset"] for r in read_records(path)]
    for start, end in zip(offsets, [*offsets[1:], len(data)], strict=True):
        assert gzip.decompress(data[start:end]).startswith(b"WARC/1.1\r\n")
    assert b"".join(gzip.decompress(data[s:e]) for s, e in zip(offsets, [*offsets[1:], len(data)], strict=True)) \
        == gzip.GzipFile(fileobj=io.BytesIO(data)).read()


def test_set_without_a_value_is_a_usage_error(tmp_path):
    result = run_cli("crawl", HOME, "--archive", str(tmp_path / "archive"), "--set", "NIANBAO_WARC")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == "error: invalid --set 'NIANBAO_WARC': expected NAME=VALUE, e.g. NIANBAO_WARC=false\n"
