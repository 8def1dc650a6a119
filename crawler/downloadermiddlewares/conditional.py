"""Conditional GET: ask with the validators the crawl state holds; a 304 becomes the archived body.

A URL fetched before with an ETag or a Last-Modified is requested with If-None-Match /
If-Modified-Since. The portal's 304 carries no body, so the response handed on is the body archived
under the remembered SHA-256, flagged ``meta.REVALIDATED``: list pages are parsed as before
(their links are needed for paging) and spiders skip the items of known documents. A 200 updates the
state's validators. Sits below RawCaptureMiddleware (580), which sets ``raw_sha256`` and skips 304s.
"""

from __future__ import annotations

import asyncio

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Headers, Request, Response
from scrapy.responsetypes import responsetypes

from crawler.archive.crawlstate import Validators
from crawler.archive.layout import raw_key
from crawler.run.session import session_of, state_of
from spiders import meta
from storage import StorageError

_CONDITIONAL = (b"If-None-Match", b"If-Modified-Since")


class ConditionalGetMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.storage = session_of(crawler).storage

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ConditionalGetMiddleware:
        if not crawler.settings.getbool("NIANBAO_CRAWL_STATE"):
            raise NotConfigured("NIANBAO_CRAWL_STATE is off")
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        state = state_of(self.crawler)
        validators = state.urls.get(request.url) if state is not None else None
        if validators is None or request.meta.get(meta.UNCONDITIONAL):
            return
        if validators.etag:
            request.headers.setdefault(b"If-None-Match", validators.etag)
        if validators.last_modified:
            request.headers.setdefault(b"If-Modified-Since", validators.last_modified)
        request.meta[meta.VALIDATORS] = validators

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        state = state_of(self.crawler)
        validators = request.meta.get(meta.VALIDATORS)
        if response.status == 304 and validators is not None:
            return await self._archived(request, response, validators)
        if state is not None and response.status == 200 and (sha := request.meta.get(meta.RAW_SHA256)):
            etag, modified = response.headers.get(b"ETag"), response.headers.get(b"Last-Modified")
            if etag or modified:
                content_type = response.headers.get(b"Content-Type")
                state.remember(request.url, Validators(sha, _text(content_type), _text(etag), _text(modified)))
        return response

    async def _archived(self, request: Request, response: Response, validators: Validators) -> Request | Response:
        try:
            body = await asyncio.to_thread(self.storage.get, raw_key(validators.sha256))
        except StorageError:
            # The archive lost the body the validators stand for: fetch it again in full.
            self.stats.inc_value("nianbao/revalidated_body_missing")
            headers = Headers({k: v for k, v in request.headers.items() if k not in _CONDITIONAL})
            asked = {**request.meta, meta.UNCONDITIONAL: True}
            return request.replace(headers=headers, dont_filter=True, meta=asked)
        self.stats.inc_value("nianbao/not_modified")
        request.meta[meta.REVALIDATED] = True
        request.meta[meta.RAW_SHA256] = validators.sha256
        headers = Headers({"Content-Type": validators.content_type} if validators.content_type else {})
        cls = responsetypes.from_args(headers=headers, url=response.url, body=body)
        return cls(url=response.url, status=200, headers=headers, body=body, request=request, flags=["revalidated"])


def _text(value: bytes | None) -> str | None:
    return value.decode("latin-1") if value else None
