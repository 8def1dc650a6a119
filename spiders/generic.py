"""Portals of no known family: fingerprint the home page and hand over to that family's spider, or
else walk links by their text (信息公开 → 年报 columns → report titles), a few levels deep."""

from __future__ import annotations

import re
from collections.abc import Iterator

import scrapy
from scrapy.http import Response

from crawler.core.attachments import attachment_name
from crawler.spidermiddlewares.paging import skip_list_pages
from spiders import meta
from spiders.base import PortalSpider
from spiders.links import COLUMN_TEXT, HUB_TEXT, links_by_text

_REPORT_TITLE = re.compile(r"(19|20)\d\d.*(年度报告|年报|年度報告|年報|工作报告)")
_NEXT_TEXT = re.compile(r"下一页|下页")
MAX_HOPS = 4  # hub and column pages followed by text from the home page
MAX_LIST_PAGES = 50  # "下一页" links followed per list


class GenericSpider(PortalSpider):
    name = "generic"
    fingerprint = True  # the registry's family "generic" turns it off: walk by text only

    def parse(self, response: Response) -> Iterator[scrapy.Request]:
        from spiders.families import SPIDERS, fingerprint

        family = fingerprint(response.text) if self.fingerprint else None
        self.crawler.stats.set_value("nianbao/family", family or "generic")
        if family in SPIDERS:
            delegate = SPIDERS[family](self.start_url, portal=self.portal, allowed_domains=self.allowed_domains,
                                       region_code=self.region_code)
            delegate.crawler, delegate.settings = self.crawler, self.settings
            yield from delegate.parse(response)
            return
        yield from self.parse_list(response, hops=0, pages=0)

    def parse_list(self, response: Response, hops: int, pages: int) -> Iterator[scrapy.Request]:
        for anchor in response.css("a[href]"):
            href, text = anchor.attrib["href"].strip(), " ".join(anchor.css("::text").getall())
            if href.startswith("javascript") or attachment_name(response.urljoin(href)):
                continue
            if _REPORT_TITLE.search(text):
                yield self.follow(response, href, self.parse_article)
        if hops < MAX_HOPS:
            for href in links_by_text(response, COLUMN_TEXT) + links_by_text(response, HUB_TEXT):
                request = self.follow(response, href, self.parse_list)
                request.cb_kwargs.update(hops=hops + 1, pages=0)
                yield request
        next_pages = links_by_text(response, _NEXT_TEXT)
        if pages >= MAX_LIST_PAGES:
            skip_list_pages(self.crawler, response.url, len(next_pages), f"{MAX_LIST_PAGES} pages of the list walked")
            return
        for href in next_pages:
            request = self.follow(response, href, self.parse_list)
            request.cb_kwargs.update(hops=hops, pages=pages + 1)
            request.meta[meta.LIST_PAGE] = True  # as deep as the list's first page (PagingDepthMiddleware)
            yield request
