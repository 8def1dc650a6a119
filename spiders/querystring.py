"""Query-string portals (ASP.NET/JSP): list.aspx?cid=N&page=K lists ("共N页") and content.aspx?id=…
articles (docs/PORTALS.md "CMS families": others). Only the canonical ``cid`` + ``page`` list URLs are
built, up to the printed page count, so endless "next" links and re-sorted copies are never followed."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import parse_qs, urlencode, urlsplit

import scrapy
from scrapy.http import Response

from spiders.base import PortalSpider
from spiders.links import COLUMN_TEXT, HUB_TEXT, links_by_text, listed_reports, page_count

_LIST_HREF = re.compile(r"(?i)(list|column|more)\w*\.(aspx|jsp|php|asp)\?")
_ARTICLE_HREF = re.compile(
    r"(?i)(content|show|detail|view|article)\w*\.(aspx|jsp|php|asp)\?(\w+=\w+&)*(id|aid|infoid)=\d+$")


def list_url(url: str, page: int) -> str | None:
    """The canonical URL of page ``page`` of the list ``url`` names: its column id and the page only."""
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    column = next(((key, query[key][0]) for key in ("cid", "classid", "columnid", "catid") if key in query), None)
    if column is None:
        return None
    return parts._replace(query=urlencode([column, ("page", str(page))]), fragment="").geturl()


class QueryStringSpider(PortalSpider):
    name = "querystring"

    def parse(self, response: Response) -> Iterator[scrapy.Request]:
        """A start page: a home page or hub (its list links followed), or a 年报 list itself."""
        if list_url(response.url, 1) and listed_reports(response, _ARTICLE_HREF):
            yield from self.parse_list(response)
        for href in links_by_text(response, COLUMN_TEXT) + links_by_text(response, HUB_TEXT):
            if _LIST_HREF.search(href) and (first := list_url(response.urljoin(href), 1)):
                yield self.follow(response, first, self.parse_list)

    def parse_list(self, response: Response) -> Iterator[scrapy.Request]:
        articles = [h for h in dict.fromkeys(h.strip() for h in response.css("a::attr(href)").getall())
                    if _ARTICLE_HREF.search(h)]
        for href in articles:
            yield self.follow(response, href, self.parse_article)
        number = int((parse_qs(urlsplit(response.url).query).get("page") or ["1"])[0])
        last = self.list_pages(response, page_count(response.text), first=number == 1)
        later = [self.follow(response, url, self.parse_list)
                 for page in range(number + 1, last + 1) if (url := list_url(response.url, page))]
        yield from self.paging(response, articles, later, first=number == 1)
