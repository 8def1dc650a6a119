"""Honour Retry-After on 429 and 503: wait what the portal asks (capped) before Scrapy's retry.

Sits above RetryMiddleware (550) on the response path: the wait happens here, the retry itself is
Scrapy's, so RETRY_TIMES still bounds the attempts. A response the retry would give up on is not held.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Request, Response

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


class RetryAfterMiddleware:
    def __init__(self, crawler: Crawler, cap: float) -> None:
        self.stats = crawler.stats
        self.cap = cap
        self.retry_times = crawler.settings.getint("RETRY_TIMES")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfterMiddleware:
        cap = crawler.settings.getfloat("NIANBAO_RETRY_AFTER_MAX")
        if cap <= 0 or not crawler.settings.getbool("RETRY_ENABLED"):
            raise NotConfigured("NIANBAO_RETRY_AFTER_MAX is 0 or retries are off")
        return cls(crawler, cap)

    async def process_response(self, request: Request, response: Response) -> Response:
        header = response.headers.get(b"Retry-After")
        retries = request.meta.get("retry_times", 0)
        if response.status not in _STATUSES or header is None or retries >= request.meta.get("max_retry_times",
                                                                                              self.retry_times):
            return response
        seconds = retry_after_seconds(header.decode("latin-1"))
        if seconds:
            self.stats.inc_value("nianbao/retry_after_waits")
            self.stats.inc_value("nianbao/retry_after_seconds", min(seconds, self.cap))
            await asyncio.sleep(min(seconds, self.cap))
        return response
