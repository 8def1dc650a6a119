"""Whole WARC files, byte for byte, against tests/golden/warc/ (re-bless: ``python -m tests.warc_golden``)."""

from __future__ import annotations

import subprocess
import sys

from tests.support.warc_golden import CRAWLS, GOLDEN, MACHINE, write_crawls


def golden(crawl: str, suffix: str = ".warc") -> bytes:
    return (GOLDEN / f"nianbao-{crawl}-00000-{MACHINE}{suffix}").read_bytes()


def test_written_warc_bytes_equal_the_golden_files(tmp_path):
    written = write_crawls(tmp_path / "archive")
    names = [f"nianbao-{crawl}-00000-{MACHINE}.warc" for crawl in CRAWLS]
    names.append(f"nianbao-{CRAWLS[0]}-00000-{MACHINE}.warc.wet")
    assert sorted(written) == sorted(p.name for p in GOLDEN.glob("*.warc*")) == sorted(names)
    for name, data in written.items():
        assert data == (GOLDEN / name).read_bytes(), f"{name} differs: rerun `python -m tests.warc_golden` if meant"


def test_golden_files_pass_warcio_check(tmp_path):
    for path in sorted(GOLDEN.glob("*.warc*")):
        check = subprocess.run([sys.executable, "-m", "warcio.cli", "check", "-v", str(path)], capture_output=True,
                               text=True, timeout=60, check=False)
        assert check.returncode == 0 and check.stdout.count("digest pass") >= 2, check.stdout


def test_second_crawl_golden_holds_revisits_of_the_first(tmp_path):
    second = golden(CRAWLS[1])
    assert second.count(b"WARC-Type: revisit\r\n") == 5  # every body but the redirect's empty one, and the 304
    assert second.count(b"/revisit/identical-payload-digest\r\n") == 4
    assert second.count(b"/revisit/server-not-modified\r\n") == 1 and b"304 Not Modified" not in second
    assert second.count(b"WARC-Type: response\r\n") == 1 and b"HTTP/1.1 301 Moved Permanently" in second
    assert b"WARC-Nianbao-Rendered: true" in second and b"Proxy-Authorization" not in second


def test_texts_are_kept_out_of_the_capture_files():
    assert all(b"WARC-Type: conversion" not in golden(crawl) for crawl in CRAWLS)
    texts = golden(CRAWLS[0], ".warc.wet")
    assert texts.count(b"WARC-Type: conversion\r\n") == 1 and texts.count(b"WARC-Type: response") == 0
