"""Bytes to report record via the Scrapy-free core, in worker processes (crawler/extractpool.py), off the reactor."""

from __future__ import annotations

import asyncio

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from crawler.core.documents import Limits, UnreadableDocument
from crawler.core.record import build_record
from crawler.extractpool import extract_executor, extract_workers
from crawler.items import DocumentItem
from crawler.regions import region_fields


class ExtractPipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats
        settings = crawler.settings
        self.limits = Limits(
            max_bytes=settings.getint("NIANBAO_MAX_DOCUMENT_BYTES"),
            max_pages=settings.getint("NIANBAO_MAX_PDF_PAGES"),
            timeout_s=settings.getfloat("NIANBAO_READER_TIMEOUT"),
            max_ocr_pages=settings.getint("NIANBAO_OCR_MAX_PAGES"),
        )

        self.executor = extract_executor(extract_workers(settings.getint("NIANBAO_EXTRACT_PROCESSES")))

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractPipeline:
        return cls(crawler)

    async def process_item(self, item: DocumentItem) -> DocumentItem:
        try:
            item.record = await asyncio.get_running_loop().run_in_executor(
                self.executor, build_record, item.fetched(), item.page, self.limits, item.continued)
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
