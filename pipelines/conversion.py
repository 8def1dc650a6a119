"""A WARC ``conversion`` record of each new record's extracted text, referring to its response record."""

from __future__ import annotations

from scrapy.crawler import Crawler

from crawler.items import DocumentItem
from crawler.run.session import session_of, warc_files_of
from crawler.run.warcwriter import SharedWarcFiles


class ConversionPipeline:
    def __init__(self, crawler: Crawler, shared: SharedWarcFiles) -> None:
        self.stats = crawler.stats
        self.session = session_of(crawler)
        self.shared = shared

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ConversionPipeline:
        return cls(crawler, warc_files_of(crawler))

    async def close_spider(self) -> None:
        await self.session.release_warc_files()

    async def process_item(self, item: DocumentItem) -> DocumentItem:
        record = item.record
        assert record is not None, "ConversionPipeline must run after ExtractPipeline"
        # A known text (same report_id) already has its conversion record; a scan has no text.
        if item.duplicate_of or item.warc is None or not record["text"]:
            return item
        ref, text = item.warc, record["text"]
        await self.shared.call(lambda files: files.write_conversion(item.final_url, text, ref.record_id))
        self.stats.inc_value("nianbao/warc_records/conversion")
        return item
