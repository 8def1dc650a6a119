"""Whole WARC files, byte for byte, against tests/golden/warc/ (re-bless: ``python -m tests.warc_golden``)."""

from __future__ import annotations

import subprocess
import sys

from tests.warc_golden import CRAWLS, GOLDEN, write_crawls


def test_written_warc_bytes_equal_the_golden_files(tmp_path):
    written = write_crawls(tmp_path / "archive")
    assert sorted(written) == sorted(p.name for p in GOLDEN.glob("*.warc")) == [f"{c}-00000.warc" for c in CRAWLS]
    for name, data in written.items():
        assert data == (GOLDEN / name).read_bytes(), f"{name} differs: rerun `python -m tests.warc_golden` if meant"


def test_golden_files_pass_warcio_check(tmp_path):
    for path in sorted(GOLDEN.glob("*.warc")):
        check = subprocess.run([sys.executable, "-m", "warcio.cli", "check", "-v", str(path)], capture_output=True,
                               text=True, timeout=60, check=False)
        assert check.returncode == 0 and check.stdout.count("digest pass") >= 5, check.stdout


def test_second_crawl_golden_holds_revisits_of_the_first(tmp_path):
    second = (GOLDEN / f"{CRAWLS[1]}-00000.warc").read_bytes()
    assert second.count(b"WARC-Type: revisit\r\n") == 4  # every body but the redirect's empty one
    assert second.count(b"WARC-Type: response\r\n") == 1 and b"HTTP/1.1 301 Moved Permanently" in second
    assert b"WARC-Nianbao-Rendered: true" in second and b"Proxy-Authorization" not in second
