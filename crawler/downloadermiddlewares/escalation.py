"""Escalate anti-bot challenges to the browser, then go on without it (docs/BROWSER.md)."""

from __future__ import annotations

import logging
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Request, Response
from scrapy_playwright.page import PageMethod

from crawler.core.challenge import challenge_reason
from crawler.engine.browser import pass_challenge
from spiders import meta

logger = logging.getLogger(__name__)


class ChallengeEscalationMiddleware:
    """A challenge answer (crawler/core/challenge.py) is fetched again by Chromium, which runs the script;
    the cookies it earned go into Scrapy's cookie jar with a plain retry of the request, so the rest of
    that host is crawled without the browser. A retry still challenged is logged as an error."""

    def __init__(self, crawler: Crawler, timeout_ms: float) -> None:
        self.stats = crawler.stats
        self.timeout_ms = timeout_ms

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ChallengeEscalationMiddleware:
        if not crawler.settings.getbool("NIANBAO_BROWSER_ESCALATION"):
            raise NotConfigured
        return cls(crawler, crawler.settings.getfloat("NIANBAO_CHALLENGE_TIMEOUT"))

    def process_response(self, request: Request, response: Response) -> Request | Response:
        stage = request.meta.get(meta.CHALLENGE_STAGE)
        if stage == "browser":
            (method,) = request.meta["playwright_page_methods"]
            return self._retry_with(request, method.result or [])  # None: the page method never ran
        reason = challenge_reason(response.status, response.body)
        if reason is None or "playwright" in response.flags:
            return response
        self.stats.inc_value("nianbao/challenges")
        if stage == "cookies":
            self.stats.inc_value("nianbao/challenges_failed")
            logger.error("challenge not passed at %s (%s) even with the browser's cookies", request.url, reason)
            return response
        logger.info("challenge at %s (%s): fetching it with the browser", request.url, reason)
        browser = {**request.meta, meta.CHALLENGE_STAGE: "browser", "playwright": True,
                   "playwright_page_methods": [PageMethod(pass_challenge, self.timeout_ms)]}
        return request.replace(meta=browser, dont_filter=True)

    def _retry_with(self, request: Request, cookies: list[dict[str, Any]]) -> Request:
        """The request again, plain, carrying the cookies the browser earned (the jar keeps them for the host)."""
        self.stats.inc_value("nianbao/challenges_passed")
        plain = {key: value for key, value in request.meta.items() if not key.startswith("playwright")}
        jar_cookies = [{"name": c["name"], "value": c["value"], "path": c.get("path", "/")} for c in cookies]
        return request.replace(meta={**plain, meta.CHALLENGE_STAGE: "cookies"}, cookies=jar_cookies, dont_filter=True)
