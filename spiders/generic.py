"""Portals of no known family: fingerprint the home page and become that family's spider, or
else walk links by their text (信息公开 → 年报 columns → report titles), a few levels deep."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, Self

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.http import Response

from crawler.core.attachments import attachment_name
from crawler.run.session import state_of
from crawler.spidermiddlewares.paging import skip_list_pages
from spiders import meta
from spiders.base import PortalSpider
from spiders.families import SPIDERS
from spiders.fingerprint import fingerprint
from spiders.links import COLUMN_TEXT, HUB_TEXT, links_by_text

_REPORT_TITLE = re.compile(r"(19|20)\d\d.*(年度报告|年报|年度報告|年報|工作报告)")
_NEXT_TEXT = re.compile(r"下一页|下页")
MAX_HOPS = 4  # hub and column pages followed by text from the home page
MAX_LIST_PAGES = 50  # "下一页" links followed per list
_FAMILY = "nianbao_family"  # the family in a JOBDIR's spider state


class GenericSpider(PortalSpider):
    """Told a family, this spider becomes that family's spider (``adopt``): the family's callbacks are then
    its own methods, so Scrapy can name them when it writes a request to a JOBDIR queue (a backfill). A
    second spider object handing requests over could not be named there: they stayed in memory and a
    stopped backfill lost them. The family is kept in the crawl state; a later crawl, or a backfill resumed
    from its queue, starts as that family's spider before any request is read back."""

    name = "generic"
    fingerprint = True  # the registry's family "generic" turns it off: walk by text only
    _decided = False  # the first start page answered decides the family, for the whole crawl

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        spider = super().from_crawler(crawler, *args, **kwargs)
        if spider.fingerprint:  # engine_started: after the crawl state is loaded, before any request is read
            crawler.signals.connect(spider.known_family, signal=signals.engine_started)
        return spider

    def known_family(self) -> None:
        """Become the family an earlier crawl told: the crawl state's, else (crawl state off) the one kept in
        the JOBDIR with Scrapy's ``spider.state``."""
        state = state_of(self.crawler)
        family = (state.family if state is not None else None) or getattr(self, "state", {}).get(_FAMILY)
        if family is not None and not self._decided:
            self.adopt(family)

    def adopt(self, family: str | None) -> None:
        self._decided = True
        self.crawler.stats.set_value("nianbao/family", family if family in SPIDERS else "generic")
        if family not in SPIDERS:
            return
        self.name = type(self).name  # the run report still names the spider the portal was given
        self.__class__ = SPIDERS[family]  # type: ignore[assignment]
        if (state := state_of(self.crawler)) is not None:
            state.tell_family(family)
        if isinstance(getattr(self, "state", None), dict):  # a JOBDIR: Scrapy saves it with the queue
            self.state[_FAMILY] = family

    def parse(self, response: Response) -> Iterator[scrapy.Request]:
        if not self._decided:
            self.adopt(fingerprint(response.text) if self.fingerprint else None)
        if not isinstance(self, GenericSpider):  # adopted: a start page asked for before is read by the family
            yield from self.parse(response)
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


class _TextOnlySpider(GenericSpider):
    """The registry's family "generic": links by text, no fingerprinting."""

    name = "generic_text"
    fingerprint = False


def spider_for(family: str | None) -> type[PortalSpider]:
    """The family's spider; no family: fingerprint the home page (``GenericSpider``)."""
    if family == "generic":
        return _TextOnlySpider
    return SPIDERS.get(family or "", GenericSpider)
