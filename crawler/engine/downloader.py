"""Scrapy's downloader with its per-portal concurrency limit enforced.

Scrapy 2.19's ``Downloader._process_queue`` starts each download as a scheduled coroutine, and a
request counts against its slot's concurrency (``slot.transferring``) only once that coroutine runs:
by then the loop has already started every request waiting in the slot. Whenever no delay separates
requests (AutoThrottle off, or its delay near zero on a fast server) a portal got as many requests at
once as ``CONCURRENT_REQUESTS`` allows — 70 at a time in bench_crawl's baseline, for a limit of 2.
This subclass counts a request the moment it is started; ``Downloader._download`` adds it again (a
set) and removes it when its response arrives, as before. tests/e2e/test_politeness.py holds the limit.

It also holds a portal's slot for a while (``hold``: a 429/503's Retry-After, crawler/extensions/retryafter.py):
until then no request of that slot is started, whatever its delay; they wait in its queue.

The private Scrapy names it relies on, pinned and tested: crawler/engine/README.md.
"""

from __future__ import annotations

from time import monotonic

from scrapy.core.downloader import Downloader, Slot
from scrapy.crawler import Crawler
from scrapy.utils.asyncio import call_later
from scrapy.utils.defer import _schedule_coro


class PoliteDownloader(Downloader):
    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        # id(slot) → (slot, monotonic time it is free again); the slot is kept so its id is not reused meanwhile.
        self._held: dict[int, tuple[Slot, float]] = {}

    def hold(self, key: str, seconds: float) -> None:
        """Start no request of slot ``key`` for ``seconds`` from now (a later hold already set stays)."""
        now = monotonic()
        self._held = {ident: held for ident, held in self._held.items() if held[1] > now}
        if (slot := self.slots.get(key)) is not None:
            self._held[id(slot)] = slot, max(self._held.get(id(slot), (slot, 0.0))[1], now + seconds)

    def _process_queue(self, slot: Slot) -> None:
        if slot.latercall:
            return
        now = monotonic()
        if id(slot) in self._held:
            if (held := self._held[id(slot)][1] - now) > 0:
                slot.latercall = call_later(held, self._latercall, slot)
                return
            del self._held[id(slot)]
        delay = slot.download_delay()
        if delay and (penalty := delay - now + slot.lastseen) > 0:
            slot.latercall = call_later(penalty, self._latercall, slot)
            return
        while slot.queue and slot.free_transfer_slots() > 0:
            slot.lastseen = now
            request, queue_dfd = slot.queue.popleft()
            slot.transferring.add(request)  # the fix: counted now, not when the coroutine starts
            _schedule_coro(self._wait_for_download(slot, request, queue_dfd))
            if delay:  # one request per delay, as Scrapy does
                self._process_queue(slot)
                break
