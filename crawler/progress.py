"""A one-line progress display on a terminal: pages, documents and bytes per portal, redrawn in place.

On only when ``NIANBAO_PROGRESS`` is set (the CLI sets it when stdout is a TTY); under cron the run
prints nothing but its summary.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured


class ProgressLine:
    def __init__(self, crawler: Crawler, out: TextIO, every: float = 0.25) -> None:
        self.stats = crawler.stats
        self.out = out
        self.every = every
        self.drawn_at = 0.0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ProgressLine:
        if not crawler.settings.getbool("NIANBAO_PROGRESS"):
            raise NotConfigured  # bare: off by default, so no "Disabled" warning on every run
        progress = cls(crawler, sys.stdout)
        crawler.signals.connect(progress.update, signal=signals.response_received)
        crawler.signals.connect(progress.update, signal=signals.item_scraped)
        crawler.signals.connect(progress.finish, signal=signals.spider_closed)
        return progress

    def line(self, spider: Spider) -> str:
        value = lambda name: int(self.stats.get_value(name, 0))  # noqa: E731
        return (f"{getattr(spider, 'portal', spider.name)}: {value('downloader/response_count')} pages, "
                f"{value('nianbao/not_modified')} unchanged, {value('item_scraped_count')} documents, "
                f"{value('downloader/response_bytes') / 1024:.0f} KiB")

    def update(self, spider: Spider) -> None:
        if time.monotonic() - self.drawn_at >= self.every:
            self.drawn_at = time.monotonic()
            self.out.write("\r\033[K" + self.line(spider))
            self.out.flush()

    def finish(self, spider: Spider) -> None:
        self.out.write("\r\033[K" + self.line(spider) + "\n")
        self.out.flush()
