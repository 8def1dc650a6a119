"""开普云 UCAP portals: .shtml columns paged index_N.shtml ("共N页"), 年报汇总 pages, and
/{site}/{col}/YYYYMM/{32 hex}.shtml articles with 文件下载 rows (docs/PORTALS.md "CMS families": 开普云 UCAP)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import scrapy
from scrapy.http import Response

from spiders.base import PortalSpider
from spiders.links import COLUMN_TEXT, HUB_TEXT, links_by_text, listed_reports, page_count

_ARTICLE_HREF = re.compile(r"/\d{6}/[0-9a-f]{32}\.shtml$")
_LIST_HREF = re.compile(r"^(?!.*/\d{6}/)[^?#]+\.shtml$")  # a column or summary page, not an article
_PAGE = re.compile(r"index(?:_(\d+))?\.shtml$")


class UcapSpider(PortalSpider):
    name = "ucap"

    def parse(self, response: Response) -> Iterator[scrapy.Request]:
        """A start page: a home page or 信息公开 hub (its 年报 column links followed), or a 年报 list itself."""
        if listed_reports(response, _ARTICLE_HREF):
            yield from self.parse_list(response)
        columns = [h for h in links_by_text(response, COLUMN_TEXT) if _LIST_HREF.match(h.strip())]
        for href in columns:
            yield self.follow(response, href.strip(), self.parse_list)
        if not columns:
            for href in links_by_text(response, HUB_TEXT):
                yield self.follow(response, href.strip(), self.parse)

    def parse_list(self, response: Response) -> Iterator[scrapy.Request]:
        articles = [h for h in dict.fromkeys(h.strip() for h in response.css("a::attr(href)").getall())
                    if _ARTICLE_HREF.search(h)]
        for href in articles:
            yield self.follow(response, href, self.parse_article)
        for href in links_by_text(response, COLUMN_TEXT):  # 年报汇总 → one page per year
            if _LIST_HREF.match(href.strip()) and not _PAGE.search(href.strip()):
                yield self.follow(response, href.strip(), self.parse_list)
        if page := _PAGE.search(response.url):
            number = int(page.group(1) or 0)
            last = self.list_pages(response, page_count(response.text), first=number == 0)
            later = [self.follow(response, f"index_{n}.shtml", self.parse_list) for n in range(number + 1, last)]
            yield from self.paging(response, articles, later, first=number == 0)
