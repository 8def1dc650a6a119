"""docs/FORMATS.md check 5: compare a report with the same agency's previous-year record already archived.

Finds the report record of the same ``agency`` for ``year - 1`` and appends ``checks.cross_year_checks``
to the new record. A crawl asks the run's report index (loaded by DedupPipeline) by agency and year: a
scan of ``reports/<year-1>/`` per report grew with the archive, quadratic over a province's crawl
(docs/BENCHMARKS.md). Only records archived before this item are seen (a previous year crawled later in
the same run is not); ``nianbao reparse`` can rerun it.
"""

from __future__ import annotations

import asyncio
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from crawler.archiveindex import ReportIndex
from crawler.archiving import session_from_settings
from crawler.core.checks import cross_year_checks
from crawler.damage import read_record
from crawler.items import DocumentItem
from storage.base import Storage


class CrossYearPipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats
        self.session = session_from_settings(crawler.settings)
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


def previous_record(storage: Storage, agency: str, year: int,
                    index: ReportIndex | None = None) -> dict[str, Any] | None:
    """The archived report record of ``agency`` for ``year - 1``, if there is exactly one: found through
    ``index`` when given, else by reading every record of that year."""
    if index is not None:
        found_ids = index.versions(agency, year - 1, but="")
        key = index.entries[found_ids[0]].key if len(found_ids) == 1 else None
        return read_record(storage, key) if key and storage.exists(key) else None
    found = []
    for key in storage.keys(f"reports/{year - 1}/"):
        record = read_record(storage, key)
        if record is not None and record.get("is_report") and record.get("agency") == agency:
            found.append(record)
    return found[0] if len(found) == 1 else None
