"""Stop a crawl cleanly when its archive stops taking writes (the spool keeps what was fetched)."""

from __future__ import annotations

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import deferred_from_coro

from crawler.archiving import storage_from_settings
from storage.spool import SpooledStorage

CLOSE_REASON = "archive_unavailable"


class ArchiveHealth:
    def __init__(self, crawler: Crawler, storage: SpooledStorage) -> None:
        self.crawler = crawler
        self.storage = storage
        self.closing = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchiveHealth:
        storage = storage_from_settings(crawler.settings)
        if not isinstance(storage, SpooledStorage):
            raise NotConfigured  # bare: a local archive needs no watch, and no "Disabled" warning
        extension = cls(crawler, storage)
        for signal in (signals.response_received, signals.item_scraped, signals.item_dropped):
            crawler.signals.connect(extension.check, signal=signal)
        return extension

    def check(self, spider: Spider) -> None:
        if self.storage.unavailable is None or self.closing:
            return
        self.closing = True
        self.crawler.stats.set_value("nianbao/archive_error", str(self.storage.unavailable))
        spider.logger.error("archive unavailable, stopping; writes kept in %s: %s",
                            self.storage.spool, self.storage.unavailable)
        assert self.crawler.engine is not None
        deferred_from_coro(self.crawler.engine.close_spider_async(reason=CLOSE_REASON))
