"""Run report: counts from the crawl stats, written to runs/<crawl-id>.json when the spider closes."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler

from crawler.archiving import storage_from_settings


def new_crawl_id(now: datetime | None = None) -> str:
    return (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%S%fZ")


def run_report_key(crawl_id: str) -> str:
    return f"runs/{crawl_id}.json"


def summarize(stats: dict[str, Any]) -> dict[str, int]:
    value = lambda name: int(stats.get(name, 0))  # noqa: E731
    return {
        "pages_fetched": value("downloader/response_count"),
        "reports_found": value("nianbao/distinct_reports"),
        "lookalikes_recorded": value("nianbao/distinct_lookalikes"),
        "records_new": value("nianbao/records_new"),
        "records_known": value("nianbao/records_known"),
        "duplicates_merged": value("nianbao/duplicates_merged"),
        "objects_written": value("nianbao/objects_written"),
        "errors": value("log_count/ERROR"),
    }


class RunReport:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.storage = storage_from_settings(crawler.settings)
        self.crawl_id = crawler.settings.get("NIANBAO_CRAWL_ID") or new_crawl_id()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunReport:
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_closed(self, spider: Spider, reason: str) -> None:
        stats = self.crawler.stats.get_stats()
        report = {
            "crawl_id": self.crawl_id,
            "spider": spider.name,
            "portal": getattr(spider, "portal", None),
            "start_url": getattr(spider, "start_url", None),
            "start_error": stats.get("nianbao/start_error"),
            "started": _iso(stats.get("start_time")),
            "finished": _iso(datetime.now(UTC)),
            "finish_reason": reason,
            "archive": self.storage.location,
            "counts": summarize(stats),
            "stats": {key: _jsonable(value) for key, value in sorted(stats.items())},
        }
        data = (json.dumps(report, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
        self.storage.put(run_report_key(self.crawl_id), data)


def _iso(moment: Any) -> str | None:
    return moment.isoformat(timespec="seconds") if isinstance(moment, datetime) else None


def _jsonable(value: Any) -> Any:
    return value if isinstance(value, int | float | str | bool | type(None)) else str(value)
