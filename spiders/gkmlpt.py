"""Guangdong gkmlpt portals: window._CONFIG (SID, TREE) on /gkmlpt/index, lists from the JSON API
/gkmlpt/api/all/{cat}?page=N&sid=SID for every 年报 category, /gkmlpt/content/… articles
(PORTALS.md "CMS families": Guangdong gkmlpt)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import scrapy
from scrapy.http import Response

from spiders.base import PortalSpider
from spiders.links import COLUMN_TEXT

_CONFIG = re.compile(r"window\._CONFIG\s*=\s*(\{.*?\});?\s*</script>", re.S)
_ARTICLE_PATH = re.compile(r"/gkmlpt/content/[\w/]+/post_\d+\.html$")


def gkml_config(text: str) -> dict[str, Any]:
    match = _CONFIG.search(text)
    try:
        return json.loads(match.group(1)) if match else {}
    except ValueError:
        return {}


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
        for category in dict.fromkeys(report_categories(config.get("TREE") or [])):
            yield self.api(response, category, config["SID"], 1)

    def api(self, response: Response, category: int, sid: str, page: int) -> scrapy.Request:
        url = response.urljoin(f"/gkmlpt/api/all/{category}?page={page}&sid={sid}")
        return scrapy.Request(url, callback=self.parse_api, errback=self.fetch_failed,
                              cb_kwargs={"category": category, "sid": sid, "page": page})

    def parse_api(self, response: Response, category: int, sid: str, page: int) -> Iterator[scrapy.Request]:
        listing = json.loads(response.text)
        articles = [url for article in listing.get("articles", [])
                    if _ARTICLE_PATH.search((url := str(article.get("url", ""))).split("?")[0])]
        for url in articles:
            yield self.follow(response, url, self.parse_article)
        size = max(1, int(listing.get("page_size") or len(listing.get("articles", [])) or 1))
        pages = self.list_pages(response, -(-int(listing.get("total", 0)) // size), first=page == 1)
        later = [self.api(response, category, sid, number) for number in range(page + 1, pages + 1)]
        yield from self.paging(response, articles, later, first=page == 1)
