"""Backfill: keep only the records of the requested reporting years (``NIANBAO_YEARS``, e.g. 2008-2024).

A record whose year is stated and outside the range is dropped with the reason (counted
``nianbao/outside_years``); a record with no stated year is kept, since nothing says it is outside.
"""

from __future__ import annotations

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem, NotConfigured

from crawler.items import DocumentItem


def parse_years(text: str) -> tuple[int, int]:
    """``2008-2024`` or ``2019`` → (first, last); ValueError on anything else."""
    first, _, last = text.strip().partition("-")
    if not (first.isdigit() and (not last or last.isdigit())) or int(last or first) < int(first):
        raise ValueError(f"invalid year range {text!r}: expected e.g. 2008-2024")
    return int(first), int(last or first)


class YearFilterPipeline:
    def __init__(self, crawler: Crawler, years: tuple[int, int]) -> None:
        self.stats = crawler.stats
        self.first, self.last = years

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> YearFilterPipeline:
        text = crawler.settings.get("NIANBAO_YEARS")
        if not text:
            raise NotConfigured  # bare: off by default, so no "Disabled" warning on every run
        return cls(crawler, parse_years(text))

    def process_item(self, item: DocumentItem) -> DocumentItem:
        assert item.record is not None, "YearFilterPipeline must run after ExtractPipeline"
        year = item.record.get("year")
        if year is not None and not self.first <= year <= self.last:
            self.stats.inc_value("nianbao/outside_years")
            raise DropItem(f"year {year} outside {self.first}-{self.last}: {item.url}", log_level="INFO")
        return item
