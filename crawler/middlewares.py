"""Downloader middlewares."""

from __future__ import annotations

import hashlib

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Request, Response

from crawler.archiving import put_object, storage_from_settings
from crawler.core.record import raw_key


class RawCaptureMiddleware:
    """Store every response body, as served, under its SHA-256 (identical bytes stored once)."""

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats
        self.storage = storage_from_settings(crawler.settings)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RawCaptureMiddleware:
        return cls(crawler)

    async def process_response(self, request: Request, response: Response) -> Response:
        if response.status == 304:  # no body: ConditionalGetMiddleware hands on the archived one
            return response
        digest = hashlib.sha256(response.body).hexdigest()
        await put_object(self.storage, self.stats, raw_key(digest), response.body)
        request.meta["raw_sha256"] = digest
        return response


class PortalProxyMiddleware:
    """Send every request through ``NIANBAO_PROXY`` (an http:// proxy), unless a request names its own.

    Used to reach the sample portals under their stable host names, and by deployments whose
    crawlers must leave through a proxy.
    """

    def __init__(self, proxy: str) -> None:
        self.proxy = proxy

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PortalProxyMiddleware:
        proxy = crawler.settings.get("NIANBAO_PROXY")
        if not proxy:
            raise NotConfigured
        return cls(proxy)

    def process_request(self, request: Request) -> None:
        request.meta.setdefault("proxy", self.proxy)
