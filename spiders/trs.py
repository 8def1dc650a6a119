"""TRS WCM portals: home → 信息公开 hub → 年报 column (index.html, index_N.html) → t-date articles."""

from __future__ import annotations

import re
from collections.abc import Iterator

import scrapy
from scrapy.http import Response

from crawler.items import DocumentItem
from spiders.base import PortalSpider

_COLUMN_TEXT = re.compile(r"年报|年度报告|年報|年度報告")
_HUB_TEXT = re.compile(r"信息公开|政务公开|信息公開|政務公開")
_ARTICLE_HREF = re.compile(r"(^|/)t\d{8}_\d+\.s?html?$")
_PAGER = re.compile(r"""createPageHTML\(\s*(\d+)\s*,\s*\d+\s*,\s*["'](\w+)["']\s*,\s*["'](\w+)["']""")
_COUNT_PAGE = re.compile(r"var\s+countPage\s*=\s*(\d+)")


def links_by_text(response: Response, pattern: re.Pattern[str]) -> list[str]:
    return [
        a.attrib["href"]
        for a in response.css("a[href]")
        if pattern.search(" ".join(a.css("::text").getall())) and not a.attrib["href"].startswith("javascript")
    ]


def pager_urls(response: Response) -> list[str]:
    """index_1.html … index_{N-1}.html from createPageHTML(N, cur, "index", "html") or countPage."""
    match = _PAGER.search(response.text)
    if match:
        count, stem, ext = int(match.group(1)), match.group(2), match.group(3)
    elif count_match := _COUNT_PAGE.search(response.text):
        count, stem, ext = int(count_match.group(1)), "index", "html"
    else:
        return []
    return [f"{stem}_{n}.{ext}" for n in range(1, count)]


class TrsSpider(PortalSpider):
    name = "trs"

    def parse(self, response: Response) -> Iterator[scrapy.Request]:
        columns = links_by_text(response, _COLUMN_TEXT)
        for href in columns:
            yield self.follow(response, href, self.parse_column)
        if not columns:
            for href in links_by_text(response, _HUB_TEXT):
                yield self.follow(response, href, self.parse_hub)

    def parse_hub(self, response: Response) -> Iterator[scrapy.Request]:
        for href in links_by_text(response, _COLUMN_TEXT):
            yield self.follow(response, href, self.parse_column)

    def parse_column(self, response: Response) -> Iterator[scrapy.Request]:
        hrefs = [href.strip() for href in response.css("a::attr(href)").getall()]
        articles = list(dict.fromkeys(response.urljoin(href) for href in hrefs if _ARTICLE_HREF.search(href)))
        for url in articles:
            yield self.follow(response, url, self.parse_article)
        yield from self.follow_pages(response, articles, pager_urls(response), self.parse_column)

    def parse_article(self, response: Response) -> Iterator[DocumentItem | scrapy.Request]:
        yield from self.documents(response)
        yield from self.attachment_requests(response)
