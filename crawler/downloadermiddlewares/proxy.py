"""Every request through one configured proxy (``NIANBAO_PROXY``)."""

from __future__ import annotations

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Request


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
