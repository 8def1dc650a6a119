"""Shared fixtures: a real sample portal on 127.0.0.1 and a runner for the ``nianbao`` CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.reparse import CRAWL_FIELDS
from sampleportal.server import SamplePortal
from storage.seaweed import SeaweedS3

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "sampleportal" / "seeds"
CLI_TIMEOUT = 180


@pytest.fixture
def sample_portal() -> Iterator[SamplePortal]:
    with SamplePortal() as portal:
        yield portal


@pytest.fixture(scope="session")
def crawled_archive(tmp_path_factory) -> Path:
    """The sample portal crawled once into a local archive; the portal is stopped afterwards, so nothing
    reading it can fetch. Tests that change the archive work on a copy."""
    archive = tmp_path_factory.mktemp("crawled") / "archive"
    with SamplePortal() as portal:
        result = run_cli("crawl", portal.home_url, "--proxy", portal.url, "--archive", str(archive))
    assert result.returncode == 0, result.stderr
    return archive


@pytest.fixture(scope="session")
def demo_twice(tmp_path_factory) -> Path:
    """``nianbao demo`` twice into one archive under umask 022: the second crawl's answers are 304s.
    Tests that change the archive work on a copy."""
    archive = tmp_path_factory.mktemp("demo-twice") / "archive"
    previous = os.umask(0o022)
    try:
        for _ in range(2):
            result = run_cli("demo", "--archive", str(archive))
            assert result.returncode == 0, result.stderr
    finally:
        os.umask(previous)
    return archive


@pytest.fixture(scope="session")
def seaweed() -> Iterator[SeaweedS3]:
    """A real S3 server (SeaweedFS) for the whole test session; tests use their own key prefixes."""
    with SeaweedS3(bucket="nianbao-test") as server:
        yield server


@pytest.fixture
def s3_env(seaweed: SeaweedS3, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Point boto3 in this process at the SeaweedFS server; returns the variables for child processes."""
    for name, value in seaweed.env.items():
        monkeypatch.setenv(name, value)
    return seaweed.env


def run_cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``nianbao`` in a fresh interpreter (Scrapy's reactor cannot restart in-process)."""
    return subprocess.run(
        [sys.executable, "-m", "crawler.cli", *args],
        capture_output=True,
        text=True,
        timeout=CLI_TIMEOUT,
        cwd=cwd or ROOT,
        check=False,
        env={**os.environ, **env} if env else None,
    )


def without_crawl_fields(data: bytes) -> dict:
    """A report record without what differs from one crawl of the same bytes to the next (fetch time, WARC)."""
    record = json.loads(data)
    for name in CRAWL_FIELDS:
        record["source"].pop(name, None)
    return record
