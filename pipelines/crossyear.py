"""docs/FORMATS.md check 5: compare a report with the same agency's previous-year record already archived.

Finds the report record of the same ``agency`` for ``year - 1`` and appends ``checks.cross_year_checks``
to the new record. A crawl asks the run's report index (loaded by DedupPipeline) by agency and year: a
scan of ``reports/<year-1>/`` per report grew with the archive, quadratic over a province's crawl
(docs/BENCHMARKS.md). Only records archived before this item are seen (a previous year crawled later in
the same run is not); ``nianbao reparse`` can rerun it.
"""

from __future__ import annotations

import asyncio

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from crawler.archive.index import previous_record
from crawler.core.checks import cross_year_checks
from crawler.items import DocumentItem
from crawler.run.session import session_of


class CrossYearPipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats
        self.session = session_of(crawler)
        self.storage = self.session.storage

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrossYearPipeline:
        if not crawler.settings.getbool("NIANBAO_CROSS_YEAR_CHECKS"):
            raise NotConfigured("NIANBAO_CROSS_YEAR_CHECKS is off")
        return cls(crawler)

    async def process_item(self, item: DocumentItem) -> DocumentItem:
        record = item.record
        assert record is not None, "CrossYearPipeline must run after ExtractPipeline"
        if item.duplicate_of or not (record["is_report"] and record.get("year") and record.get("agency")):
            return item
        previous = await asyncio.to_thread(previous_record, self.storage, record["agency"], record["year"],
                                           self.session.index)
        if previous is not None:
            checks = cross_year_checks(record.get("stats") or {}, previous.get("stats") or {})
            record["checks"] = [*record.get("checks", []), *checks]
            self.stats.inc_value("nianbao/cross_year_compared")
        return item

