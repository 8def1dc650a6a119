"""A User-Agent that says who runs the crawl: ``USER_AGENT`` with ``NIANBAO_CONTACT`` appended."""

from __future__ import annotations

from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.useragent import UserAgentMiddleware


def contact_user_agent(user_agent: str, contact: str) -> str:
    return f"{user_agent} (contact: {contact})" if contact else user_agent


class ContactUserAgentMiddleware(UserAgentMiddleware):
    """Scrapy's UserAgentMiddleware, with the operator's contact (mail or URL) in the default User-Agent."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ContactUserAgentMiddleware:
        settings = crawler.settings
        return cls(contact_user_agent(settings["USER_AGENT"], settings.get("NIANBAO_CONTACT", "")))
