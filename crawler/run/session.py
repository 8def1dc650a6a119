"""What the crawlers of one run share, in one object: the archive, its report index, the WARC files, the
parse processes, each portal's crawl state and report.

The runner (``crawler/run/inprocess.py``) creates one ``RunSession`` for the portals it crawls, attaches
it to every crawler it creates and closes it when the run ends; components reach it with
``session_of(crawler)``. A crawler started by ``scrapy crawl`` gets a session of its own, closed when its
engine stops. Sharing matters: when a remote archive fails every crawler sees it at once and their
later writes go to the same spool; copies of a report merge across portals through one index; the WARC
serial numbers count up across portals.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.settings import BaseSettings
from scrapy.statscollectors import StatsCollector

from crawler.archive.copies import PendingCopies, URLPortals
from crawler.archive.crawlstate import CrawlState
from crawler.archive.index import ReportIndex
from crawler.archive.layout import new_crawl_id
from crawler.archive.warcfiles import WarcFiles
from crawler.run.extractpool import ExtractPool, extract_workers
from crawler.run.progressdisplay import RunDisplay
from crawler.run.warcwriter import SharedWarcFiles
from storage import LocalStorage, Storage, StorageError, open_storage
from storage.spool import SpooledStorage, spool_dir_for

_ATTRIBUTE = "nianbao_session"


def open_archive(settings: BaseSettings) -> Storage:
    """The archive of ``NIANBAO_ARCHIVE_URI``; a remote one wrapped in a spool (``NIANBAO_SPOOL_DIR``)."""
    storage = open_storage(settings.get("NIANBAO_ARCHIVE_URI"))
    spool = settings.get("NIANBAO_SPOOL_DIR")
    if spool and not isinstance(storage, LocalStorage):
        storage = SpooledStorage(storage, spool_dir_for(spool, storage.location))
    return storage


def portal_name(spider: Spider) -> str:
    return getattr(spider, "portal", None) or spider.name


class RunSession:
    """The shared state of one run over one archive."""

    def __init__(self, storage: Storage, settings: BaseSettings) -> None:
        self.storage = storage
        self.settings = settings
        self.crawl_id = settings.get("NIANBAO_CRAWL_ID") or new_crawl_id()
        self.index = ReportIndex()  # its shards are read as the crawlers meet their agencies
        self.index_saved_at = 0.0  # time.monotonic() of its last save: at most every NIANBAO_STATE_SAVE_INTERVAL
        # report_id → the key its record has or will have, settled by the first item of that text to arrive
        self.report_keys: dict[str, asyncio.Future[str]] = {}
        self.record_locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        self.copies = PendingCopies()  # copies met whose URLs their records do not list yet
        self.write_failure: StorageError | None = None  # the first write the archive refused (a full disk)
        self.states: dict[str, CrawlState] = {}  # portal → its crawl state, while its crawler runs
        self.reports: list[dict[str, Any]] = []  # one per portal crawl that ended, in the order they ended
        self._warc: SharedWarcFiles | None = None
        self._extract: ExtractPool | None = None
        self._display: RunDisplay | None = None

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> RunSession:
        return cls(open_archive(settings), settings)

    def attach(self, crawler: Crawler) -> None:
        setattr(crawler, _ATTRIBUTE, self)

    async def put(self, stats: StatsCollector | None, key: str, data: bytes, *, replace: bool = False) -> bool:
        """Write one archive object off the reactor; the first refused write is kept (``ArchiveHealth``)."""
        try:
            written = await asyncio.to_thread(self.storage.put, key, data, replace=replace)
        except StorageError as exc:
            self.write_failure = self.write_failure or exc
            raise
        if written and stats is not None:
            spooled = getattr(self.storage, "unavailable", None) is not None
            stats.inc_value("nianbao/objects_spooled" if spooled else "nianbao/objects_written")
        return written

    def settle_copies(self, urls: URLPortals) -> None:
        """Copies now listed in their records: known in their portals' crawl states (when kept)."""
        if self.settings.getbool("NIANBAO_CRAWL_STATE"):
            self.copies.settle(urls, self.states)

    def flush_copies(self) -> None:
        """Write every pending copy into its record, at the end of the run (its crawlers closed)."""
        self.settle_copies(self.copies.flush(self.storage, sorted(self.copies.pending)))
        self.copies.save_known_later(self.storage)

    def extract_pool(self) -> ExtractPool:
        """The run's parse processes (``NIANBAO_EXTRACT_PROCESSES``), started on first use."""
        if self._extract is None:
            self._extract = ExtractPool(extract_workers(self.settings.getint("NIANBAO_EXTRACT_PROCESSES")))
        return self._extract

    def warc_files(self) -> SharedWarcFiles:
        """The run's WARC files, opened by their first user since the last close."""
        if self._warc is None:
            files = WarcFiles(self.storage, self.crawl_id, self.settings.getint("NIANBAO_WARC_MAX_BYTES"),
                              host=self.settings.get("NIANBAO_WARC_HOST") or None)
            self._warc = SharedWarcFiles(files)
        self._warc.users += 1
        return self._warc

    async def release_warc_files(self) -> None:
        """One user done with the WARC files; the last uploads them."""
        shared = self._warc
        assert shared is not None and shared.users > 0, "release_warc_files without warc_files"
        shared.users -= 1
        if shared.users == 0:
            self._warc = None
            await shared.close()

    def progress_display(self, mode: str, interval: float) -> RunDisplay:
        if self._display is None:
            self._display = RunDisplay(mode, interval)
        return self._display

    def close(self) -> None:
        """End the parse processes. The index is saved by whoever ends the run (its failure is reported)."""
        if self._extract is not None:
            self._extract.shutdown()
            self._extract = None


def session_of(crawler: Crawler) -> RunSession:
    """The session ``crawler`` belongs to; a crawler of ``scrapy crawl`` gets its own, closed with it."""
    session = getattr(crawler, _ATTRIBUTE, None)
    if session is None:
        session = RunSession.from_settings(crawler.settings)
        session.attach(crawler)
        crawler.signals.connect(session.close, signal=signals.engine_stopped)
    return session


def state_of(crawler: Crawler) -> CrawlState | None:
    """The crawl state of ``crawler``'s portal; None when incremental crawling is off."""
    spider = crawler.spider
    return session_of(crawler).states.get(portal_name(spider)) if spider is not None else None


def warc_files_of(crawler: Crawler) -> SharedWarcFiles:
    """The run's WARC files for a component of ``crawler`` (which must release them when it closes)."""
    if not crawler.settings.getbool("NIANBAO_WARC"):
        raise NotConfigured("NIANBAO_WARC is off")
    return session_of(crawler).warc_files()
