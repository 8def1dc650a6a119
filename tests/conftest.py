"""Shared fixtures: a real sample portal on 127.0.0.1 and a runner for the ``nianbao`` CLI."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from sampleportal.server import SamplePortal

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "sampleportal" / "seeds"
CLI_TIMEOUT = 180


@pytest.fixture
def sample_portal() -> Iterator[SamplePortal]:
    with SamplePortal() as portal:
        yield portal


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``nianbao`` in a fresh interpreter (Scrapy's reactor cannot restart in-process)."""
    return subprocess.run(
        [sys.executable, "-m", "crawler.cli", *args],
        capture_output=True,
        text=True,
        timeout=CLI_TIMEOUT,
        cwd=cwd or ROOT,
        check=False,
    )
