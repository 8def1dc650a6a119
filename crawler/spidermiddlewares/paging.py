"""Depth that paging does not deepen, and list pages left unfetched counted, never silent.

Scrapy's ``DepthMiddleware`` gives every request the depth of the page it came from plus one. Lists are
walked one page from the next (the look-back), so page N of a column sat at depth N and ``DEPTH_LIMIT``
silently dropped the rest of a long list with its reports. ``DEPTH_LIMIT`` guards against link chains
that never end; a list's pages are bounded by the page count it prints (capped at
``spiders.links.MAX_LIST_PAGES``), so a request marked ``spiders.meta.LIST_PAGE`` keeps the depth of the page it was
found on. Any request still dropped for depth is counted (``nianbao/depth_skipped``) and logged as a
warning with its URL; list pages a spider decides not to fetch are counted by ``skip_list_pages``.
"""

from __future__ import annotations

import logging

from scrapy.crawler import Crawler
from scrapy.http import Request, Response
from scrapy.spidermiddlewares.depth import DepthMiddleware

from spiders import meta

LIST_PAGES_SKIPPED = "nianbao/list_pages_skipped"
DEPTH_SKIPPED = "nianbao/depth_skipped"

logger = logging.getLogger(__name__)


class PagingDepthMiddleware(DepthMiddleware):
    """``DepthMiddleware`` (replaces it in ``SPIDER_MIDDLEWARES``) where a list's next page is no deeper."""

    def get_processed_request(self, request: Request, response: Response | None) -> Request | None:
        if response is not None and request.meta.get(meta.LIST_PAGE):
            request.meta["depth"] = depth = response.meta["depth"]
            request.priority -= depth * self.prio
            return request
        processed = super().get_processed_request(request, response)
        if processed is None:
            self.stats.inc_value(DEPTH_SKIPPED)
            logger.warning("not fetched, deeper than DEPTH_LIMIT=%d: %s", self.maxdepth, request.url,
                           extra={"spider": self.crawler.spider})
        return processed


def skip_list_pages(crawler: Crawler, url: str, count: int, why: str) -> None:
    """Count ``count`` pages of the list at ``url`` that will not be fetched, and say why in the log."""
    if count > 0:
        crawler.stats.inc_value(LIST_PAGES_SKIPPED, count)
        logger.warning("%d list pages of %s not fetched: %s", count, url, why, extra={"spider": crawler.spider})
