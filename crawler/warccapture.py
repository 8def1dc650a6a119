"""WARC capture: a request and a response (or revisit) record for every fetch, attachments included.

Order (checked against scrapy/core/downloader/middleware.py): ``process_request`` methods run from
low to high order numbers and ``process_response`` methods from high to low (the manager
``appendleft``s them). At 860 this middleware sees every request after all the header-setting ones
(DefaultHeaders 400, UserAgent 500, HttpCompression 590 with its Accept-Encoding, Cookies 700,
HttpProxy 750), so the request record shows what was sent; and it sees every response before
Redirect (600) turns a 3xx into a new request and before HttpCompression (590) decodes the body, so
the response record holds what the server sent. (Twisted has already removed the chunking and the
connection headers: see ``crawler.core.warc``.)

A 304 answer is recorded as it came (a request and a server-not-modified revisit of the URL's last
capture) before ConditionalGetMiddleware (below) hands on the archived body.

The crawlers of one process that share an archive and a crawl ID share one ``WarcFiles``, so the
serial numbers count up across portals; the last component to close uploads the current files.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ClassVar, TypeVar

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Headers, Request, Response

from crawler.archiving import storage_from_settings
from crawler.core.warc import Exchange
from crawler.runreport import new_crawl_id
from crawler.warcfiles import WarcFiles

T = TypeVar("T")
WARC_META = "nianbao_warc"  # request.meta key: the WarcRef of the response record holding the body


class SharedWarcFiles:
    """One ``WarcFiles`` per (archive, crawl ID) in this process, opened once, closed by its last user.

    Its blocking work runs in a thread of its own, in submission order: a write then never queues
    behind the long extraction jobs of the shared default executor, and the writes are serialized anyway.
    """

    _open: ClassVar[dict[tuple[str, str], SharedWarcFiles]] = {}

    def __init__(self, files: WarcFiles) -> None:
        self.files = files
        self.users = 0
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="nianbao-warc")
        self._opened: asyncio.Future[None] | None = None

    @classmethod
    def acquire(cls, crawler: Crawler) -> SharedWarcFiles:
        settings = crawler.settings
        if not settings.getbool("NIANBAO_WARC"):
            raise NotConfigured("NIANBAO_WARC is off")
        storage = storage_from_settings(settings)
        key = (storage.location, settings.get("NIANBAO_CRAWL_ID") or "")
        shared = cls._open.get(key)
        if shared is None:
            files = WarcFiles(storage, key[1] or new_crawl_id(), settings.getint("NIANBAO_WARC_MAX_BYTES"),
                              host=settings.get("NIANBAO_WARC_HOST") or None)
            shared = cls._open[key] = cls(files)
        shared.users += 1
        return shared

    async def call(self, work: Callable[[WarcFiles], T]) -> T:
        """``work(files)`` in the WARC thread, once the archive's digest index is read."""
        loop = asyncio.get_running_loop()
        if self._opened is None:
            self._opened = loop.run_in_executor(self._thread, self.files.open)
        await asyncio.shield(self._opened)
        return await loop.run_in_executor(self._thread, work, self.files)

    async def release(self) -> None:
        self.users -= 1
        if self.users == 0:
            for key, shared in list(self._open.items()):
                if shared is self:
                    del self._open[key]
            await asyncio.get_running_loop().run_in_executor(self._thread, self.files.close)
            self._thread.shutdown()


class WarcCaptureMiddleware:
    def __init__(self, crawler: Crawler, shared: SharedWarcFiles) -> None:
        self.stats = crawler.stats
        self.shared = shared

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcCaptureMiddleware:
        middleware = cls(crawler, SharedWarcFiles.acquire(crawler))
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    async def spider_opened(self) -> None:
        await self.shared.call(lambda files: None)  # reads the digest index before the first fetch

    async def spider_closed(self) -> None:
        await self.shared.release()

    async def process_response(self, request: Request, response: Response) -> Response:
        exchange = exchange_of(request, response)
        ref, revisit = await self.shared.call(lambda files: files.write_fetch(exchange))
        request.meta[WARC_META] = ref
        self.stats.inc_value("nianbao/warc_records/request")
        self.stats.inc_value("nianbao/warc_records/" + ("revisit" if revisit else "response"))
        return response


def exchange_of(request: Request, response: Response) -> Exchange:
    return Exchange(
        url=response.url,
        method=request.method,
        request_headers=_header_pairs(request.headers),
        request_body=request.body,
        status=response.status,
        response_headers=_header_pairs(response.headers),
        body=response.body,
        protocol=response.protocol if (response.protocol or "").startswith("HTTP/1") else "HTTP/1.1",
        rendered=bool(request.meta.get("playwright")) or "rendered" in response.flags,
    )


def _header_pairs(headers: Headers) -> tuple[tuple[str, str], ...]:
    return tuple((name.decode("latin-1"), value.decode("latin-1"))
                 for name, values in headers.items() for value in values)
