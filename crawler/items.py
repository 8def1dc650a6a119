"""The item spiders yield for each fetched document; pipelines fill in the record."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class DocumentItem:
    url: str
    final_url: str
    status: int
    content_type: str | None
    body: bytes
    fetched_at: str
    portal: str
    record: dict[str, Any] | None = field(default=None)
    duplicate_of: str | None = field(default=None)  # archive key of the record this text already has
