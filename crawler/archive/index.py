"""The report index: which report texts the archive holds, under which key, for which agency and year.

Kept in many small shards, one per agency: ``index/agencies/<h[:2]>/<h>.json`` with ``h`` a hash of the
agency's name (records without an agency: ``index/unattributed/<report_id[:2]>.json``). A crawl asks
for a text's agency (``versions``, the previous year's record, a known copy) and so reads only the shards
of the agencies it meets, when it meets them: a job's memory and reads follow its own portals, not the
archive's size (a national archive holds about a million records). Shards are written by
compare-and-swap (storage/cas.py), so two workers adding entries to one agency lose neither's.

The index is derived: ``reconcile`` (``nianbao index``, and the end of a distributed run) brings every
shard level with the ``reports/`` listing (records a killed crawl wrote after the last save read in,
entries whose record is gone dropped), ``rebuild`` makes it from the records alone. A crawl repairs
what it meets: an entry whose record is gone is dropped, a record archived but not indexed is found by
its key when written again (pipelines/archive.py). Raw bodies need no index: their keys are their digests.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from crawler.archive.damage import read_record
from crawler.archive.layout import (
    AGENCY_SHARDS,
    LEGACY_INDEX,
    REPORTS,
    UNATTRIBUTED_SHARDS,
    index_shard_key,
    report_id_from_key,
)
from storage import Storage
from storage.cas import write_merged

SCHEMA = "nianbao.index/2"

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Entry:
    key: str
    url: str | None
    fetched_at: str | None
    agency: str | None
    year: int | None
    is_report: bool


def entry_of(key: str, record: dict[str, Any]) -> Entry:
    source = record.get("source") or {}
    return Entry(key=key, url=source.get("url"), fetched_at=source.get("fetched_at"), agency=record.get("agency"),
                 year=record.get("year"), is_report=bool(record.get("is_report")))


@dataclass(slots=True)
class Shard:
    entries: dict[str, Entry] = field(default_factory=dict)  # report_id → entry
    stored: bytes | None = None  # what the archive holds at its key, when known
    version: str | None = None  # that object's version, for compare-and-swap writes
    added: set[str] = field(default_factory=set)  # report_ids indexed here, whose records may not be written yet

    def to_bytes(self) -> bytes:
        entries = {rid: asdict(entry) for rid, entry in sorted(self.entries.items())}
        return json.dumps({"schema": SCHEMA, "entries": entries}, ensure_ascii=False).encode("utf-8")

    def absorb(self, newer: bytes) -> bytes:
        """Add the entries of a newer saved shard this one lacks; this shard's bytes after it."""
        for rid, entry in _saved_entries(newer, "").items():
            self.entries.setdefault(rid, entry)
        return self.to_bytes()

    @classmethod
    def read(cls, storage: Storage, key: str) -> Shard:
        stored, version = storage.read_versioned(key)
        entries = _saved_entries(stored, key) if stored is not None else {}
        return cls(entries, stored, version)


class ReportIndex:
    """The shards read so far; thread-safe, as the crawl reads and saves them off the reactor thread."""

    def __init__(self) -> None:
        self.shards: dict[str, Shard] = {}
        self.write_conflicts = 0  # shard saves refused because another worker saved first (then merged)
        self.quarantined: list[str] = []  # damaged records met by reconcile, moved to quarantine/
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return sum(len(shard.entries) for shard in self.shards.values())

    @property
    def entries(self) -> dict[str, Entry]:
        """Every entry of the shards read (all of them after ``reconcile``/``rebuild``)."""
        with self._lock:
            return {rid: entry for shard in self.shards.values() for rid, entry in shard.entries.items()}

    def shard(self, storage: Storage, agency: str | None, report_id: str) -> Shard:
        """The shard of ``agency``'s entries (of ``report_id``'s without one), read from the archive once."""
        key = index_shard_key(agency, report_id)
        with self._lock:
            if key in self.shards:
                return self.shards[key]
        read = Shard.read(storage, key)  # outside the lock: reads of other shards go on meanwhile
        with self._lock:
            return self.shards.setdefault(key, read)

    def known(self, storage: Storage, record: dict[str, Any]) -> Entry | None:
        """The entry of ``record``'s text, if the archive still holds its record (a gone one is dropped)."""
        shard = self.shard(storage, record.get("agency"), record["report_id"])
        entry = shard.entries.get(record["report_id"])
        if entry is not None and record["report_id"] not in shard.added and not storage.exists(entry.key):
            with self._lock:
                shard.entries.pop(record["report_id"], None)
            return None
        return entry

    def versions(self, storage: Storage, agency: str | None, year: int | None, but: str) -> list[str]:
        """report_ids of the other report texts of ``agency`` for ``year`` (earlier or later versions)."""
        if not agency or not year:
            return []
        shard = self.shard(storage, agency, but)
        with self._lock:
            return sorted(rid for rid, entry in shard.entries.items()
                          if entry.is_report and entry.year == year and entry.agency == agency and rid != but)

    def add(self, key: str, record: dict[str, Any]) -> None:
        """Index the record at ``key``; its shard must have been read (``shard``/``known``) or be new."""
        rid = record["report_id"]
        with self._lock:
            shard = self.shards.setdefault(index_shard_key(record.get("agency"), rid), Shard())
            shard.entries[rid] = entry_of(key, record)
            shard.added.add(rid)

    def save(self, storage: Storage) -> None:
        """Write each shard whose entries changed since it was read or written (an unchanged crawl writes
        nothing), by compare-and-swap: entries another worker saved meanwhile are merged in. Shards that
        are then level with the archive are let go, so a long run holds only what it changes."""
        with self._lock:
            changed = [(key, shard, data) for key, shard in self.shards.items()
                       if (data := shard.to_bytes()) != shard.stored]
        for key, shard, data in changed:
            sent = [data]  # the bytes of the last attempt: those the archive holds once it succeeds

            def rebase(newer: bytes, shard: Shard = shard, sent: list[bytes] = sent) -> bytes:
                with self._lock:
                    sent[0] = shard.absorb(newer)
                return sent[0]

            written = write_merged(storage, key, data, shard.version, rebase)
            with self._lock:
                shard.stored, shard.version = sent[0], written.version
                self.write_conflicts += written.conflicts
        with self._lock:
            for key in [key for key, shard in self.shards.items() if shard.to_bytes() == shard.stored]:
                del self.shards[key]

    @classmethod
    def reconcile(cls, storage: Storage) -> ReportIndex:
        """Every shard, level with the archive's record keys (missing records read, gone ones dropped)."""
        return cls._from_records(storage, keep_saved=True)

    @classmethod
    def rebuild(cls, storage: Storage) -> ReportIndex:
        """From the records alone, ignoring the saved entries (whose URLs still help forget a damaged record)."""
        return cls._from_records(storage, keep_saved=False)

    @classmethod
    def _from_records(cls, storage: Storage, keep_saved: bool) -> ReportIndex:
        """Reads every shard (for its versions and entries), then the records; all shards end up changed
        or emptied, so ``save`` writes them level with the records. The legacy whole index is removed."""
        index = cls()
        saved: dict[str, Entry] = {}
        for key in _shard_keys(storage):
            shard = Shard.read(storage, key)
            saved.update(shard.entries)
            index.shards[key] = Shard({}, shard.stored, shard.version)  # emptied, then refilled below
        for key in list(storage.keys(REPORTS)):
            rid = report_id_from_key(key)
            if rid is None:
                continue
            entry = saved.get(rid)
            if keep_saved and entry is not None and entry.key == key:
                with index._lock:
                    index.shards.setdefault(index_shard_key(entry.agency, rid), Shard()).entries[rid] = entry
                continue
            record = read_record(storage, key, entry.url if entry else None)
            if record is None:
                index.quarantined.append(key)
            else:
                index.add(key, record)
        if storage.exists(LEGACY_INDEX):
            storage.delete(LEGACY_INDEX)
        return index


def _shard_keys(storage: Storage) -> Iterable[str]:
    for prefix in (AGENCY_SHARDS, UNATTRIBUTED_SHARDS):
        yield from (key for key in list(storage.keys(prefix)) if key.endswith(".json"))


def _saved_entries(stored: bytes, key: str) -> dict[str, Entry]:
    """The entries of a saved shard; none (with a warning) when it is damaged or of another schema."""
    try:
        data = json.loads(stored)
        if data.get("schema") != SCHEMA:
            raise ValueError(f"unknown schema {data.get('schema')!r}")
        return {rid: Entry(**entry) for rid, entry in data["entries"].items()}
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        logger.warning("%s is damaged (%s): its entries are found again from the records (nianbao index)",
                       key or "an index shard", exc)
        return {}


def previous_record(storage: Storage, agency: str, year: int,
                    index: ReportIndex | None = None) -> dict[str, Any] | None:
    """The archived report record of ``agency`` for ``year - 1``, if there is exactly one (found in the
    agency's index shard: ``index``'s when given)."""
    index = index or ReportIndex()
    found_ids = index.versions(storage, agency, year - 1, but="")
    if len(found_ids) != 1:
        return None
    key = index.shard(storage, agency, found_ids[0]).entries[found_ids[0]].key
    return read_record(storage, key) if storage.exists(key) else None
