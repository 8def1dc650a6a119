"""Progress of a run, per portal and in total: pages, documents, rate and time.

``NIANBAO_PROGRESS`` picks the display: ``bar`` draws rich's live progress table on a terminal (the CLI's
choice when stderr is one), ``log`` writes one plain line per portal every
``NIANBAO_PROGRESS_INTERVAL`` seconds to stderr (the CLI's choice under cron, where nothing redraws),
``off`` (the default for ``scrapy crawl``, which has Scrapy's own LogStats, and the CLI's under
``--log-level ERROR``) shows nothing. Every portal
crawler of a run reports to its session's one display (crawler/run/progressdisplay.py).
"""

from __future__ import annotations

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from crawler.run.progressdisplay import MODES, RunDisplay
from crawler.run.session import portal_name, session_of


class RunProgress:
    """Feeds one portal crawler's pages and documents to its run's display."""

    def __init__(self, display: RunDisplay) -> None:
        self.display = display

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunProgress:
        mode = crawler.settings.get("NIANBAO_PROGRESS", "off")
        if mode not in MODES:
            raise ValueError(f"NIANBAO_PROGRESS={mode!r}: use one of {', '.join(MODES)}")
        if mode == "off":
            raise NotConfigured  # bare: off for scrapy crawl, so no "Disabled" warning on every run
        display = session_of(crawler).progress_display(mode, crawler.settings.getfloat("NIANBAO_PROGRESS_INTERVAL"))
        progress = cls(display)
        crawler.signals.connect(progress.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(progress.response_received, signal=signals.response_received)
        crawler.signals.connect(progress.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(progress.spider_closed, signal=signals.spider_closed)
        return progress

    def spider_opened(self, spider: Spider) -> None:
        self.display.opened(portal_name(spider))

    def response_received(self, spider: Spider) -> None:
        self.display.count(portal_name(spider), pages=1)

    def item_scraped(self, spider: Spider) -> None:
        self.display.count(portal_name(spider), documents=1)

    def spider_closed(self, spider: Spider) -> None:
        self.display.closed()
