"""Check 5 in the crawl: a report is compared with its agency's previous-year record in the archive."""

from __future__ import annotations

import asyncio
import random

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from crawler.core.record import Fetched, build_record
from crawler.items import DocumentItem
from pipelines.archive import ArchivePipeline
from pipelines.crossyear import CrossYearPipeline
from pipelines.dedup import DedupPipeline
from sampleportal.reportgen import generate


def record_for(seed: int, year: int) -> dict:
    """A generated 2021-format report page, re-dated and re-issued by one agency."""
    report = generate(random.Random(seed), "2021")
    page = report.html().replace(str(report.year), str(year)).replace(report.agency, "样例县人民政府")
    return build_record(Fetched(body=page.encode("utf-8"), url=f"http://x/{year}.html", content_type="text/html"))


def as_item(record: dict) -> DocumentItem:
    url = record["source"]["url"]
    return DocumentItem(url=url, final_url=url, status=200, content_type="text/html", body=b"", fetched_at="",
                        portal="p", record=record)


async def crawl(archive, records):
    crawler = get_crawler(settings_dict={"NIANBAO_ARCHIVE_URI": str(archive), "NIANBAO_CROSS_YEAR_CHECKS": True})
    dedup, cross, store = DedupPipeline(crawler), CrossYearPipeline.from_crawler(crawler), ArchivePipeline(crawler)
    for record in records:  # one after the other: the earlier year is archived first
        await store.process_item(await cross.process_item(await dedup.process_item(as_item(record))))
    await dedup.close_spider()
    return crawler.stats.get_stats()


def test_previous_year_in_the_archive_adds_cross_year_checks(tmp_path):
    before, now = record_for(1, 2022), record_for(2, 2023)
    assert before["agency"] == now["agency"] and before["year"] == 2022 and now["year"] == 2023
    stats = asyncio.run(crawl(tmp_path, [before, now]))
    cross = [c for c in now["checks"] if c["name"].startswith("跨年")]
    carried = {c["scope"]: c for c in cross if c["name"] == "跨年 上年结转=上年结转下年"}
    assert carried["自然人"]["expected"] == before["stats"]["结转下年度继续办理/自然人"]
    assert carried["自然人"]["actual"] == now["stats"]["上年结转政府信息公开申请数量/自然人"]
    assert {c["scope"] for c in cross if c["name"] == "跨年 现行有效件数"} == {"规章", "行政规范性文件"}
    assert not [c for c in before["checks"] if c["name"].startswith("跨年")]
    assert stats["nianbao/cross_year_compared"] == 1
    again = record_for(2, 2023)  # a later run, which finds the 2022 record through the saved index shard
    assert asyncio.run(crawl(tmp_path, [{**again, "report_id": "f" * 64}]))["nianbao/cross_year_compared"] == 1


def test_switched_off_by_setting():
    with pytest.raises(NotConfigured):
        CrossYearPipeline.from_crawler(get_crawler(settings_dict={"NIANBAO_CROSS_YEAR_CHECKS": False}))
