"""Recognise a report text already archived (same report_id), across URLs, portals and runs.

The report index (crawler/archive/index.py) is shared by every portal's crawler of a run and read a
shard at a time: a text's agency shard when the text is met. It is saved back into the archive as the
crawlers close. A new text for an agency and year that already has one is linked to the other versions
in ``versions``.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from scrapy.crawler import Crawler

from crawler.archive.index import Entry, ReportIndex
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
        return self.session.index

    async def close_spider(self) -> None:
        """Save the index, at most every ``NIANBAO_STATE_SAVE_INTERVAL`` seconds: the runner saves it once
        more at the end, and a run killed before then loses nothing (see crawler/archive/index.py)."""
        if time.monotonic() - self.session.index_saved_at >= self.save_interval:
            self.session.index_saved_at = time.monotonic()
            await asyncio.to_thread(self.index.save, self.session.storage)

    async def process_item(self, item: DocumentItem) -> DocumentItem:
        record = item.record
        assert record is not None, "DedupPipeline must run after ExtractPipeline"
        report_id = record["report_id"]
        if report_id not in self.seen_this_run:
            self.seen_this_run.add(report_id)
            kind = "reports" if record["is_report"] else "lookalikes"
            self.stats.inc_value(f"nianbao/distinct_{kind}")
        known, versions = await asyncio.to_thread(self._look_up, record)
        if known is not None:
            item.duplicate_of = known.key
            return item
        if record["is_report"]:
            record["versions"] = versions
        self.index.add(record_key(record), record)
        return item

    def _look_up(self, record: dict[str, Any]) -> tuple[Entry | None, list[str]]:
        """The archived copy of ``record``'s text, else the other versions of its agency and year (reading
        their index shard, off the reactor)."""
        storage = self.session.storage
        known = self.index.known(storage, record)
        if known is not None or not record["is_report"]:
            return known, []
        return None, self.index.versions(storage, record.get("agency"), record.get("year"), but=record["report_id"])
