"""Link finding the family spiders share: links by their text, and the page count a list prints."""

from __future__ import annotations

import re

from scrapy.http import Response

COLUMN_TEXT = re.compile(r"年报|年度报告|年報|年度報告")
HUB_TEXT = re.compile(r"信息公开|政务公开|信息公開|政務公開")
_PAGE_COUNT = re.compile(r"共\s*(\d+)\s*页")
MAX_LIST_PAGES = 2000  # a list claiming more pages than this is a trap, not a column


def links_by_text(response: Response, pattern: re.Pattern[str]) -> list[str]:
    """hrefs of the page's links whose text matches ``pattern`` (javascript: links left out)."""
    return [
        a.attrib["href"]
        for a in response.css("a[href]")
        if pattern.search(" ".join(a.css("::text").getall())) and not a.attrib["href"].startswith("javascript")
    ]


def listed_reports(response: Response, article: re.Pattern[str]) -> list[str]:
    """hrefs of the page's article links (``article``) whose text names an annual report: a page with
    any is itself a 年报 list, wherever the crawl started."""
    return [href for href in links_by_text(response, COLUMN_TEXT) if article.search(href.strip())]


def hrefs(response: Response, pattern: re.Pattern[str]) -> list[str]:
    """Distinct hrefs, stripped, that match ``pattern``."""
    return list(dict.fromkeys(h.strip() for h in response.css("a::attr(href)").getall() if pattern.search(h.strip())))


def page_count(text: str) -> int:
    """The "共N页" a list prints (1 when it prints none); ``PortalSpider.list_pages`` caps it."""
    match = _PAGE_COUNT.search(text)
    return int(match.group(1)) if match else 1
