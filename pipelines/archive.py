"""Write report records and texts; merge a re-seen report's URL into ``also_seen_at``.

Items are archived concurrently, so all writes of one record happen under a per-record lock, shared by
the crawlers of all portals in the process (the same report is often published on two portals). A copy
can reach this pipeline before its original is written (the dedup decision is made earlier); its URL
then waits here and goes into the original's record when that is written.
"""

from __future__ import annotations

import asyncio
from typing import Any

from scrapy.crawler import Crawler

from crawler.archive.damage import read_record
from crawler.archive.layout import record_key, text_key
from crawler.archive.records import record_bytes
from crawler.items import DocumentItem
from crawler.run.session import session_of


class ArchivePipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats
        self.session = session_of(crawler)  # shared by every portal's crawler of the run
        self.storage = self.session.storage
        self._locks = self.session.record_locks
        self._waiting_copies = self.session.waiting_copies

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchivePipeline:
        return cls(crawler)

    async def process_item(self, item: DocumentItem) -> DocumentItem:
        record = item.record
        assert record is not None, "ArchivePipeline must run after ExtractPipeline"
        key = item.duplicate_of or record_key(record)
        async with self._locks[key]:
            if item.duplicate_of:
                item.merge_pending = not await self._merge_copy(key, item.url)
            else:
                await self._write_new(key, record)
        return item

    async def _write_new(self, key: str, record: dict[str, Any]) -> None:
        copies = sorted(self._waiting_copies.pop(key, []))
        record["also_seen_at"] = copies
        await self.session.put(self.stats, text_key(record), record["text"].encode("utf-8"))
        if await self.session.put(self.stats, key, record_bytes(record)):
            self.stats.inc_value("nianbao/records_new")
            return
        # Archived before: by an earlier run, or by another portal's crawler in this run; or damaged, then
        # quarantined (crawler/archive/damage.py) and written anew here.
        damaged = await asyncio.to_thread(read_record, self.storage, key) is None
        if damaged and await self.session.put(self.stats, key, record_bytes(record)):
            self.stats.inc_value("nianbao/records_repaired")
            return
        for url in (record["source"]["url"], *copies):
            await self._merge_copy(key, url)

    async def _merge_copy(self, key: str, url: str) -> bool:
        """Add ``url`` to the record at ``key``; False when it waits in memory for that record to be written."""
        existing = None
        if await asyncio.to_thread(self.storage.exists, key):
            existing = await asyncio.to_thread(read_record, self.storage, key)  # a damaged one is quarantined
        if existing is None:
            self._waiting_copies[key].append(url)
            self.stats.inc_value("nianbao/duplicates_merged")
            return False
        if url == existing["source"]["url"] or url in existing["also_seen_at"]:
            self.stats.inc_value("nianbao/records_known")
            return True
        existing["also_seen_at"] = sorted([*existing["also_seen_at"], url])
        await self.session.put(self.stats, key, record_bytes(existing), replace=True)
        self.stats.inc_value("nianbao/duplicates_merged")
        return True
