"""Run report: per-portal counts from each crawl's stats, written to runs/<crawl-id>.json at the end."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler


def new_crawl_id(now: datetime | None = None) -> str:
    return (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%S%fZ")


def run_report_key(crawl_id: str) -> str:
    return f"runs/{crawl_id}.json"


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
        "errors": value("log_count/ERROR"),
    }


class PortalReport:
    """Keeps one portal crawl's outcome on its crawler (``crawler.nianbao_report``) for the run report."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PortalReport:
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_closed(self, spider: Spider, reason: str) -> None:
        self.crawler.nianbao_report = portal_report(spider, self.crawler.stats.get_stats(), reason)  # type: ignore[attr-defined]


def portal_report(spider: Spider, stats: dict[str, Any], reason: str) -> dict[str, Any]:
    return {
        "portal": getattr(spider, "portal", None),
        "spider": spider.name,
        "start_url": getattr(spider, "start_url", None),
        "start_error": stats.get("nianbao/start_error"),
        "started": _iso(stats.get("start_time")),
        "finished": _iso(datetime.now(UTC)),
        "finish_reason": reason,
        "counts": summarize(stats),
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


def _jsonable(value: Any) -> Any:
    return value if isinstance(value, int | float | str | bool | type(None)) else str(value)
