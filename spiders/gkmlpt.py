"""Guangdong gkmlpt portals: window._CONFIG (SID, TREE) on /gkmlpt/index, lists from the JSON API
/gkmlpt/api/all/{cat}?page=N&sid=SID for every 年报 category, /gkmlpt/content/… articles
(docs/PORTALS.md "CMS families": Guangdong gkmlpt). A department's platform lives under a subpath of the
county's site (/zqhjj/gkmlpt/…): its API is asked under the same subpath."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import chompjs
import scrapy
from scrapy.http import Response

from spiders.base import PortalSpider
from spiders.links import COLUMN_TEXT

_CONFIG = re.compile(r"window\._CONFIG\s*=\s*(?=\{)")
_ARTICLE_PATH = re.compile(r"/gkmlpt/content/[\w/]+/post_\d+\.html$")


def gkml_config(text: str) -> dict[str, Any]:
    """``window._CONFIG``: a JavaScript object literal (``{SID: '755001', …}``) as real pages write it, or JSON."""
    match = _CONFIG.search(text)
    if match is None:
        return {}
    try:
        config = chompjs.parse_js_object(text[match.end():])
    except ValueError:
        return {}
    return config if isinstance(config, dict) else {}


def post_count(listing: dict[str, Any]) -> int:
    """The number of posts a list API reply counts: ``classify.post_count`` on real portals, else ``total``."""
    classify = listing.get("classify")
    count = classify.get("post_count") if isinstance(classify, dict) else None
    try:
        return int(count if count is not None else listing.get("total") or 0)
    except (TypeError, ValueError):
        return 0


def platform_root(path: str) -> str:
    """The path the platform lives under: '' for /gkmlpt/index, '/zqhjj' for /zqhjj/gkmlpt/index."""
    head, found, _ = path.partition("/gkmlpt/")
    return head if found else ""


def report_categories(tree: list[dict[str, Any]]) -> Iterator[int]:
    """Ids of the TREE nodes (at any depth) named like an annual-report column."""
    for node in tree:
        if COLUMN_TEXT.search(str(node.get("name", ""))):
            yield int(node["id"])
        yield from report_categories(node.get("children") or [])


class GkmlptSpider(PortalSpider):
    name = "gkmlpt"

    def parse(self, response: Response) -> Iterator[scrapy.Request]:
        config = gkml_config(response.text)
        if not config:
            for href in response.css("a::attr(href)").getall():
                if "/gkmlpt/index" in href:
                    yield self.follow(response, href, self.parse)
            return
        root = platform_root(urlsplit(response.url).path)
        for category in dict.fromkeys(report_categories(config.get("TREE") or [])):
            yield self.api(response, category, str(config["SID"]), 1, root)

    def api(self, response: Response, category: int, sid: str, page: int, root: str) -> scrapy.Request:
        url = response.urljoin(f"{root}/gkmlpt/api/all/{category}?page={page}&sid={sid}")
        return scrapy.Request(url, callback=self.parse_api, errback=self.fetch_failed,
                              cb_kwargs={"category": category, "sid": sid, "page": page, "root": root})

    def parse_api(self, response: Response, category: int, sid: str, page: int,
                  root: str) -> Iterator[scrapy.Request]:
        listing = json.loads(response.text)
        articles = [url for article in listing.get("articles", [])
                    if _ARTICLE_PATH.search((url := str(article.get("url", ""))).split("?")[0])]
        for url in articles:
            yield self.follow(response, url, self.parse_article)
        size = max(1, int(listing.get("page_size") or len(listing.get("articles", [])) or 1))
        pages = self.list_pages(response, -(-post_count(listing) // size), first=page == 1)
        later = [self.api(response, category, sid, number, root) for number in range(page + 1, pages + 1)]
        yield from self.paging(response, articles, later, first=page == 1)
