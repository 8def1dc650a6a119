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

The crawlers of a run share one ``WarcFiles`` (``RunSession.warc_files``), so the serial numbers count
up across portals; the last component to close uploads the current files.
"""

from __future__ import annotations

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.http import Headers, Request, Response

from crawler.core.warc import Exchange
from crawler.run.session import session_of, warc_files_of
from crawler.run.warcwriter import SharedWarcFiles
from spiders import meta


class WarcCaptureMiddleware:
    def __init__(self, crawler: Crawler, shared: SharedWarcFiles) -> None:
        self.stats = crawler.stats
        self.session = session_of(crawler)
        self.shared = shared

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcCaptureMiddleware:
        middleware = cls(crawler, warc_files_of(crawler))
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    async def spider_opened(self) -> None:
        await self.shared.call(lambda files: None)  # reads the digest index before the first fetch

    async def spider_closed(self) -> None:
        await self.session.release_warc_files()

    async def process_response(self, request: Request, response: Response) -> Response:
        exchange = exchange_of(request, response)
        ref, revisit = await self.shared.call(lambda files: files.write_fetch(exchange))
        request.meta[meta.WARC] = ref
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
