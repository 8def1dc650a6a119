"""Damaged archive objects: read records safely, move damaged ones aside, and forget them so they are fetched again.

A truncated record used to stop every later crawl (``json.loads`` in the index's load) and
``nianbao index --rebuild``. A record that does not parse is moved to ``quarantine/<its key>`` (its
bytes kept for inspection; ``nianbao verify`` lists them), and the URLs it names are dropped from
every portal's crawl state, so the next crawl fetches and archives that report again. When no URL of it
is legible (the index that named it is gone too), every known document is due again: the next crawl
walks every list whole and re-reads each document (answered 304, no download) until the record is back.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from crawler.archive.crawlstate import CrawlState
from crawler.archive.layout import STATE, portal_of_state_key, quarantine_key
from storage import Storage
from storage.cas import MAX_ATTEMPTS

_URL = re.compile(r'"(https?://[^"\\]+)"')

logger = logging.getLogger(__name__)


def parse_record(data: bytes) -> dict[str, Any] | None:
    """The record in ``data``, or None when it is not a whole record (truncated, not UTF-8, not an object)."""
    try:
        record = json.loads(data)
    except ValueError:  # UnicodeDecodeError and JSONDecodeError both
        return None
    ok = isinstance(record, dict) and isinstance(record.get("source"), dict) and "report_id" in record
    return record if ok else None


def read_record(storage: Storage, key: str, known_url: str | None = None) -> dict[str, Any] | None:
    """The record at ``key``; a damaged one is quarantined (see ``quarantine``) and None returned."""
    data = storage.get(key)
    record = parse_record(data)
    if record is None:
        quarantine(storage, key, data, known_url)
    return record


def quarantine(storage: Storage, key: str, data: bytes, known_url: str | None = None) -> str:
    """Move the damaged record at ``key`` to ``quarantine/<key>`` and forget its URLs (those still legible
    in its bytes, and ``known_url``) in every crawl state. Returns the quarantine key."""
    target = quarantine_key(key)
    storage.put(target, data, replace=True)
    storage.delete(key)
    urls = set(_URL.findall(data.decode("utf-8", errors="replace"))) | ({known_url} if known_url else set())
    forgotten = forget(storage, urls or None)
    logger.warning("damaged record %s moved to %s; %d of its URLs will be fetched again", key, target, forgotten)
    return target


def forget(storage: Storage, urls: set[str] | None) -> int:
    """Drop ``urls`` (None: all) from the known documents of every portal's crawl state (saved, and those
    of crawls running in this process); how many were known in the saved ones."""
    CrawlState.forget_live(urls)
    dropped = 0
    for key in list(storage.keys(STATE)):
        for _ in range(MAX_ATTEMPTS):  # compare-and-swap: forgotten in the newest state a worker saved
            state = CrawlState.load(storage, portal_of_state_key(key))
            found = state.forget(urls)
            if not found or storage.put_versioned(key, state.to_bytes(), state.version) is not None:
                break
        dropped += len(found)
    return dropped
