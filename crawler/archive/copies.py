"""Copies of an archived text met at other URLs, written into its record's ``also_seen_at`` in batches.

A text every portal reposts (a notice each county publishes) gathers thousands of URLs in one record.
Merging each copy as it was met read and rewrote that whole record each time, so a crawl's work and its
memory grew with the archive (docs/BENCHMARKS.md, bench_regions). A run instead keeps each record's
new URLs here (``PendingCopies``) and writes them in one compare-and-swap per record at most every
``NIANBAO_STATE_SAVE_INTERVAL`` and at its end (pipelines/archive.py, crawler/run/inprocess.py).

A copy's URL becomes known in its portal's crawl state only once its record lists it (``settle``), so a
run killed before the write loses nothing: the next crawl meets the copy again and merges it then.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from crawler.archive.crawlstate import CrawlState, mark_known_saved
from crawler.archive.damage import parse_record, quarantine
from crawler.archive.records import record_bytes
from storage import Storage
from storage.cas import write_merged

URLPortals = dict[str, set[str]]  # a copy's URL → the portals it was met on


def listed_urls(record: dict[str, Any]) -> set[str]:
    """The URLs a record names for its text: its source and ``also_seen_at``."""
    return {record["source"]["url"], *record.get("also_seen_at", ())}


def merge_urls(storage: Storage, key: str, urls: set[str]) -> bool:
    """Add ``urls`` to the ``also_seen_at`` of the record at ``key`` (compare-and-swap: another worker's
    additions are kept). False when there is no whole record there (a damaged one is quarantined)."""
    data, version = storage.read_versioned(key)
    record = parse_record(data) if data is not None else None
    if record is None:
        if data is not None:
            quarantine(storage, key, data)
        return False
    if urls <= listed_urls(record):
        return True

    def with_urls(current: dict[str, Any]) -> bytes:
        current["also_seen_at"] = sorted((set(current.get("also_seen_at", ())) | urls) - {current["source"]["url"]})
        return record_bytes(current)

    write_merged(storage, key, with_urls(record), version,
                 lambda newer: with_urls(parse_record(newer) or record))
    return True


class PendingCopies:
    """The copies a run met whose URLs their records do not list yet; shared by the run's crawlers.

    Touched on the reactor thread, except ``flush``, which a caller runs in a thread while it holds the
    record locks of the keys it passes (or after the reactor has stopped)."""

    def __init__(self) -> None:
        self.pending: dict[str, URLPortals] = {}  # record key → its copies' URLs not yet in the record
        self.listed: dict[str, set[str]] = {}  # record key → the URLs its record listed when last read
        self.known_later: defaultdict[str, set[str]] = defaultdict(set)  # portal (crawl ended) → URLs to mark known
        self.flushed_at = 0.0  # time.monotonic() of the last flush

    def add(self, key: str, url: str, portal: str) -> None:
        self.pending.setdefault(key, {}).setdefault(url, set()).add(portal)

    def take(self, key: str) -> URLPortals:
        return self.pending.pop(key, {})

    def restore(self, key: str, urls: URLPortals) -> None:
        for url, portals in urls.items():
            for portal in portals:
                self.add(key, url, portal)

    def flush(self, storage: Storage, keys: list[str]) -> URLPortals:
        """Write the pending URLs of ``keys`` into their records; the URLs now listed. Those of a record not
        written yet (its original still on its way) stay pending. A refused write raises ``StorageError``
        with the URLs not written still pending."""
        settled: URLPortals = {}
        for key in keys:
            urls = self.take(key)
            try:
                written = not urls or merge_urls(storage, key, set(urls))
            except BaseException:  # the keys after this one were not taken: still pending
                self.restore(key, urls)
                raise
            if not written:
                self.restore(key, urls)
                continue
            for url, portals in urls.items():
                settled.setdefault(url, set()).update(portals)
        return settled

    def settle(self, urls: URLPortals, live: dict[str, CrawlState]) -> None:
        """Mark ``urls`` known in their portals' states: a running crawl's now, an ended one's later
        (``save_known_later``)."""
        for url, portals in urls.items():
            for portal in portals:
                state = live.get(portal)
                if state is not None:
                    state.mark_known(url)
                else:
                    self.known_later[portal].add(url)

    def save_known_later(self, storage: Storage) -> None:
        """Mark the settled URLs of ended crawls known in their saved states."""
        while self.known_later:
            portal, urls = self.known_later.popitem()
            try:
                mark_known_saved(storage, portal, urls)
            except BaseException:
                self.known_later[portal] |= urls
                raise
