"""Run report: per-portal counts from each crawl's stats, written to runs/<crawl-id>.json at the end."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler

from crawler.run.session import session_of
from crawler.spidermiddlewares.paging import DEPTH_SKIPPED, LIST_PAGES_SKIPPED


def summarize(stats: dict[str, Any]) -> dict[str, int]:
    value = lambda name: int(stats.get(name, 0))  # noqa: E731
    return {
        "pages_fetched": value("downloader/response_count"),
        "browser_pages": value("nianbao/browser_pages"),
        "reports_found": value("nianbao/distinct_reports"),
        "lookalikes_recorded": value("nianbao/distinct_lookalikes"),
        "records_new": value("nianbao/records_new"),
        "records_known": value("nianbao/records_known"),
        "duplicates_merged": value("nianbao/duplicates_merged"),
        "objects_written": value("nianbao/objects_written"),
        "objects_spooled": value("nianbao/objects_spooled"),
        "errors": value("nianbao/error_logs"),
        "not_modified": value("nianbao/not_modified"),
        "unchanged": value("nianbao/unchanged_documents"),
        "bytes_received": value("downloader/response_bytes"),
        "list_pages_skipped": value(LIST_PAGES_SKIPPED),
        "links_too_deep": value(DEPTH_SKIPPED),
    }


def errors_by_kind(stats: dict[str, Any]) -> dict[str, int]:
    """Errors and failed answers by kind: start, fetch, unreadable, http_<status ≥ 400>, exception:<type>."""
    kinds = {"start": 1} if stats.get("nianbao/start_error") else {}
    for name, kind in (("nianbao/fetch_errors", "fetch"), ("nianbao/unreadable_documents", "unreadable")):
        if stats.get(name):
            kinds[kind] = int(stats[name])
    for key, count in sorted(stats.items()):
        if key.startswith("downloader/response_status_count/") and int(key.rsplit("/", 1)[1]) >= 400:
            kinds["http_" + key.rsplit("/", 1)[1]] = int(count)
        elif key.startswith("downloader/exception_type_count/"):
            kinds["exception:" + key.rsplit(".", 1)[-1]] = int(count)
    return kinds


class SpiderErrorCounter(logging.Handler):
    """Counts ERROR records of one crawler's spider (``nianbao/error_logs``).

    Scrapy's ``log_count/ERROR`` counts every record of the process, so with one crawler per portal a
    portal's error would count against all of them. Records naming no spider count for every portal.
    """

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(logging.ERROR)
        self.crawler = crawler

    def emit(self, record: logging.LogRecord) -> None:
        if getattr(record, "spider", None) in (None, self.crawler.spider):
            self.crawler.stats.inc_value("nianbao/error_logs")


class PortalReport:
    """Adds one portal crawl's outcome to its run session's reports, for the run report."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.session = session_of(crawler)
        self.errors = SpiderErrorCounter(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PortalReport:
        extension = cls(crawler)
        logging.root.addHandler(extension.errors)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_closed(self, spider: Spider, reason: str) -> None:
        logging.root.removeHandler(self.errors)
        self.session.reports.append(portal_report(spider, self.crawler.stats.get_stats(), reason))


def portal_report(spider: Spider, stats: dict[str, Any], reason: str) -> dict[str, Any]:
    return {
        "portal": getattr(spider, "portal", None),
        "spider": spider.name,
        "start_url": getattr(spider, "start_url", None),
        "start_error": stats.get("nianbao/start_error"),
        "started": _iso(stats.get("start_time")),
        "finished": _iso(datetime.now(UTC)),
        "finish_reason": reason,
        "duration_s": _seconds_since(stats.get("start_time")),
        "counts": summarize(stats),
        "errors_by_kind": errors_by_kind(stats),
        "stats": {key: _jsonable(value) for key, value in sorted(stats.items())},
    }


def run_report(crawl_id: str, archive: str, portals: list[dict[str, Any]], started: datetime) -> dict[str, Any]:
    """The whole run: totals over ``portals`` (each a ``portal_report``) and the portals themselves."""
    totals = {key: sum(p["counts"][key] for p in portals) for key in summarize({})}
    return {
        "crawl_id": crawl_id,
        "archive": archive,
        "started": _iso(started),
        "finished": _iso(datetime.now(UTC)),
        "start_url": portals[0]["start_url"] if len(portals) == 1 else None,
        "start_error": portals[0]["start_error"] if len(portals) == 1 else None,
        "portals_failed": sorted(p["portal"] for p in portals if p["start_error"] or p["counts"]["errors"]),
        "counts": totals,
        "portals": portals,
    }


def report_bytes(report: dict[str, Any]) -> bytes:
    return (json.dumps(report, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _iso(moment: Any) -> str | None:
    return moment.isoformat(timespec="seconds") if isinstance(moment, datetime) else None


def _seconds_since(moment: Any) -> float | None:
    return round((datetime.now(UTC) - moment).total_seconds(), 3) if isinstance(moment, datetime) else None


def _jsonable(value: Any) -> Any:
    return value if isinstance(value, int | float | str | bool | type(None)) else str(value)
