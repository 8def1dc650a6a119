"""The item spiders yield for each fetched document; pipelines fill in the record.

Items reach Scrapy's feed exports (``scrapy crawl trs -O out.jsonl``) JSON-safe: the fields holding
bytes carry a ``serializer`` in their metadata, which Scrapy's exporters apply (the body as its SHA-256,
the article page and continuation pages as their URLs); the record itself is JSON already.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from crawler.core.record import Fetched
from crawler.core.warc import WarcRef


def _sha256(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def _url(page: Fetched | None) -> str | None:
    return page.url if page else None


def _urls(parts: Sequence[Fetched]) -> list[str]:
    return [part.url for part in parts]


@dataclass
class DocumentItem:
    url: str
    final_url: str
    status: int
    content_type: str | None
    body: bytes = field(repr=False, metadata={"serializer": _sha256})
    fetched_at: str
    portal: str
    # for an attachment: the article page that linked it
    page: Fetched | None = field(default=None, repr=False, metadata={"serializer": _url})
    # pages 2… of a long article, in order
    continued: tuple[Fetched, ...] = field(default=(), repr=False, metadata={"serializer": _urls})
    record: dict[str, Any] | None = field(default=None, repr=False)
    duplicate_of: str | None = field(default=None)  # archive key of the record this text already has
    warc: WarcRef | None = None  # the response record holding the body (None: WARC capture off)
    merge_pending: bool = False  # a copy whose URL waits (crawler/archive/copies.py) until its record lists it
    region_code: str | None = None  # the portal's admin-division code (registry), carried into the record

    def fetched(self) -> Fetched:
        """What the core's ``build_record`` takes: the body with what the transport said about it."""
        return Fetched(body=self.body, url=self.url, final_url=self.final_url, status=self.status,
                       content_type=self.content_type, fetched_at=self.fetched_at, portal=self.portal,
                       warc_file=self.warc.file if self.warc else None,
                       warc_offset=self.warc.offset if self.warc else None)
