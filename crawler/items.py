"""The item spiders yield for each fetched document; pipelines fill in the record."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from crawler.core.record import Fetched


@dataclass
class DocumentItem:
    url: str
    final_url: str
    status: int
    content_type: str | None
    body: bytes = field(repr=False)  # kept out of logs (Scrapy logs dropped items)
    fetched_at: str
    portal: str
    page: Fetched | None = field(default=None, repr=False)  # for an attachment: the article page that linked it
    record: dict[str, Any] | None = field(default=None, repr=False)
    duplicate_of: str | None = field(default=None)  # archive key of the record this text already has
    merge_pending: bool = False  # a copy whose URL waits in memory until its original's record is written

    def fetched(self) -> Fetched:
        """What the core's ``build_record`` takes: the body with what the transport said about it."""
        return Fetched(body=self.body, url=self.url, final_url=self.final_url, status=self.status,
                       content_type=self.content_type, fetched_at=self.fetched_at, portal=self.portal)
