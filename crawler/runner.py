"""Run one crawl over a list of portals: one Scrapy crawler per portal, one run report for all."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from scrapy import Spider
from scrapy.crawler import Crawler

from crawler.archiving import session_from_settings, storage_from_settings
from crawler.registry import Portal
from crawler.runreport import new_crawl_id, report_bytes, run_report, run_report_key
from storage import Storage, StorageError
from storage.spool import SpooledStorage


def crawl_settings(archive: str, crawl_id: str, log_level: str, extra: Mapping[str, Any]) -> Any:
    """Scrapy's defaults < the project's settings < a user's ``SCRAPY_SETTINGS_MODULE`` < a portal's
    registry overrides (spider priority, ``portal_spider``) < ``-s`` and the command line."""
    from scrapy.utils.project import get_project_settings

    settings = get_project_settings()  # the user's module (or scrapy.cfg's, the project's) at "project"
    settings.setmodule("crawler.settings", priority="command")  # under it: fills only what the user left
    settings.set("NIANBAO_ARCHIVE_URI", archive, priority="cmdline")
    settings.set("NIANBAO_CRAWL_ID", crawl_id, priority="cmdline")
    settings.set("LOG_LEVEL", log_level, priority="cmdline")
    settings.setdict(dict(extra), priority="cmdline")
    return settings


def portal_spider(spider: type[Spider], portal: Portal, extra: Mapping[str, Any] = {}) -> type[Spider]:
    """``spider`` with the portal's overrides (and ``extra``) as its ``custom_settings`` (per-spider settings)."""
    overrides = {**portal.scrapy_settings(), **extra}
    if not overrides:
        return spider
    custom = {**(spider.custom_settings or {}), **overrides}
    return type(spider.__name__, (spider,), {"custom_settings": custom, "__module__": spider.__module__})


def run_portals(
    portals: Sequence[Portal], archive: str, *, log_level: str = "WARNING", extra_settings: Mapping[str, Any] = {},
    crawl_id: str | None = None, portal_settings: Callable[[Portal], Mapping[str, Any]] = lambda _: {},
    report_key: str | None = None,
) -> dict[str, Any]:
    """Crawl ``portals`` into ``archive``, ``NIANBAO_PORTALS_AT_ONCE`` at a time; write and return the run report
    (at ``report_key``, by default runs/<crawl-id>.json; one job of a distributed run writes its own).

    A portal's crawler starts when another's ends, so a run over a province holds the memory of a few
    crawlers, not of hundreds. ``portal_settings`` gives settings of one portal's crawl only (a backfill's
    JOBDIR)."""
    from scrapy.crawler import CrawlerProcess

    from spiders.families import spider_for

    crawl_id = crawl_id or new_crawl_id()
    started = datetime.now(UTC)
    settings = crawl_settings(archive, crawl_id, log_level, extra_settings)
    storage = storage_from_settings(settings)
    storage.check_writable()
    uploaded = storage.drain() if isinstance(storage, SpooledStorage) else 0
    process = CrawlerProcess(settings)
    reports: list[dict[str, Any]] = []
    queue = iter(portals)

    def start_next() -> None:
        portal = next(queue, None)
        if portal is None:
            return
        crawler = process.create_crawler(portal_spider(spider_for(portal.family), portal, portal_settings(portal)))
        done = process.crawl(crawler, start_url=portal.home, portal=portal.name, allowed_domains=portal.allowed_domains,
                             extra_starts=portal.start_urls, region_code=portal.region_code)
        done.addBoth(finished, crawler)

    def finished(result: Any, crawler: Crawler) -> Any:
        reports.append(crawler.nianbao_report)  # type: ignore[attr-defined]
        start_next()  # before Scrapy's join sees no crawl left and stops the reactor
        return result

    for _ in range(max(1, settings.getint("NIANBAO_PORTALS_AT_ONCE"))):
        start_next()
    process.start()
    order = {portal.name: number for number, portal in enumerate(portals)}
    reports.sort(key=lambda report: order.get(report["portal"], len(order)))
    report = run_report(crawl_id, storage.location, reports, started)
    report["spool"] = spool_report(storage, uploaded)
    session = session_from_settings(settings)
    try:
        if session.index is not None:
            session.index.save(storage)  # the crawlers save it at most every NIANBAO_STATE_SAVE_INTERVAL
            report["index_write_conflicts"] = session.index.write_conflicts  # saves another worker's came before
    except StorageError as exc:  # derived: rebuilt from the records at the next load (docs/ARCHIVE.md)
        report["index_error"] = str(exc)
    try:
        storage.put(report_key or run_report_key(crawl_id), report_bytes(report))
    except StorageError as exc:  # a full disk: the summary is still printed, and the exit status says it
        report["run_report_error"] = str(exc)
    return report


def spool_report(storage: Storage, uploaded: int) -> dict[str, Any] | None:
    """What the spool did this run: writes uploaded from an earlier run, writes kept for the next."""
    if not isinstance(storage, SpooledStorage):
        return None
    return {"dir": str(storage.spool), "uploaded_from_earlier_runs": uploaded, "pending": storage.pending(),
            "archive_error": str(storage.unavailable) if storage.unavailable else None}
