"""Dedup + archive pipelines, driven directly: copies merge into also_seen_at in any arrival order."""

from __future__ import annotations

import asyncio
import json
import time
import uuid

from scrapy.utils.test import get_crawler

from crawler.items import DocumentItem
from pipelines.archive import ArchivePipeline
from pipelines.dedup import DedupPipeline

REPORT_ID = "ab" * 32


def item(url: str) -> DocumentItem:
    record = {"report_id": REPORT_ID, "is_report": True, "year": 2019, "text": "报告正文",
              "source": {"url": url}, "also_seen_at": []}
    return DocumentItem(url=url, final_url=url, status=200, content_type=None, body=b"", fetched_at="",
                        portal="p", record=dict(record))


async def run_items(archive, urls, start_copy_first=False):
    crawler = get_crawler(settings_dict={"NIANBAO_ARCHIVE_URI": str(archive), "NIANBAO_CRAWL_ID": uuid.uuid4().hex})
    dedup, store = DedupPipeline(crawler), ArchivePipeline(crawler)
    items = [await dedup.process_item(item(u)) for u in urls]
    order = list(reversed(items)) if start_copy_first else items
    await asyncio.gather(*(store.process_item(i) for i in order))
    await asyncio.gather(dedup.close_spider(), store.close_spider())
    return crawler.stats.get_stats()


def stored(archive):
    (path,) = archive.glob("reports/2019/*.json")
    return json.loads(path.read_text(encoding="utf-8"))


def test_copy_arriving_before_its_original_is_not_lost(tmp_path):
    asyncio.run(run_items(tmp_path, ["http://a/1", "http://a/2", "http://b/3"], start_copy_first=True))
    record = stored(tmp_path)
    assert record["source"]["url"] == "http://a/1"
    assert record["also_seen_at"] == ["http://a/2", "http://b/3"]


def test_index_survives_restart_and_new_copies_merge(tmp_path):
    asyncio.run(run_items(tmp_path, ["http://a/1"]))
    stats = asyncio.run(run_items(tmp_path, ["http://a/1", "http://c/9"]))
    assert stored(tmp_path)["also_seen_at"] == ["http://c/9"]
    assert stats.get("nianbao/records_new") is None  # the restarted run knew the text from the saved index
    assert stats["nianbao/duplicates_merged"] == 1 and stats["nianbao/records_known"] == 1


def test_the_first_copy_to_arrive_stays_the_source_however_the_lookups_finish(tmp_path):
    """The index lookup runs off the reactor; a copy whose lookup ends first must not take the source over."""
    async def run() -> None:
        settings = {"NIANBAO_ARCHIVE_URI": str(tmp_path), "NIANBAO_CRAWL_ID": uuid.uuid4().hex}
        crawler = get_crawler(settings_dict=settings)
        dedup, store = DedupPipeline(crawler), ArchivePipeline(crawler)
        look_up = dedup.index.known

        def slow_for_the_first(storage, record):
            if record["source"]["url"] == "http://a/1":
                time.sleep(0.3)  # a slow read of the shard
            return look_up(storage, record)

        dedup.index.known = slow_for_the_first
        items = await asyncio.gather(dedup.process_item(item("http://a/1")), dedup.process_item(item("http://b/2")))
        assert [i.duplicate_of for i in items] == [None, f"reports/2019/{REPORT_ID}.json"]
        await asyncio.gather(*(store.process_item(i) for i in items))
        await store.close_spider()

    asyncio.run(run())
    record = stored(tmp_path)
    assert (record["source"]["url"], record["also_seen_at"]) == ("http://a/1", ["http://b/2"])
