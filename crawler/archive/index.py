"""The report index: which report texts the archive holds, under which key, for which agency and year.

Persisted as ``index/reports.json`` so a crawl start reads one object instead of every record, and
always reconciled with the ``reports/`` key listing when loaded: records a killed crawl wrote after
the last save are read and added, entries whose record is gone are dropped. ``rebuild`` makes it
from the records alone (``nianbao index --rebuild``). Raw bodies need no index of their own: their
keys are their digests.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from dataclasses import asdict, dataclass
from typing import Any

from crawler.archive.damage import read_record
from crawler.archive.layout import REPORT_INDEX, REPORTS, report_id_from_key, year_prefix
from storage import Storage
from storage.cas import write_merged

SCHEMA = "nianbao.index/1"

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


class ReportIndex:
    def __init__(self) -> None:
        self.entries: dict[str, Entry] = {}  # report_id → entry
        # (agency, year) → report_ids of its reports: versions() is asked for every new report of a crawl.
        self._by_agency_year: defaultdict[tuple[str, int], set[str]] = defaultdict(set)
        self.stored: bytes | None = None  # what the archive holds at REPORT_INDEX, when known
        self.version: str | None = None  # its version, for compare-and-swap writes (storage/cas.py)
        self.write_conflicts = 0  # saves refused because another worker saved first (then merged)
        self.quarantined: list[str] = []  # damaged records met while loading, moved to quarantine/

    def __contains__(self, report_id: str) -> bool:
        return report_id in self.entries

    def __len__(self) -> int:
        return len(self.entries)

    def add(self, key: str, record: dict[str, Any]) -> None:
        self._put(record["report_id"], entry_of(key, record))

    def _put(self, report_id: str, entry: Entry) -> None:
        self.entries[report_id] = entry
        if entry.is_report and entry.agency and entry.year:
            self._by_agency_year[entry.agency, entry.year].add(report_id)

    def versions(self, agency: str | None, year: int | None, but: str) -> list[str]:
        """report_ids of the other report texts of ``agency`` for ``year`` (earlier or later versions)."""
        if not agency or not year:
            return []
        return sorted(self._by_agency_year.get((agency, year), set()) - {but})

    def to_bytes(self) -> bytes:
        entries = {rid: asdict(entry) for rid, entry in sorted(self.entries.items())}
        return json.dumps({"schema": SCHEMA, "entries": entries}, ensure_ascii=False).encode("utf-8")

    def save(self, storage: Storage) -> None:
        """Write the index unless the archive already holds these bytes (an unchanged crawl writes nothing).

        By compare-and-swap: entries another worker saved since this index was read are merged in."""
        data = self.to_bytes()
        if data != self.stored:
            written = write_merged(storage, REPORT_INDEX, data, self.version, self._absorb)
            self.stored, self.version = self.to_bytes(), written.version
            self.write_conflicts += written.conflicts

    def _absorb(self, newer: bytes) -> bytes:
        """Add the entries of a newer saved index this one lacks; this index's bytes after it."""
        for rid, entry in _saved_entries(newer).items():
            if rid not in self.entries:
                self._put(rid, entry)
        return self.to_bytes()

    @classmethod
    def load(cls, storage: Storage) -> ReportIndex:
        """The saved index reconciled with the archive's record keys (missing records read, gone ones dropped).

        A damaged saved index is only a cache: it is ignored with a warning and rebuilt from the records."""
        stored, version = storage.read_versioned(REPORT_INDEX)
        saved = _saved_entries(stored) if stored is not None else {}
        index = cls()
        index.stored, index.version = stored, version
        for key in list(storage.keys(REPORTS)):
            rid = report_id_from_key(key)
            if rid is None:
                continue
            if rid in saved and saved[rid].key == key:
                index._put(rid, saved[rid])
            else:
                index._read(storage, key, saved.get(rid))
        return index

    @classmethod
    def rebuild(cls, storage: Storage) -> ReportIndex:
        """From the records alone, ignoring any saved index (whose URLs still help forget a damaged record)."""
        stored, version = storage.read_versioned(REPORT_INDEX)
        saved = _saved_entries(stored) if stored is not None else {}
        index = cls()
        index.version = version  # rewritten whole: no entry of the saved index is merged back unless saved since
        for key in list(storage.keys(REPORTS)):
            if rid := report_id_from_key(key):
                index._read(storage, key, saved.get(rid))
        return index

    def _read(self, storage: Storage, key: str, entry: Entry | None) -> None:
        """Add the record at ``key``; a damaged one is quarantined (crawler/archive/damage.py) and listed instead."""
        record = read_record(storage, key, entry.url if entry else None)
        if record is None:
            self.quarantined.append(key)
        else:
            self.add(key, record)


def _saved_entries(stored: bytes) -> dict[str, Entry]:
    """The entries of a saved index; none (with a warning) when it is damaged or of another schema."""
    try:
        data = json.loads(stored)
        if data.get("schema") != SCHEMA:
            raise ValueError(f"unknown schema {data.get('schema')!r}")
        return {rid: Entry(**entry) for rid, entry in data["entries"].items()}
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        logger.warning("%s is damaged (%s): rebuilding it from the records", REPORT_INDEX, exc)
        return {}


def previous_record(storage: Storage, agency: str, year: int,
                    index: ReportIndex | None = None) -> dict[str, Any] | None:
    """The archived report record of ``agency`` for ``year - 1``, if there is exactly one: found through
    ``index`` when given, else by reading every record of that year."""
    if index is not None:
        found_ids = index.versions(agency, year - 1, but="")
        key = index.entries[found_ids[0]].key if len(found_ids) == 1 else None
        return read_record(storage, key) if key and storage.exists(key) else None
    found = []
    for key in storage.keys(year_prefix(year - 1)):
        record = read_record(storage, key)
        if record is not None and record.get("is_report") and record.get("agency") == agency:
            found.append(record)
    return found[0] if len(found) == 1 else None
