"""``nianbao backfill``: every list page of each portal, the records of the given years, resumable.

Each portal's crawl keeps Scrapy's JOBDIR (persistent scheduler queue and dupefilter) at
``<state-dir>/jobs/<portal>``. Scrapy writes the queue's bookkeeping only when a crawl stops
gracefully (Ctrl-C, SIGTERM, a limit), so a job directory is marked while its crawl runs: a marker
left behind means the last run was killed, its queue cannot be trusted, and the directory is started
afresh. Nothing is lost either way: the archive's writes are put-if-absent, and the crawl state in
the archive (``state/<portal>.json``) lets the restarted crawl skip, by conditional GET, the
documents already done. A finished backfill removes its job directory.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from crawler.registry import Portal

RUNNING = ".running"


def job_dir(state_dir: Path, portal: str) -> Path:
    return state_dir / "jobs" / portal


def open_job(path: Path) -> bool:
    """Prepare one portal's JOBDIR; False when the last run was killed and its queue is discarded."""
    killed = (path / RUNNING).exists()
    if killed:
        shutil.rmtree(path)
    path.mkdir(parents=True, exist_ok=True)
    (path / RUNNING).touch()
    return not killed


def close_job(path: Path, finish_reason: str | None) -> None:
    """A finished crawl's job is done; a stopped one keeps its queue for the next run; a killed one (its
    batch's process died, crawler/run/portalbatches.py) stays marked, so the next run starts it over."""
    if finish_reason == "finished":
        shutil.rmtree(path, ignore_errors=True)
    elif finish_reason != "process_died":
        (path / RUNNING).unlink(missing_ok=True)


def run_backfill(
    portals: Sequence[Portal], archive: str, years: tuple[int, int], state_dir: Path, *, log_level: str = "WARNING",
    extra_settings: Mapping[str, Any] = {}, **run: Any,
) -> dict[str, Any]:
    """Backfill ``portals`` into ``archive`` keeping ``years`` (first, last); return the run report. ``run``:
    more keywords of ``run_portals`` (a distributed job's ``crawl_id``, ``report_key``)."""
    from crawler.run.runner import run_portals

    jobs = {portal.name: job_dir(state_dir, portal.name) for portal in portals}
    for path in jobs.values():
        open_job(path)
    settings = {**extra_settings, "NIANBAO_YEARS": f"{years[0]}-{years[1]}", "NIANBAO_LOOKBACK_PAGES": 0}
    report = run_portals(portals, archive, log_level=log_level, extra_settings=settings,
                         portal_settings=lambda portal: {"JOBDIR": str(jobs[portal.name])}, **run)
    for entry in report["portals"]:
        close_job(jobs[entry["portal"]], entry["finish_reason"])
    return report
