"""Honour Retry-After on 429 and 503: send the portal nothing for what it asks (capped), then Scrapy retries.

The portal's download slot is held (``PoliteDownloader.hold``) from the ``response_downloaded`` signal,
which Scrapy sends before it frees the slot, as AutoThrottle sets the slot's delay there: no request of
that portal, the retry or any other queued one, starts until the wait is over; other portals go on. (A
middleware that slept in ``process_response`` held only its own response: the slot was already free and
the portal kept receiving the other queued requests.) The retry itself is Scrapy's, so RETRY_TIMES
still bounds the attempts; a response the retry would give up on holds nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Request, Response
from scrapy.utils.misc import load_object

from crawler.engine.downloader import PoliteDownloader

_STATUSES = (429, 503)


def retry_after_seconds(value: str, now: datetime | None = None) -> float | None:
    """Retry-After as seconds from now: delay-seconds or an HTTP-date (RFC 9110 10.2.3); None when unreadable."""
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (moment - (now or datetime.now(UTC))).total_seconds())


class RetryAfterHold:
    def __init__(self, crawler: Crawler, cap: float) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.cap = cap
        self.retry_times = crawler.settings.getint("RETRY_TIMES")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfterHold:
        cap = crawler.settings.getfloat("NIANBAO_RETRY_AFTER_MAX")
        if cap <= 0 or not crawler.settings.getbool("RETRY_ENABLED"):
            raise NotConfigured("NIANBAO_RETRY_AFTER_MAX is 0 or retries are off")
        if not issubclass(load_object(crawler.settings["DOWNLOADER"]), PoliteDownloader):
            raise NotConfigured("Retry-After holds the slots of crawler.engine.downloader.PoliteDownloader only")
        hold = cls(crawler, cap)
        crawler.signals.connect(hold.response_downloaded, signal=signals.response_downloaded)
        return hold

    def response_downloaded(self, response: Response, request: Request) -> None:
        header = response.headers.get(b"Retry-After")
        retries = request.meta.get("retry_times", 0)
        if response.status not in _STATUSES or header is None or retries >= request.meta.get("max_retry_times",
                                                                                              self.retry_times):
            return
        seconds = retry_after_seconds(header.decode("latin-1"))
        if seconds:
            downloader = self.crawler.engine.downloader  # type: ignore[union-attr]
            downloader.hold(downloader.get_slot_key(request), min(seconds, self.cap))
            self.stats.inc_value("nianbao/retry_after_waits")
            self.stats.inc_value("nianbao/retry_after_seconds", min(seconds, self.cap))
