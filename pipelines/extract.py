"""Bytes to report record via the Scrapy-free core, in a worker thread (keeps the reactor free)."""

from __future__ import annotations

import asyncio

from scrapy.crawler import Crawler

from crawler.core.record import Fetched, build_record
from crawler.items import DocumentItem


class ExtractPipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractPipeline:
        return cls(crawler)

    async def process_item(self, item: DocumentItem) -> DocumentItem:
        fetched = Fetched(
            body=item.body,
            url=item.url,
            final_url=item.final_url,
            status=item.status,
            content_type=item.content_type,
            fetched_at=item.fetched_at,
            portal=item.portal,
        )
        item.record = await asyncio.to_thread(build_record, fetched)
        self.stats.inc_value("nianbao/documents_parsed")
        return item
