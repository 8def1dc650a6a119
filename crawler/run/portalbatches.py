"""Crawl a big selection of portals in child processes, a batch each, so a run's memory stays bounded.

A crawl process's resident memory grows with the portals it has crawled even though its Python objects
do not (docs/BENCHMARKS.md, bench_regions: the C heap keeps freed memory, fragmented over the threads'
malloc arenas). A run over more than ``NIANBAO_PORTALS_PER_PROCESS`` portals therefore crawls them in
batches of that many, one child process after another. Each child crawls its batch as a run in one
process does (``crawler.run.inprocess.crawl_here``: same archive, same crawl id, ``NIANBAO_PORTALS_AT_ONCE`` at a
time), saves the report index for the next child, and hands its portal reports back; the parent merges
them into the run's one report. Memory freed by a child's exit is freed for good.

The parent forwards SIGTERM and SIGINT to the running child (which stops as a crawl does) and starts no
batch after one. A child that ends without reporting (killed, out of memory) leaves its portals in the
run report as failed, ``finish_reason`` ``process_died``; the next batch runs.
"""

from __future__ import annotations

import json
import pickle
import signal
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from types import FrameType
from typing import Any

from crawler.core.orphans import die_with_parent
from crawler.extensions.runreport import summarize
from crawler.registry import Portal
from crawler.run.inprocess import CrawlOutcome, crawl_here, crawl_settings

_FORWARDED = (signal.SIGTERM, signal.SIGINT)


@dataclass
class BatchJob:
    """Portals to crawl into an archive under one crawl id: what a child process needs, picklable."""

    archive: str
    crawl_id: str
    log_level: str
    settings: dict[str, Any]  # the run's settings over the project's (the command line's ``-s``)
    portals: list[tuple[Portal, dict[str, Any]]]  # each with the settings of its crawl only (a JOBDIR)

    def batches(self, size: int) -> list[BatchJob]:
        return [replace(self, portals=self.portals[start:start + size]) for start in range(0, len(self.portals), size)]


def crawl_in_batches(job: BatchJob, per_process: int) -> CrawlOutcome:
    """Crawl ``job``'s portals ``per_process`` at most per child process, one child at a time."""
    outcome = CrawlOutcome()
    signals: list[int] = []
    running: list[subprocess.Popen[bytes]] = []

    def forward(signum: int, _frame: FrameType | None) -> None:
        signals.append(signum)
        for child in running:
            if child.poll() is None:
                child.send_signal(signum)

    previous = {signum: signal.signal(signum, forward) for signum in _FORWARDED}
    try:
        for batch in job.batches(per_process):
            if signals:
                break
            part = crawl_batch(batch, running, stopping=signals)
            outcome.reports.extend(part.reports)
            outcome.index_error = part.index_error or outcome.index_error
            outcome.archive_error = part.archive_error or outcome.archive_error
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    return outcome


def crawl_batch(job: BatchJob, running: list[subprocess.Popen[bytes]] | None = None,
                stopping: list[int] | None = None) -> CrawlOutcome:
    """Crawl ``job`` in a child process and return what it reported. The child is put in ``running`` while
    it runs (for a signal handler to reach it); ``stopping`` non-empty means the run was told to stop."""
    running = [] if running is None else running
    with tempfile.TemporaryDirectory(prefix="nianbao-batch-") as tmp:
        job_path, result_path = Path(tmp) / "job.pickle", Path(tmp) / "outcome.json"
        job_path.write_bytes(pickle.dumps(job))
        # a process group of its own: a terminal's Ctrl-C reaches the child once, through the parent
        child = subprocess.Popen([sys.executable, "-m", "crawler.run.portalbatches", str(job_path), str(result_path)],
                                 process_group=0)
        running.append(child)
        try:
            status = child.wait()
        finally:
            running.remove(child)
        if result_path.exists():
            return CrawlOutcome(**json.loads(result_path.read_text(encoding="utf-8")))
    if stopping:  # stopped while the child was starting, before its crawl could catch the signal
        return CrawlOutcome([unreported(portal, "shutdown") for portal, _ in job.portals])
    error = f"its crawl process ended with status {status} before reporting"
    return CrawlOutcome([unreported(portal, "process_died", error) for portal, _ in job.portals])


def unreported(portal: Portal, reason: str, error: str | None = None) -> dict[str, Any]:
    """A ``portal_report`` for a portal whose crawl left none."""
    return {"portal": portal.name, "spider": None, "start_url": portal.home, "start_error": error, "started": None,
            "finished": None, "finish_reason": reason, "duration_s": None, "counts": summarize({}),
            "errors_by_kind": {}, "stats": {}}


def main(argv: list[str]) -> int:
    """The child: crawl the pickled ``BatchJob`` at ``argv[0]``, write its ``CrawlOutcome`` to ``argv[1]``."""
    die_with_parent()
    job_path, result_path = Path(argv[0]), Path(argv[1])
    job: BatchJob = pickle.loads(job_path.read_bytes())
    own = {portal.name: settings for portal, settings in job.portals}
    settings = crawl_settings(job.archive, job.crawl_id, job.log_level, job.settings)
    outcome = crawl_here([portal for portal, _ in job.portals], settings, lambda portal: own[portal.name])
    partial = result_path.with_name(result_path.name + ".part")
    partial.write_text(json.dumps(asdict(outcome), ensure_ascii=False), encoding="utf-8")
    partial.replace(result_path)  # whole or absent: the parent never reads half an outcome
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
