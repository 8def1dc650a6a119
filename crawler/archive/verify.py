"""``nianbao verify``: re-hash every stored object and check every record's links.

Streams the archive key by key (one object in memory at a time) and yields one ``Problem`` per
thing that is wrong; nothing is repaired.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from io import BytesIO
from pathlib import PurePosixPath
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from crawler.archive.layout import (
    CAPTURES,
    HISTORY,
    INDEX,
    QUARANTINE,
    RAW,
    REPORTS,
    RUNS,
    STATE,
    TEXT,
    TEXTS,
    raw_key,
    record_key,
    text_key,
)
from crawler.archive.warcfiles import is_warc_key
from storage import Storage, StorageError


@dataclass(frozen=True, slots=True)
class Problem:
    key: str
    what: str

    def __str__(self) -> str:
        return f"{self.key}: {self.what}"


@dataclass
class Tally:
    objects: int = 0
    problems: int = 0
    quarantined: list[str] = dataclass_field(default_factory=list)  # damaged records moved aside (archive/damage.py)


def verify(storage: Storage, tally: Tally | None = None) -> Iterator[Problem]:
    tally = tally if tally is not None else Tally()
    checkers: dict[str, Callable[[Storage, str, bytes], Iterator[Problem]]] = {
        RAW: _check_raw, REPORTS: _check_record, HISTORY: _check_json, RUNS: _check_json, INDEX: _check_json,
        STATE: _check_json, TEXT: _no_check, CAPTURES: _check_warc, TEXTS: _check_warc,
    }
    for prefix, check in checkers.items():
        for key in storage.keys(prefix):
            tally.objects += 1
            try:
                data = storage.get(key)
            except StorageError as exc:
                found: list[Problem] = [Problem(key, f"unreadable: {exc}")]
            else:
                found = list(check(storage, key, data))
            tally.problems += len(found)
            yield from found
    tally.quarantined = sorted(storage.keys(QUARANTINE))


def _no_check(storage: Storage, key: str, data: bytes) -> Iterator[Problem]:
    return iter(())


def _check_raw(storage: Storage, key: str, data: bytes) -> Iterator[Problem]:
    digest = hashlib.sha256(data).hexdigest()
    if raw_key(digest) != key:
        yield Problem(key, f"content hashes to {digest}")


def _check_warc(storage: Storage, key: str, data: bytes) -> Iterator[Problem]:
    """Every record's block and payload digests, as ``warcio check`` verifies them."""
    if not is_warc_key(key):
        return  # the index beside each file is derived from it
    try:
        for record in ArchiveIterator(BytesIO(data), check_digests=True):
            record.content_stream().read()
            if record.digest_checker.passed is False:
                target = record.rec_headers.get_header("WARC-Target-URI") or record.rec_type
                yield Problem(key, f"digest mismatch in the record of {target}: {record.digest_checker.problems}")
    except ArchiveLoadFailed as exc:
        yield Problem(key, "unreadable WARC: " + " ".join(str(exc).split()))


def _check_json(storage: Storage, key: str, data: bytes) -> Iterator[Problem]:
    try:
        json.loads(data)
    except ValueError as exc:
        yield Problem(key, f"not JSON: {exc}")


def _check_record(storage: Storage, key: str, data: bytes) -> Iterator[Problem]:
    try:
        record: dict[str, Any] = json.loads(data)
        source = record["source"]
        expected_key = record_key(record)
    except (ValueError, KeyError, TypeError) as exc:
        yield Problem(key, f"not a report record: {exc!r}")
        return
    if expected_key != key:
        yield Problem(key, f"record belongs at {expected_key}")
    if PurePosixPath(key).stem != record["report_id"]:
        yield Problem(key, f"report_id {record['report_id']} differs from the key")
    for field in ("raw_key", "page_raw_key"):
        linked = source.get(field)
        if linked and not storage.exists(linked):
            yield Problem(key, f"source.{field} {linked} is missing")
    warc = source.get("warc_file")
    if warc and not storage.exists(warc):
        yield Problem(key, f"source.warc_file {warc} was never written (its crawl was killed): "
                           "`nianbao reparse` drops the reference")
    if source.get("raw_key") != raw_key(source.get("raw_sha256") or ""):
        yield Problem(key, f"source.raw_key does not name source.raw_sha256 {source.get('raw_sha256')}")
    text = text_key(record)
    if not storage.exists(text):
        yield Problem(key, f"{text} is missing")
    elif storage.get(text).decode("utf-8", errors="replace") != record.get("text"):
        yield Problem(key, f"{text} differs from the record's text")
