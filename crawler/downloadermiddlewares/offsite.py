"""Keep redirects on the portal: a guard Scrapy's OffsiteMiddleware leaves open.

Scrapy's OffsiteMiddleware lets any request with ``dont_filter`` through, and a redirect inherits
``dont_filter`` from the request it answers. Retried requests carry ``dont_filter``, so a page that
once failed (a 503, a reset) and then answers 301 to another host would be fetched there (found on
the portal farm: tests/e2e/test_farm_crawls.py). This guard drops every redirect outside the spider's
``allowed_domains``, whatever its ``dont_filter``, when it is scheduled (dropped without an error, as
OffsiteMiddleware does) and again before download.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Request

from crawler.run.session import state_of


def allowed(host: str, domains: list[str]) -> bool:
    return not domains or any(host == d or host.endswith("." + d) for d in domains)


class RedirectGuardMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedirectGuardMiddleware:
        if not crawler.settings.getbool("NIANBAO_REDIRECT_GUARD"):
            raise NotConfigured
        guard = cls(crawler)
        crawler.signals.connect(guard.request_scheduled, signal=signals.request_scheduled)
        return guard

    def request_scheduled(self, request: Request, spider: object) -> None:
        self.process_request(request)

    def process_request(self, request: Request) -> None:
        if not request.meta.get("redirect_urls"):
            return
        host = (urlsplit(request.url).hostname or "").lower()
        if not allowed(host, list(getattr(self.crawler.spider, "allowed_domains", None) or [])):
            self.crawler.stats.inc_value("nianbao/offsite_redirects")
            if (state := state_of(self.crawler)) is not None:  # settled: the next crawl gets the same 301
                state.mark_known(request.meta["redirect_urls"][0])
            raise IgnoreRequest(f"redirect from {request.meta['redirect_urls'][0]} leaves the portal for {host}")
