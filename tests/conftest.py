"""Fixtures only (helpers live in tests/support): a real sample portal on 127.0.0.1, crawled archives, a
real S3 server; and the markers every test gets from where it lives or what it uses (docs/TESTING.md)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from sampleportal.server import SamplePortal
from storage.seaweed import SeaweedS3
from tests.support.cli import run_cli


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


# Markers from the layout: tests/e2e crawls real servers through the CLI; a test using the S3 server is s3.
_DIRECTORY_MARKERS = {"e2e": "e2e"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        directory = Path(str(item.fspath)).parent.name
        if directory in _DIRECTORY_MARKERS:
            item.add_marker(_DIRECTORY_MARKERS[directory])
        if "seaweed" in getattr(item, "fixturenames", ()):
            item.add_marker("s3")
