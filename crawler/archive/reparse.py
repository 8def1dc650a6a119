"""``nianbao reparse``: rebuild every report record and text from archived raw bodies, no network.

Each record is rebuilt with the current parser from the raw body it names (and, for an attachment,
the article page it was linked from), keeping what only the crawl knew (fetch time, WARC position)
and its links to other records (``also_seen_at``, ``versions``). Only a record whose output changed is written:
- same key: the earlier bytes go to ``history/…`` first, then the record is replaced;
- new key (the text or the year came out differently): the new record is written, the earlier one
  moves to ``history/…`` and is linked from ``parser.reparsed_from``; two records that now have the same
  text merge, their URLs joined in ``also_seen_at``.
Nothing is lost: every replaced or moved version stays under ``history/``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from crawler.archive.damage import parse_record, quarantine
from crawler.archive.index import ReportIndex, previous_record
from crawler.archive.layout import REPORTS, history_key, record_key, text_key
from crawler.archive.records import record_bytes
from crawler.core.checks import cross_year_checks
from crawler.core.documents import Limits, UnreadableDocument
from crawler.core.record import Fetched, build_record
from crawler.regions import REGION_FIELDS
from storage import Storage, StorageError

# Known only to the crawl that fetched: when, where in its WARC, rendered or not, under which region.
CRAWL_FIELDS = ("fetched_at", "warc_file", "warc_offset", "rendered", *REGION_FIELDS)
LINKS = ("also_seen_at", "versions")  # to other records: made by the crawl's dedup, kept as they are


@dataclass
class ReparseResult:
    records: int = 0
    unchanged: int = 0
    rewritten: int = 0
    moved: int = 0
    merged: int = 0
    failed: list[str] = field(default_factory=list)


def rebuild(storage: Storage, old: dict[str, Any], limits: Limits | None = None,
            cross_year: bool = True, index: ReportIndex | None = None) -> dict[str, Any]:
    """The record ``old`` would be with today's parser, from archived bytes only."""
    source = old["source"]
    fetched = Fetched(body=storage.get(source["raw_key"]), url=source["url"], final_url=source.get("final_url"),
                      status=source.get("status"), content_type=source.get("content_type"),
                      fetched_at=source.get("fetched_at"), portal=source.get("portal"))
    page = None
    if source.get("page_url"):
        if not source.get("page_raw_key"):
            raise StorageError("attachment record without source.page_raw_key: its page body is unknown")
        page = Fetched(body=storage.get(source["page_raw_key"]), url=source["page_url"])
    continued = [Fetched(body=storage.get(part["raw_key"]), url=part["url"], content_type=part.get("content_type"))
                 for part in source.get("continued", [])]
    new = build_record(fetched, page, limits, continued)
    for name in CRAWL_FIELDS:
        if name in source:
            new["source"][name] = source[name]
    if source.get("warc_file") and not storage.exists(source["warc_file"]):  # a killed crawl's, never written
        new["source"]["warc_file"] = new["source"]["warc_offset"] = None
    for name in LINKS:
        if name in old:
            new[name] = old[name]
    if cross_year and new["is_report"] and new.get("year") and new.get("agency"):
        previous = previous_record(storage, new["agency"], new["year"], index)
        if previous is not None:
            new["checks"] = [*new["checks"], *cross_year_checks(new.get("stats") or {}, previous.get("stats") or {})]
    return new


def reparse(storage: Storage, limits: Limits | None = None, cross_year: bool = True) -> ReparseResult:
    """Every record rebuilt; the report index is brought level with the records before and after."""
    result = ReparseResult()
    index = ReportIndex.reconcile(storage)
    index.save(storage)
    for key in sorted(storage.keys(REPORTS)):  # the keys before any move: moved records are not revisited
        result.records += 1
        try:
            data = storage.get(key)
            old = parse_record(data)
            if old is None:
                result.failed.append(f"{key}: damaged, moved to {quarantine(storage, key, data)}")
                continue
            new = rebuild(storage, old, limits, cross_year, index)
        except (ValueError, KeyError, StorageError, UnreadableDocument) as exc:
            result.failed.append(f"{key}: {exc}")
            continue
        if new == old:
            result.unchanged += 1
            continue
        storage.put(history_key(key, data), data)
        storage.put(text_key(new), new["text"].encode("utf-8"))
        new_key = record_key(new)
        if new_key == key:
            storage.put(key, record_bytes(new), replace=True)
            result.rewritten += 1
            continue
        new["parser"]["reparsed_from"] = {"key": key, "history": history_key(key, data)}
        if storage.exists(new_key):
            _merge_urls(storage, new_key, new)
            result.merged += 1
        else:
            storage.put(new_key, record_bytes(new))
            result.moved += 1
        storage.delete(key)
    ReportIndex.reconcile(storage).save(storage)
    return result


def _merge_urls(storage: Storage, key: str, copy: dict[str, Any]) -> None:
    kept = json.loads(storage.get(key))
    urls = {copy["source"]["url"], *copy["also_seen_at"], *kept["also_seen_at"]} - {kept["source"]["url"]}
    if urls != set(kept["also_seen_at"]):
        kept["also_seen_at"] = sorted(urls)
        storage.put(key, record_bytes(kept), replace=True)
