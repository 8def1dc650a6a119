"""HTTP validators of the sample portal: ETag (hash of the body), Last-Modified, and 304 decisions."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from typing import Protocol


class Headers(Protocol):
    def get(self, name: str, default: str | None = None) -> str | None: ...


def etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def last_modified(day: str) -> str:
    """``YYYY-MM-DD`` as an HTTP date (midnight UTC)."""
    return format_datetime(datetime.fromisoformat(day).replace(tzinfo=UTC), usegmt=True)


def not_modified(headers: Headers, current_etag: str, modified_day: str) -> bool:
    """RFC 9110 13.2.2: If-None-Match decides when present, otherwise If-Modified-Since."""
    if (tags := headers.get("If-None-Match")) is not None:
        return tags.strip() == "*" or current_etag in (tag.strip().removeprefix("W/") for tag in tags.split(","))
    if (since := headers.get("If-Modified-Since")) is not None:
        try:
            return datetime.fromisoformat(modified_day).replace(tzinfo=UTC) <= parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
    return False
