"""Bytes to report record via the Scrapy-free core, in parse worker processes (crawler/run/extractpool.py)."""

from __future__ import annotations

import logging

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from crawler.core.documents import Limits, UnreadableDocument
from crawler.core.record import build_record
from crawler.items import DocumentItem
from crawler.regions import region_fields
from crawler.run.extractpool import WorkerDied
from crawler.run.session import session_of

logger = logging.getLogger(__name__)


class ExtractPipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats
        settings = crawler.settings
        self.limits = Limits(
            max_bytes=settings.getint("NIANBAO_MAX_DOCUMENT_BYTES"),
            max_pages=settings.getint("NIANBAO_MAX_PDF_PAGES"),
            timeout_s=settings.getfloat("NIANBAO_READER_TIMEOUT"),
            max_ocr_pages=settings.getint("NIANBAO_OCR_MAX_PAGES"),
            max_parse_memory_bytes=settings.getint("NIANBAO_MAX_PARSE_MEMORY"),
        )
        self.pool = session_of(crawler).extract_pool()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractPipeline:
        return cls(crawler)

    async def process_item(self, item: DocumentItem) -> DocumentItem:
        args = (item.fetched(), item.page, self.limits, item.continued)
        try:
            item.record = await self._parse(item.url, args)
        except UnreadableDocument as exc:
            self.stats.inc_value("nianbao/unreadable_documents")
            raise DropItem(f"unreadable document {item.url}: {exc}") from exc
        self.stats.inc_value("nianbao/documents_parsed")
        item.record["source"] |= region_fields(item.region_code)
        if item.record["source"]["attachment_only"]:
            # Not silently lost: the page is the context of the records built from its attachments.
            self.stats.inc_value("nianbao/attachment_only_pages")
            reason = f"attachment-only page {item.url}: its report is read from its attachments"
            raise DropItem(reason, log_level="INFO")
        return item

    async def _parse(self, url: str, args: tuple) -> dict:
        """The record; a parse worker that died holding it is replaced and the document read again, once,
        in a process of its own; a second death makes it unreadable."""
        try:
            return await self.pool.run(build_record, *args)
        except WorkerDied:
            self.stats.inc_value("nianbao/documents_retried")
            logger.warning("a parse worker died while reading %s: reading it again in a process of its own", url)
        try:
            return await self.pool.run_alone(build_record, *args)
        except WorkerDied:
            raise UnreadableDocument("its parse worker died reading it, twice") from None
