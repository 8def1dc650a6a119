"""What every portal spider shares: its start URL, its own domain, errbacks and document items."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler.core.attachments import attachment_name
from crawler.items import DocumentItem
from crawler.run.session import state_of
from crawler.spidermiddlewares.paging import skip_list_pages
from spiders import meta
from spiders.links import MAX_LIST_PAGES


class PortalSpider(scrapy.Spider):
    """Base for per-CMS spiders. Subclasses implement ``parse`` (the home page) and list callbacks."""

    def __init__(
        self, start_url: str, portal: str | None = None, allowed_domains: Sequence[str] = (),
        extra_starts: Sequence[str] = (), region_code: str | None = None, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.start_url = start_url
        self.extra_starts = tuple(u for u in dict.fromkeys(extra_starts) if u != start_url)
        host = urlsplit(start_url).hostname or ""
        self.portal = portal or host
        self.region_code = region_code
        self.allowed_domains = list(allowed_domains) or [host]
        self._starts_failed = 0

    async def start(self) -> AsyncIterator[scrapy.Request]:
        """The home page, then the registry's other start pages (another candidate home, an entry page, a
        年报 column): each is parsed as a start page of whatever kind it turns out to be."""
        for url in (self.start_url, *self.extra_starts):
            yield scrapy.Request(url, callback=self.parse, errback=self.start_failed)

    def start_failed(self, failure: Failure) -> None:
        """A start page failed; the portal's start failed when every one of them did."""
        reason = failure.getErrorMessage() or failure.type.__name__
        self._starts_failed += 1
        url = failure.request.url if getattr(failure, "request", None) else self.start_url
        if self._starts_failed > len(self.extra_starts):
            self.crawler.stats.set_value("nianbao/start_error", reason)
            self.logger.error("cannot fetch start URL %s: %s", url, reason)
        else:
            self.crawler.stats.inc_value("nianbao/start_pages_failed")
            self.logger.warning("cannot fetch start page %s: %s", url, reason)

    def fetch_failed(self, failure: Failure) -> None:
        request = getattr(failure, "request", None)
        if request is not None and ((failure.check(IgnoreRequest) and not failure.check(HttpError))
                                    or _client_error(failure)):
            self._settled(request)
        if failure.check(IgnoreRequest) and not failure.check(HttpError):  # robots.txt, off-site: not errors
            self.crawler.stats.inc_value("nianbao/requests_ignored")
            self.logger.info("not fetched: %s: %s", request.url if request else "?", failure.getErrorMessage())
            return
        self.crawler.stats.inc_value("nianbao/fetch_errors")
        self.logger.error("fetch failed: %s: %s", request.url if request else "?", failure.getErrorMessage())

    def _settled(self, request: scrapy.Request) -> None:
        """A link refused by policy (robots.txt, off-site redirect) or answered 4xx is done for the look-back:
        the next crawl meets the same answer, so a list page holding it can still count as known."""
        state = state_of(self.crawler)
        if state is not None:
            state.mark_known((request.meta.get("redirect_urls") or [request.url])[0])

    def follow(self, response: Response, url: str, callback: Any, meta: dict[str, Any] | None = None) -> scrapy.Request:
        return response.follow(url, callback=callback, errback=self.fetch_failed, meta=meta)

    def paging(self, response: Response, articles: Sequence[str], later: Sequence[scrapy.Request],
               first: bool) -> Iterator[scrapy.Request]:
        """The requests for a list's pages after this one (``later``, oldest last), this page listing ``articles``.

        With crawl state and ``NIANBAO_LOOKBACK_PAGES`` > 0, pages are walked one by one and the walk
        stops after that many consecutive pages listing only known articles (not while documents whose
        records were damaged are due again: ``CrawlState.refetch``). Otherwise (first crawl,
        backfill) every later page is requested at once, from the ``first`` page only. A list's pages are
        as deep as its first (``crawler.spidermiddlewares.paging``): however long the list, ``DEPTH_LIMIT``
        does not cut it.
        """
        for request in later:
            request.meta[meta.LIST_PAGE] = True
        state, lookback = state_of(self.crawler), self.settings.getint("NIANBAO_LOOKBACK_PAGES")
        if state is None or lookback <= 0:
            if first:
                yield from later
            return
        known = bool(articles) and all(state.is_known(response.urljoin(url)) for url in articles)
        streak = response.meta.get(meta.KNOWN_PAGES, 0) + 1 if known else 0
        if streak >= lookback and not state.refetch:
            if later:  # pages left unasked
                self.crawler.stats.inc_value("nianbao/paging_stopped")
            return
        if later:
            later[0].meta[meta.KNOWN_PAGES] = streak
            yield later[0]

    def list_pages(self, response: Response, printed: int, first: bool) -> int:
        """How many pages of a list that prints ``printed`` pages to walk: at most ``MAX_LIST_PAGES``; the
        pages over it are counted skipped and logged (once, from the list's ``first`` page)."""
        if first:
            skip_list_pages(self.crawler, response.url, printed - MAX_LIST_PAGES,
                            f"the list prints {printed} pages, more than the {MAX_LIST_PAGES} walked")
        return min(printed, MAX_LIST_PAGES)

    def attachment_requests(self, response: Response) -> Iterator[scrapy.Request]:
        """Requests for the document files (.pdf/.doc(x)/.wps/.xls(x)) an article page links to.

        Each carries the page as context: when the page is only a link to its report, the record is
        built from the attachment under the page's title, 发布机构 and 发布日期.
        """
        page = self.document(response).fetched()
        for href in dict.fromkeys(response.css("a::attr(href)").getall()):
            url = response.urljoin(href.strip())
            if attachment_name(url):
                yield scrapy.Request(url, callback=self.parse_attachment, errback=self.fetch_failed,
                                     meta={meta.PAGE: page})

    def parse_article(self, response: Response) -> Iterator[DocumentItem | scrapy.Request]:
        yield from self.article(response, ())

    def article(self, response: Response, continued: Sequence[str]) -> Iterator[DocumentItem | scrapy.Request]:
        """The article's item, with its ``continued`` pages (t…_1.html …) fetched first and joined to it."""
        yield from self.attachment_requests(response)
        for item in self.documents(response):
            if not continued:
                yield item
                continue
            pending = [response.urljoin(url) for url in continued]
            yield self._continuation(response, item, pending)

    def _continuation(self, response: Response, item: DocumentItem, pending: list[str]) -> scrapy.Request:
        return scrapy.Request(pending[0], callback=self.parse_continuation, errback=self.continuation_failed,
                              meta={meta.ARTICLE: item, meta.PENDING: pending[1:]})

    def parse_continuation(self, response: Response) -> Iterator[DocumentItem | scrapy.Request]:
        item: DocumentItem = response.meta[meta.ARTICLE]
        item.continued = (*item.continued, self.document(response).fetched())
        yield from self.attachment_requests(response)
        pending = response.meta[meta.PENDING]
        yield self._continuation(response, item, pending) if pending else item

    def continuation_failed(self, failure: Failure) -> Iterator[DocumentItem]:
        """A page of a long article could not be fetched: the article is kept with the pages it has."""
        self.fetch_failed(failure)
        item: DocumentItem = failure.request.meta[meta.ARTICLE]
        self.crawler.stats.inc_value("nianbao/articles_incomplete")
        yield item

    def parse_attachment(self, response: Response) -> Iterator[DocumentItem]:
        for item in self.documents(response):
            item.page = response.meta[meta.PAGE]
            yield item

    def documents(self, response: Response) -> Iterator[DocumentItem]:
        """The page's item, unless the portal answered 304 for a document already done (counted unchanged)."""
        state = state_of(self.crawler)
        if response.meta.get(meta.REVALIDATED) and state is not None and state.is_known(_first_url(response)):
            self.crawler.stats.inc_value("nianbao/unchanged_documents")
            return
        yield self.document(response)

    def document(self, response: Response) -> DocumentItem:
        content_type = response.headers.get(b"Content-Type")
        return DocumentItem(
            url=_first_url(response),
            final_url=response.url,
            status=response.status,
            content_type=content_type.decode("latin-1") if content_type else None,
            body=response.body,
            fetched_at=datetime.now(UTC).isoformat(timespec="seconds"),
            portal=self.portal,
            warc=response.meta.get(meta.WARC),
            region_code=self.region_code,
        )


def _client_error(failure: Failure) -> bool:
    """A 4xx answer (404, 410…): the link is dead, not the portal (5xx is retried by the next crawl)."""
    return bool(failure.check(HttpError)) and 400 <= failure.value.response.status < 500


def _first_url(response: Response) -> str:
    """The URL the spider asked for (before redirects): the item's ``url`` and its key in the crawl state."""
    return (response.request.meta.get("redirect_urls") or [response.url])[0]
