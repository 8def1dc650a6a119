"""Keep each portal's crawl state (crawler/archive/crawlstate.py) in the archive for the length of a crawl.

Loaded when the spider opens and published in the run's session (``crawler.run.session.state_of``) for
the conditional-GET middleware and the spiders' look-back; a document's URL becomes known when its item is done
(scraped or dropped with a reason); saved every ``NIANBAO_STATE_SAVE_INTERVAL`` seconds while items
finish, and when the spider closes, by compare-and-swap: a newer save of another worker is merged in.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from crawler.archive.crawlstate import CrawlState
from crawler.archive.layout import state_key
from crawler.run.session import portal_name, session_of
from storage.cas import write_merged


class CrawlStateKeeper:
    def __init__(self, crawler: Crawler, interval: float) -> None:
        self.crawler = crawler
        self.session = session_of(crawler)
        self.storage = self.session.storage
        self.interval = interval
        self.state: CrawlState | None = None
        self.saved_at = time.monotonic()
        self._saving = asyncio.Lock()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlStateKeeper:
        if not crawler.settings.getbool("NIANBAO_CRAWL_STATE"):
            raise NotConfigured("NIANBAO_CRAWL_STATE is off")
        keeper = cls(crawler, crawler.settings.getfloat("NIANBAO_STATE_SAVE_INTERVAL"))
        crawler.signals.connect(keeper.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(keeper.item_done, signal=signals.item_scraped)
        crawler.signals.connect(keeper.item_done, signal=signals.item_dropped)
        crawler.signals.connect(keeper.spider_closed, signal=signals.spider_closed)
        return keeper

    async def spider_opened(self, spider: Spider) -> None:
        portal = portal_name(spider)
        self.state = await asyncio.to_thread(CrawlState.load, self.storage, portal)
        self.session.states[portal] = self.state
        self.crawler.stats.set_value("nianbao/state_known_at_start", len(self.state.known))

    async def item_done(self, item: Any) -> None:
        # A copy still waiting for its original's record is not done: a kill now would lose its URL.
        if self.state is None or not hasattr(item, "url") or getattr(item, "merge_pending", False):
            return
        self.state.mark_known(item.url)
        if time.monotonic() - self.saved_at >= self.interval:
            await self.save()

    async def spider_closed(self) -> None:
        # Out of the session first: a copy settled from now on is marked in the saved state instead
        # (crawler/archive/copies.py), not in this one after its last save. A run over a thousand portals
        # holds only the running ones' states.
        if self.state is not None:
            self.session.states.pop(self.state.portal, None)
        await self.save()

    async def save(self) -> None:
        async with self._saving:
            if self.state is None or not self.state.changed:
                return
            state = self.state
            data = state.to_bytes()
            state.changed = False
            self.saved_at = time.monotonic()
            # Another worker may have crawled the portal since (a job redelivered while this one was stuck):
            # its newer state is merged in, never overwritten.
            written = await asyncio.to_thread(write_merged, self.storage, state_key(state.portal), data,
                                              state.version, state.absorb)
            state.version = written.version
            self.crawler.stats.inc_value("nianbao/state_saves")
            if written.conflicts:
                self.crawler.stats.inc_value("nianbao/state_write_conflicts", written.conflicts)
