"""Crawling portals in this process: one Scrapy crawler per portal, all in one run session."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from scrapy import Spider

from crawler.registry import Portal
from crawler.run.session import RunSession, open_archive
from storage import Storage, StorageError

logger = logging.getLogger(__name__)


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


@dataclass
class CrawlOutcome:
    """What crawling some portals of a run left for its run report."""

    reports: list[dict[str, Any]] = field(default_factory=list)  # one ``portal_report`` per portal crawled
    index_error: str | None = None  # the report index could not be saved at the end
    index_write_conflicts: int | None = None  # its saves refused because another worker saved first (merged)
    archive_error: str | None = None  # the remote archive failed: writes went to the spool


def crawl_here(
    portals: Sequence[Portal], settings: Any, portal_settings: Callable[[Portal], Mapping[str, Any]] = lambda _: {},
    storage: Storage | None = None,
) -> CrawlOutcome:
    """Crawl ``portals`` in this process with ``settings`` (``crawl_settings``) in one run session (on
    ``storage``, else the archive the settings name), then save the report index."""
    from scrapy.crawler import CrawlerProcess

    from spiders.generic import spider_for

    session = RunSession(storage or open_archive(settings), settings)
    process = CrawlerProcess(settings)
    queue = iter(portals)

    def start_next() -> None:
        portal = next(queue, None)
        if portal is None:
            return
        crawler = process.create_crawler(portal_spider(spider_for(portal.family), portal, portal_settings(portal)))
        session.attach(crawler)
        done = process.crawl(crawler, start_url=portal.home, portal=portal.name, allowed_domains=portal.allowed_domains,
                             extra_starts=portal.start_urls, region_code=portal.region_code)
        done.addBoth(finished)

    def finished(result: Any) -> Any:
        start_next()  # before Scrapy's join sees no crawl left and stops the reactor
        return result

    for _ in range(max(1, settings.getint("NIANBAO_PORTALS_AT_ONCE"))):
        start_next()
    try:
        process.start()
    finally:
        session.close()
    outcome = CrawlOutcome(reports=list(session.reports))
    try:
        session.flush_copies()
    except StorageError as exc:  # those URLs stay unknown in the crawl states: the next crawl merges them
        logger.error("copies not merged into their records: %s", exc)
    try:
        session.index.save(session.storage)  # the crawlers save it at most every NIANBAO_STATE_SAVE_INTERVAL
        outcome.index_write_conflicts = session.index.write_conflicts
    except StorageError as exc:  # derived: made level with the records by `nianbao index` (docs/ARCHIVE.md)
        outcome.index_error = str(exc)
    unavailable = getattr(session.storage, "unavailable", None)
    outcome.archive_error = str(unavailable) if unavailable else None
    return outcome
