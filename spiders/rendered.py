"""Portals whose 年报 list is built by JavaScript: list pages rendered by Chromium, everything else plain.

home (plain) → 年报 column link → list pages (index.html, index_N.html) rendered, links read from the
rendered DOM: links under the column's directory are articles (fetched plainly), its index pages more lists.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import scrapy
from scrapy.http import Response
from scrapy_playwright.page import PageMethod

from crawler.items import DocumentItem
from spiders.base import PortalSpider
from spiders.links import COLUMN_TEXT, links_by_text

_LIST_PAGE = re.compile(r"/index(_\d+)?\.s?html?$")


class JsListSpider(PortalSpider):
    name = "jslist"

    def parse(self, response: Response) -> Iterator[scrapy.Request]:
        for href in links_by_text(response, COLUMN_TEXT):
            yield self.rendered(response, href)

    def rendered(self, response: Response, url: str) -> scrapy.Request:
        """A list page fetched by Chromium, read once its scripts' requests have settled."""
        meta = {"playwright": True, "playwright_page_methods": [PageMethod("wait_for_load_state", "networkidle")]}
        return response.follow(url, callback=self.parse_list, errback=self.fetch_failed, meta=meta)

    def parse_list(self, response: Response) -> Iterator[scrapy.Request]:
        column = response.url.rsplit("/", 1)[0] + "/"
        for href in dict.fromkeys(response.css("a::attr(href)").getall()):
            url = response.urljoin(href.strip())
            if not url.startswith(column):
                continue
            if _LIST_PAGE.search(url):
                yield self.rendered(response, url)
            else:
                yield self.follow(response, url, self.parse_article)

    def parse_article(self, response: Response) -> Iterator[DocumentItem | scrapy.Request]:
        yield self.document(response)
        yield from self.attachment_requests(response)
