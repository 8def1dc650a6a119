"""Running the ``nianbao`` command as a user does, and the paths tests read."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from crawler.archive.reparse import CRAWL_FIELDS
from sampleportal.server import SAMPLE_HOST

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "sampleportal" / "seeds"
SEED_STATS = ROOT / "tests" / "eval" / "truth" / "seed_stats.json"  # the seeds' statistics, checked by hand
CLI_TIMEOUT = 180
HOME = f"http://{SAMPLE_HOST}/"  # the sample portal's home page


def seed_truth() -> dict:
    return json.loads(SEED_STATS.read_text(encoding="utf-8"))


def run_cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``nianbao`` in a fresh interpreter (Scrapy's reactor cannot restart in-process)."""
    return subprocess.run(
        [sys.executable, "-m", "crawler.run.cli", *args],
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
