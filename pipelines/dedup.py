"""Recognise a report text already archived (same report_id), across URLs and across runs.

The index is rebuilt from the archive's report keys when the spider opens, so it survives restarts
and needs no state beyond the archive itself.
"""

from __future__ import annotations

import asyncio

from scrapy.crawler import Crawler

from crawler.archiving import storage_from_settings
from crawler.items import DocumentItem
from pipelines.keys import record_key, report_id_from_key


class DedupPipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats
        self.storage = storage_from_settings(crawler.settings)
        self.index: dict[str, str] = {}
        self.seen_this_run: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupPipeline:
        return cls(crawler)

    async def open_spider(self) -> None:
        keys = await asyncio.to_thread(lambda: list(self.storage.keys("reports/")))
        self.index = {rid: key for key in keys if (rid := report_id_from_key(key))}
        self.stats.set_value("nianbao/index_size_at_start", len(self.index))

    def process_item(self, item: DocumentItem) -> DocumentItem:
        assert item.record is not None, "DedupPipeline must run after ExtractPipeline"
        report_id = item.record["report_id"]
        if report_id not in self.seen_this_run:
            self.seen_this_run.add(report_id)
            kind = "reports" if item.record["is_report"] else "lookalikes"
            self.stats.inc_value(f"nianbao/distinct_{kind}")
        if report_id in self.index:
            item.duplicate_of = self.index[report_id]
        else:
            self.index[report_id] = record_key(item.record)
        return item
