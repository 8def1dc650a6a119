"""Write report records and texts; gather a re-seen report's URLs for its record's ``also_seen_at``.

Items are archived concurrently, so all writes of one record happen under a per-record lock, shared by
the crawlers of all portals in the process (the same report is often published on two portals). A copy's
URL waits in the run's ``PendingCopies`` (crawler/archive/copies.py): it goes into the original's record
when that is written, or else at the next flush, at most every ``NIANBAO_STATE_SAVE_INTERVAL`` as a
crawler closes, and at the end of the run (crawler/run/inprocess.py). Until then the copy is not done
(``merge_pending``): its URL becomes known in the crawl state only once its record lists it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from scrapy.crawler import Crawler

from crawler.archive.copies import listed_urls
from crawler.archive.damage import read_record
from crawler.archive.layout import record_key, text_key
from crawler.archive.records import record_bytes
from crawler.items import DocumentItem
from crawler.run.session import session_of
from storage import Storage, StorageError

logger = logging.getLogger(__name__)


def read_existing(storage: Storage, key: str) -> dict[str, Any] | None:
    """The record at ``key``; None when there is none yet (or a damaged one, then quarantined)."""
    return read_record(storage, key) if storage.exists(key) else None


class ArchivePipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats
        self.session = session_of(crawler)  # shared by every portal's crawler of the run
        self.storage = self.session.storage
        self.copies = self.session.copies
        self.flush_interval = crawler.settings.getfloat("NIANBAO_STATE_SAVE_INTERVAL")
        self._locks = self.session.record_locks

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchivePipeline:
        return cls(crawler)

    async def process_item(self, item: DocumentItem) -> DocumentItem:
        record = item.record
        assert record is not None, "ArchivePipeline must run after ExtractPipeline"
        key = item.duplicate_of or record_key(record)
        async with self._locks[key]:
            if item.duplicate_of or not await self._write_new(key, record):
                item.merge_pending = not await self._add_copy(key, item.url, item.portal)
        return item

    async def close_spider(self) -> None:
        """Flush the pending copies, at most every ``NIANBAO_STATE_SAVE_INTERVAL`` seconds (the run flushes
        them once more at its end)."""
        if time.monotonic() - self.copies.flushed_at >= self.flush_interval:
            await self.flush()

    async def flush(self) -> None:
        self.copies.flushed_at = time.monotonic()
        self.copies.listed.clear()  # read again when next needed: memory follows the copies of one interval
        keys = sorted(self.copies.pending)
        locks = [self._locks[key] for key in keys]
        for lock in locks:
            await lock.acquire()
        try:
            settled = await asyncio.to_thread(self.copies.flush, self.storage, keys)
        except StorageError as exc:  # its URLs stay pending, unknown: met again by the next crawl if not flushed
            self.session.write_failure = self.session.write_failure or exc
            logger.error("copies not merged into their records: %s", exc)
            return
        finally:
            for lock in locks:
                lock.release()
        self.session.settle_copies(settled)
        await asyncio.to_thread(self.copies.save_known_later, self.storage)

    async def _write_new(self, key: str, record: dict[str, Any]) -> bool:
        """Write ``record`` with the copies met before it; False when the archive already holds its text."""
        waiting = self.copies.take(key)
        record["also_seen_at"] = sorted(set(waiting) - {record["source"]["url"]})
        await self.session.put(self.stats, text_key(record), record["text"].encode("utf-8"))
        written = await self.session.put(self.stats, key, record_bytes(record))
        if written:
            self.stats.inc_value("nianbao/records_new")
        else:
            # Archived before: by an earlier run, or by another portal's crawler in this run; or damaged, then
            # quarantined (crawler/archive/damage.py) and written anew here.
            archived = await asyncio.to_thread(read_record, self.storage, key)
            written = archived is None and await self.session.put(self.stats, key, record_bytes(record))
            if written:
                self.stats.inc_value("nianbao/records_repaired")
            elif archived is not None:
                self.copies.listed[key] = listed_urls(archived)  # read once: this item's own URL is looked up next
        if not written:
            self.copies.restore(key, waiting)  # they join the archived record with this one
            return False
        self.copies.listed[key] = listed_urls(record)
        self.session.settle_copies(waiting)
        return True

    async def _add_copy(self, key: str, url: str, portal: str) -> bool:
        """Note ``url`` as a copy of the record at ``key``; True when that record lists it already."""
        listed = self.copies.listed.get(key)
        if listed is None and (existing := await asyncio.to_thread(read_existing, self.storage, key)) is not None:
            listed = self.copies.listed[key] = listed_urls(existing)
        if listed is not None and url in listed:
            self.stats.inc_value("nianbao/records_known")
            return True
        self.copies.add(key, url, portal)
        self.stats.inc_value("nianbao/duplicates_merged")
        return False
