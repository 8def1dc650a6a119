"""Recognise a report text already archived (same report_id), across URLs, portals and runs.

The report index (crawler/archive/index.py) is loaded once per run and archive, shared by every
portal's crawler, and saved back into the archive when each crawler closes. A new text for an agency
and year that already has one is linked to the other versions in ``versions``.
"""

from __future__ import annotations

import asyncio
import time

from scrapy.crawler import Crawler

from crawler.archive.index import ReportIndex
from crawler.archive.layout import record_key
from crawler.items import DocumentItem
from crawler.run.session import session_of


class DedupPipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats
        self.session = session_of(crawler)
        self.save_interval = crawler.settings.getfloat("NIANBAO_STATE_SAVE_INTERVAL")
        self.seen_this_run: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupPipeline:
        return cls(crawler)

    @property
    def index(self) -> ReportIndex:
        assert self.session.index is not None, "DedupPipeline.open_spider loads the index"
        return self.session.index

    async def open_spider(self) -> None:
        async with self.session.index_loading:
            if self.session.index is None:
                self.session.index = await asyncio.to_thread(ReportIndex.load, self.session.storage)
        self.stats.set_value("nianbao/index_size_at_start", len(self.index))

    async def close_spider(self) -> None:
        """Save the index, at most every ``NIANBAO_STATE_SAVE_INTERVAL`` seconds: writing it whole as each of
        a thousand portals closes grew a run quadratically. The runner saves it once more at the end, and a
        run killed before then loses nothing: loading reconciles the index with the archive's records."""
        if time.monotonic() - self.session.index_saved_at >= self.save_interval:
            self.session.index_saved_at = time.monotonic()
            await asyncio.to_thread(self.index.save, self.session.storage)

    def process_item(self, item: DocumentItem) -> DocumentItem:
        record = item.record
        assert record is not None, "DedupPipeline must run after ExtractPipeline"
        report_id = record["report_id"]
        if report_id not in self.seen_this_run:
            self.seen_this_run.add(report_id)
            kind = "reports" if record["is_report"] else "lookalikes"
            self.stats.inc_value(f"nianbao/distinct_{kind}")
        if report_id in self.index:
            item.duplicate_of = self.index.entries[report_id].key
            return item
        if record["is_report"]:
            record["versions"] = self.index.versions(record.get("agency"), record.get("year"), but=report_id)
        self.index.add(record_key(record), record)
        return item
