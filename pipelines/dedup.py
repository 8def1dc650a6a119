"""Recognise a report text already archived (same report_id), across URLs, portals and runs.

The report index (crawler/archive/index.py) is shared by every portal's crawler of a run and read a
shard at a time: a text's agency shard when the text is met. It is saved back into the archive as the
crawlers close. A new text for an agency and year that already has one is linked to the other versions
in ``versions``.

The first item of a text to arrive decides where its record lives; a copy arriving while that item's
shard is being read waits for the decision, so the first URL met stays the record's source however the
reads finish.
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
        while (settled := self.session.report_keys.get(report_id)) is not None:  # met before in this run: a copy
            try:
                item.duplicate_of = await asyncio.shield(settled)
                return item
            except asyncio.CancelledError:
                if not settled.cancelled():
                    raise  # this item's own processing was cancelled
                # the first item failed before deciding: decide here (unless another copy already does)
        settled = self.session.report_keys[report_id] = asyncio.get_running_loop().create_future()
        try:
            known, versions = await asyncio.to_thread(self._look_up, record)
        except BaseException:
            del self.session.report_keys[report_id]  # undecided: the next copy looks it up itself
            settled.cancel()
            raise
        if known is not None:
            item.duplicate_of = known.key
            settled.set_result(known.key)
            return item
        if record["is_report"]:
            record["versions"] = versions
        self.index.add(record_key(record), record)
        settled.set_result(record_key(record))
        return item

    def _look_up(self, record: dict[str, Any]) -> tuple[Entry | None, list[str]]:
        """The archived copy of ``record``'s text, else the other versions of its agency and year (reading
        their index shard, off the reactor)."""
        storage = self.session.storage
        known = self.index.known(storage, record)
        if known is not None or not record["is_report"]:
            return known, []
        return None, self.index.versions(storage, record.get("agency"), record.get("year"), but=record["report_id"])
