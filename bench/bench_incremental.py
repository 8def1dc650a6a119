"""Incremental crawl cost: bytes and time of a re-crawl against a full crawl of the sample portal.

Baseline: a full crawl of the sample portal into an empty archive. Then, into the same archive, a
crawl of the unchanged portal (every page answers 304, paging stops at the first list page) and a
crawl after the portal published a new year (``SamplePortal(new_year=…)``: three new reports on the
first list page). Bytes are Scrapy's ``downloader/response_bytes``; time is the crawl's duration in
its run report (interpreter start excluded). Median of ``ROUNDS`` rounds, each with a fresh archive.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from statistics import median

from sampleportal.server import SamplePortal
from sampleportal.site import SAMPLE_HOST

ROUNDS = 3
KINDS = ("full", "unchanged", "new year")


def _crawl(portal: SamplePortal, archive: Path) -> tuple[int, float, int]:
    """(bytes received, seconds, new records) of one crawl of ``portal`` into ``archive``."""
    before = set(archive.glob("runs/*.json"))
    subprocess.run([sys.executable, "-m", "crawler.run.cli", "crawl", f"http://{SAMPLE_HOST}/", "--portal", "yangli",
                    "--proxy", portal.url, "--archive", str(archive)], check=True, capture_output=True)
    (path,) = set(archive.glob("runs/*.json")) - before
    (report,) = json.loads(path.read_text(encoding="utf-8"))["portals"]
    return report["counts"]["bytes_received"], report["duration_s"], report["counts"]["records_new"]


def _round(workdir: Path) -> dict[str, tuple[int, float, int]]:
    archive = workdir / "archive"
    with SamplePortal() as portal:
        results = {"full": _crawl(portal, archive), "unchanged": _crawl(portal, archive)}
    with SamplePortal(new_year=2024) as portal:
        results["new year"] = _crawl(portal, archive)
    return results


def run() -> str:
    rounds = []
    for number in range(ROUNDS):
        with tempfile.TemporaryDirectory(prefix=f"bench-incr-{number}-") as workdir:
            rounds.append(_round(Path(workdir)))
    figures = {kind: tuple(median(r[kind][i] for r in rounds) for i in range(3)) for kind in KINDS}
    full_bytes, full_time, _ = figures["full"]
    rows = [f"| {kind} | {size / 1024:.1f} KiB | {size / full_bytes:.3f} | {seconds:.2f} s |"
            f" {seconds / full_time:.2f} | {new:.0f} |" for kind, (size, seconds, new) in figures.items()]
    return "\n".join([
        "## Incremental crawls (bench/bench_incremental.py)",
        "",
        f"The sample portal (24 pages, 10 reports, 2 look-alikes), median of {ROUNDS} rounds, each into a fresh",
        "archive: a full crawl (baseline), then the same portal unchanged (every answer a 304, paging stopped",
        "at the first list page), then the portal with three reports of a new year on its first list page.",
        "Bytes: Scrapy's `downloader/response_bytes`; time: the crawl's `duration_s` in its run report.",
        "",
        "| crawl | received | bytes / full | time | time / full | new records |",
        "|---|---:|---:|---:|---:|---:|",
        *rows,
    ])
