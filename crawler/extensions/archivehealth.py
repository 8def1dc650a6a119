"""Stop a crawl cleanly when its archive stops taking writes: a remote archive's spool keeps what was
fetched; a local archive that refuses a write (a full disk) stops the crawl at the first failure instead
of fetching on for nothing."""

from __future__ import annotations

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.utils.defer import deferred_from_coro

from crawler.run.session import RunSession, session_of
from storage.spool import SpooledStorage

CLOSE_REASON = "archive_unavailable"
UNWRITABLE = "archive_unwritable"


class ArchiveHealth:
    def __init__(self, crawler: Crawler, session: RunSession) -> None:
        self.crawler = crawler
        self.session = session
        self.storage = session.storage
        self.closing = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchiveHealth:
        extension = cls(crawler, session_of(crawler))
        for signal in (signals.response_received, signals.item_scraped, signals.item_dropped, signals.item_error,
                       signals.spider_error):
            crawler.signals.connect(extension.check, signal=signal)
        return extension

    def check(self, spider: Spider) -> None:
        if self.closing:
            return
        if isinstance(self.storage, SpooledStorage) and self.storage.unavailable is not None:
            error, reason = self.storage.unavailable, CLOSE_REASON
            spider.logger.error("archive unavailable, stopping; writes kept in %s: %s", self.storage.spool, error)
        elif (failed := self.session.write_failure) is not None:
            error, reason = failed, UNWRITABLE
            spider.logger.error("archive write failed, stopping: %s", failed)
        else:
            return
        self.closing = True
        self.crawler.stats.set_value("nianbao/archive_error", str(error))
        assert self.crawler.engine is not None
        deferred_from_coro(self.crawler.engine.close_spider_async(reason=reason))
