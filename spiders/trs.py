"""TRS WCM portals: home → 信息公开 hub → 年报 column (index.html, index_N.html, per-year sub-columns)
→ t-date articles, long ones continued at t…_1.html (docs/PORTALS.md "CMS families": TRS WCM)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import scrapy
from scrapy.http import Response

from crawler.items import DocumentItem
from spiders.base import PortalSpider
from spiders.links import COLUMN_TEXT, HUB_TEXT, MAX_LIST_PAGES, hrefs, links_by_text, listed_reports

_ARTICLE_HREF = re.compile(r"(^|/)t\d{8}_\d+\.s?html?$")
_SUBCOLUMN_HREF = re.compile(r"^(\./)?[\w-]+/index\.s?html?$")  # ./2019/index.html beside the column's index
_PAGER = re.compile(r"""createPageHTML\(\s*(\d+)\s*,\s*\d+\s*,\s*["'](\w+)["']\s*,\s*["'](\w+)["']""")
_COUNT_PAGE = re.compile(r"var\s+countPage\s*=\s*(\d+)")


def pager(response: Response) -> tuple[int, str, str]:
    """(N, stem, ext) from createPageHTML(N, cur, "stem", "ext"), or (N, "index", "html") from countPage;
    a page without a pager is one page."""
    if match := _PAGER.search(response.text):
        return int(match.group(1)), match.group(2), match.group(3)
    if count_match := _COUNT_PAGE.search(response.text):
        return int(count_match.group(1)), "index", "html"
    return 1, "index", "html"


def pager_urls(response: Response) -> list[str]:
    """stem_1.ext … stem_{N-1}.ext of the page's pager, at most MAX_LIST_PAGES - 1 of them."""
    count, stem, ext = pager(response)
    return [f"{stem}_{n}.{ext}" for n in range(1, min(count, MAX_LIST_PAGES))]


class TrsSpider(PortalSpider):
    name = "trs"

    def parse(self, response: Response) -> Iterator[scrapy.Request]:
        """A start page: a home page or 信息公开 hub (its 年报 column links followed), or a 年报 list itself."""
        if listed_reports(response, _ARTICLE_HREF):
            yield from self.parse_column(response)
        columns = [h for h in links_by_text(response, COLUMN_TEXT) if not _ARTICLE_HREF.search(h.strip())]
        for href in columns:
            yield self.follow(response, href, self.parse_column)
        if not columns:
            for href in links_by_text(response, HUB_TEXT):
                yield self.follow(response, href, self.parse_hub)

    def parse_hub(self, response: Response) -> Iterator[scrapy.Request]:
        for href in links_by_text(response, COLUMN_TEXT):
            yield self.follow(response, href, self.parse_column)

    def parse_column(self, response: Response) -> Iterator[scrapy.Request]:
        articles = [response.urljoin(href) for href in hrefs(response, _ARTICLE_HREF)]
        for url in articles:
            yield self.follow(response, url, self.parse_article)
        pages = [response.urljoin(url) for url in pager_urls(response)]
        first = response.url not in pages
        self.list_pages(response, pager(response)[0], first)  # counts the pages past MAX_LIST_PAGES
        later = pages if first else pages[pages.index(response.url) + 1:]
        yield from self.paging(response, articles, [self.follow(response, url, self.parse_column) for url in later],
                               first=first)
        for href in links_by_text(response, COLUMN_TEXT):
            if _SUBCOLUMN_HREF.match(href.strip()):
                yield self.follow(response, href.strip(), self.parse_column)

    def parse_article(self, response: Response) -> Iterator[DocumentItem | scrapy.Request]:
        yield from self.article(response, pager_urls(response))  # a long article continues at t…_1.html
