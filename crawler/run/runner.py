"""Run one crawl over a list of portals, in this process or in batches of child processes; one run report."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from crawler.archive.layout import new_crawl_id, run_report_key
from crawler.extensions.runreport import report_bytes, run_report
from crawler.registry import Portal
from crawler.run.inprocess import crawl_here, crawl_settings
from crawler.run.session import open_archive
from storage import Storage, StorageError
from storage.spool import Drained, SpooledStorage


def run_portals(
    portals: Sequence[Portal], archive: str, *, log_level: str = "WARNING", extra_settings: Mapping[str, Any] = {},
    crawl_id: str | None = None, portal_settings: Callable[[Portal], Mapping[str, Any]] = lambda _: {},
    report_key: str | None = None,
) -> dict[str, Any]:
    """Crawl ``portals`` into ``archive``, ``NIANBAO_PORTALS_AT_ONCE`` at a time; write and return the run report
    (at ``report_key``, by default runs/<crawl-id>.json; one job of a distributed run writes its own).

    A portal's crawler starts when another's ends, so a run over a province holds the memory of a few
    crawlers, not of hundreds. A selection bigger than ``NIANBAO_PORTALS_PER_PROCESS`` is crawled in child
    processes, a batch each (crawler/run/portalbatches.py). ``portal_settings`` gives settings of one portal's
    crawl only (a backfill's JOBDIR)."""
    from crawler.run.portalbatches import BatchJob, crawl_in_batches

    crawl_id = crawl_id or new_crawl_id()
    started = datetime.now(UTC)
    settings = crawl_settings(archive, crawl_id, log_level, extra_settings)
    storage = open_archive(settings)
    storage.check_writable()
    drained = storage.drain() if isinstance(storage, SpooledStorage) else Drained()
    per_process = settings.getint("NIANBAO_PORTALS_PER_PROCESS")
    if 0 < per_process < len(portals):
        job = BatchJob(archive, crawl_id, log_level, dict(extra_settings),
                       [(portal, dict(portal_settings(portal))) for portal in portals])
        outcome = crawl_in_batches(job, per_process)
    else:
        outcome = crawl_here(portals, settings, portal_settings, storage)
    order = {portal.name: number for number, portal in enumerate(portals)}
    reports = sorted(outcome.reports, key=lambda report: order.get(report["portal"], len(order)))
    report = run_report(crawl_id, storage.location, reports, started)
    report["spool"] = spool_report(storage, drained)
    if report["spool"] is not None and outcome.archive_error and not report["spool"]["archive_error"]:
        report["spool"]["archive_error"] = outcome.archive_error
    if outcome.index_error:
        report["index_error"] = outcome.index_error
    if outcome.index_write_conflicts is not None:
        report["index_write_conflicts"] = outcome.index_write_conflicts  # saves another worker's came before
    try:
        storage.put(report_key or run_report_key(crawl_id), report_bytes(report))
    except StorageError as exc:  # a full disk: the summary is still printed, and the exit status says it
        report["run_report_error"] = str(exc)
    return report


def spool_report(storage: Storage, drained: Drained) -> dict[str, Any] | None:
    """What the spool did this run: writes uploaded from an earlier run, spooled documents kept aside because
    a newer version was archived meanwhile, writes kept for the next run."""
    if not isinstance(storage, SpooledStorage):
        return None
    return {"dir": str(storage.spool), "uploaded_from_earlier_runs": drained.uploaded,
            "kept_aside": drained.kept_aside, "pending": storage.pending(),
            "archive_error": str(storage.unavailable) if storage.unavailable else None}
