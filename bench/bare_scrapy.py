"""The baseline of bench_crawl: bare Scrapy fetching a list of URLs through a proxy, doing nothing else.

``python -m bench.bare_scrapy URLS PROXY`` reads one URL per line, GETs them all with the crawler's
per-portal concurrency (and its downloader, which holds that limit) and none of our middlewares or
pipelines, and prints the responses received.
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from pathlib import Path

import scrapy
from scrapy.crawler import CrawlerProcess

from crawler import settings as ours


class BareSpider(scrapy.Spider):
    name = "bare"

    def __init__(self, urls: str, proxy: str, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.lines = Path(urls).read_text(encoding="utf-8").splitlines()
        self.proxy = proxy

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.lines:
            yield scrapy.Request(url, dont_filter=True,
                                 meta={"proxy": self.proxy, "dont_redirect": True, "handle_httpstatus_all": True})

    def parse(self, response: scrapy.http.Response) -> None:
        return None


def main(argv: list[str]) -> int:
    urls, proxy = argv
    process = CrawlerProcess({
        "TWISTED_REACTOR": ours.TWISTED_REACTOR, "CONCURRENT_REQUESTS": ours.CONCURRENT_REQUESTS * 5,
        "CONCURRENT_REQUESTS_PER_DOMAIN": ours.CONCURRENT_REQUESTS_PER_DOMAIN, "ROBOTSTXT_OBEY": False,
        # Scrapy 2.19's own downloader does not hold the per-domain limit (crawler/engine/downloader.py): ours does.
        "DOWNLOADER": ours.DOWNLOADER,
        "LOG_LEVEL": "ERROR", "TELNETCONSOLE_ENABLED": False, "RETRY_ENABLED": False,
    })
    crawler = process.create_crawler(BareSpider)
    process.crawl(crawler, urls=urls, proxy=proxy)
    process.start()
    print(crawler.stats.get_value("response_received_count", 0))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
