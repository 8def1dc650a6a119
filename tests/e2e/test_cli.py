"""Bad input: one clear line on stderr, a non-zero exit, nothing archived lost."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import urllib.request

import pytest

from sampleportal import docfiles, synthetic
from sampleportal.site import build_site
from tests.support.cli import run_cli


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_invalid_start_url(tmp_path):
    result = run_cli("crawl", "not-a-url", "--archive", str(tmp_path / "a"))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == ["error: invalid start URL 'not-a-url': expected http(s)://host/..."]


def test_unreachable_start_url(tmp_path):
    url = f"http://127.0.0.1:{closed_port()}/"
    result = run_cli("--log-level", "CRITICAL", "crawl", url, "--archive", str(tmp_path / "a"))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: cannot reach start URL {url}: ")
    assert "refused" in lines[0].lower()


def test_unwritable_archive(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("keep me")
    result = run_cli("crawl", "http://127.0.0.1:9/", "--archive", str(blocker / "archive"))
    assert result.returncode == 2
    assert result.stderr.strip().startswith("error: archive directory") and "not writable" in result.stderr
    assert blocker.read_text() == "keep me"


def test_parse_prints_the_record_of_one_page(tmp_path):
    page = next(r for path, r in build_site().items() if path.endswith("t20200120_1048702.html"))
    file = tmp_path / "page.html"
    file.write_bytes(page.body)
    result = run_cli("parse", str(file), "--json", "--url", "http://example.test/a.html")
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert list(record)[:3] == ["schema", "report_id", "is_report"]
    assert record["is_report"] is True and record["year"] == 2019 and record["agency"] == "蓬溪县政府办公室"
    assert record["source"]["url"] == "http://example.test/a.html"


def test_parse_missing_file(tmp_path):
    result = run_cli("parse", str(tmp_path / "nope.html"))
    assert result.returncode == 2
    assert result.stderr.strip().startswith("error: cannot read")


def test_sample_portal_runs_standalone_and_prints_its_address():
    proc = subprocess.Popen([sys.executable, "-m", "sampleportal", "--port", "0"], stdout=subprocess.PIPE, text=True)
    try:
        address = proc.stdout.readline().strip()
        assert address.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(address + "xxgk/zfxxgknb/index.html", timeout=10) as reply:
            page = reply.read().decode("utf-8")
        assert 'createPageHTML(3, 0, "index", "html")' in page
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.mark.parametrize("kind", sorted(docfiles.WRITERS))
def test_parse_reads_every_attachment_type(tmp_path, kind):
    document = synthetic.report("样例县审计局", 2020, seed=7)
    file = tmp_path / f"report.{kind}"
    file.write_bytes(docfiles.WRITERS[kind](document))
    result = run_cli("parse", str(file), "--json")
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert (record["source"]["kind"], record["is_report"], record["year"]) == (kind, True, 2020)
    assert record["agency"] == "样例县审计局"


def test_parse_unreadable_file_is_one_line_and_exit_2(tmp_path):
    file = tmp_path / "broken.pdf"
    file.write_bytes(docfiles.pdf_bytes(synthetic.report("样例县审计局", 2020))[:700])
    result = run_cli("parse", str(file))
    assert result.returncode == 2 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: cannot parse {file}: broken or truncated PDF")


def test_parse_url_fetches_the_document(sample_portal):
    url = sample_portal.url + "xxgk/zfxxgknb/202003/P0202003201049410.pdf"
    result = run_cli("parse", url, "--json")
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["source"]["url"] == url and record["source"]["content_type"] == "application/pdf"
    assert record["year"] == 2019 and record["agency"] == "样例县财政局"


def test_parse_unreachable_url(tmp_path):
    result = run_cli("parse", f"http://127.0.0.1:{closed_port()}/r.pdf")
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "cannot fetch" in result.stderr


def test_parse_scan_is_recorded_with_needs_ocr(tmp_path):
    file = tmp_path / "scan.pdf"
    file.write_bytes(docfiles.scanned_pdf_bytes())
    result = run_cli("parse", str(file), "--json")
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["source"]["needs_ocr"] is True and record["text"] == ""
    assert record["parser"]["warnings"][0] == "needs_ocr: 2 image-only page(s), no text layer"


def test_parse_zip_bomb_is_one_line_and_exit_2(tmp_path):
    import zipfile

    file = tmp_path / "bomb.docx"
    with zipfile.ZipFile(file, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<w:document/>" + b"0" * (64 * 1024 * 1024))
    result = run_cli("parse", str(file))
    assert result.returncode == 2 and result.stdout == ""
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"error: cannot parse {file}: zip expands ") and line.endswith("over the 200x limit")
