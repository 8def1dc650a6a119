"""Keep every response body as served, under its SHA-256 (raw/ in docs/DESIGN.md's archive layout)."""

from __future__ import annotations

import hashlib

from scrapy.crawler import Crawler
from scrapy.http import Request, Response

from crawler.archive.layout import raw_key
from crawler.run.session import session_of
from spiders import meta


class RawCaptureMiddleware:
    """Store every response body, as served, under its SHA-256 (identical bytes stored once)."""

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats
        self.session = session_of(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RawCaptureMiddleware:
        return cls(crawler)

    async def process_response(self, request: Request, response: Response) -> Response:
        if response.status == 304:  # no body: ConditionalGetMiddleware hands on the archived one
            return response
        digest = hashlib.sha256(response.body).hexdigest()
        await self.session.put(self.stats, raw_key(digest), response.body)
        request.meta[meta.RAW_SHA256] = digest
        return response
