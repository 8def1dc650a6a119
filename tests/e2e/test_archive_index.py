"""The report index: saved in the archive, reconciled on load, rebuildable, shared across portals."""

from __future__ import annotations

import asyncio
import json
import uuid

from scrapy.utils.test import get_crawler

from crawler.archive.index import ReportIndex
from crawler.archive.layout import REPORT_INDEX
from crawler.archive.records import record_bytes
from crawler.items import DocumentItem
from pipelines.archive import ArchivePipeline
from pipelines.dedup import DedupPipeline
from storage import LocalStorage
from tests.support.cli import run_cli


def record(report_id: str, url: str, agency: str = "样例县人民政府", year: int = 2019) -> dict:
    return {"report_id": report_id, "is_report": True, "agency": agency, "year": year, "text": "正文",
            "source": {"url": url, "fetched_at": "2026-11-25T00:00:00+00:00"}, "also_seen_at": []}


def document(rec: dict, portal: str) -> DocumentItem:
    url = rec["source"]["url"]
    return DocumentItem(url=url, final_url=url, status=200, content_type=None, body=b"", fetched_at="",
                        portal=portal, record=json.loads(json.dumps(rec)))


async def crawl_portals(archive, portals: dict[str, list[dict]]) -> None:
    """One crawler per portal, as the runner makes them, all in one run (one crawl id)."""
    settings = {"NIANBAO_ARCHIVE_URI": str(archive), "NIANBAO_CRAWL_ID": uuid.uuid4().hex}
    crawlers = [get_crawler(settings_dict=settings) for _ in portals]
    stages = [(DedupPipeline(c), ArchivePipeline(c)) for c in crawlers]
    for dedup, _ in stages:
        await dedup.open_spider()
    work = []
    for (dedup, store), (portal, records) in zip(stages, portals.items(), strict=True):
        work += [store.process_item(dedup.process_item(document(r, portal))) for r in records]
    await asyncio.gather(*work)
    for dedup, _ in stages:
        await dedup.close_spider()


def stored(archive) -> dict[str, dict]:
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in archive.glob("reports/*/*.json")}


def test_a_report_on_two_portals_is_one_record_with_both_urls(tmp_path):
    a, b = "a" * 64, "b" * 64
    asyncio.run(crawl_portals(tmp_path, {"county": [record(a, "http://county.test/1")],
                                         "bureau": [record(a, "http://bureau.test/9"), record(b, "http://bureau.test/2",
                                                                                              agency="样例县教育局")]}))
    records = stored(tmp_path)
    assert set(records) == {a, b}
    assert {records[a]["source"]["url"], *records[a]["also_seen_at"]} == {"http://county.test/1", "http://bureau.test/9"}


def test_a_changed_text_for_the_same_agency_and_year_links_the_earlier_version(tmp_path):
    first, second = "1" * 64, "2" * 64
    asyncio.run(crawl_portals(tmp_path, {"county": [record(first, "http://county.test/2019")]}))
    asyncio.run(crawl_portals(tmp_path, {"county": [record(second, "http://county.test/2019-corrected")]}))
    records = stored(tmp_path)
    assert records[second]["versions"] == [first]
    assert records[first]["versions"] == []  # the earlier record is never rewritten


def test_saved_index_is_reconciled_with_the_records_on_load(tmp_path):
    store = LocalStorage(tmp_path)
    kept, dropped, late = "c" * 64, "d" * 64, "e" * 64
    asyncio.run(crawl_portals(tmp_path, {"p": [record(kept, "http://p.test/1"), record(dropped, "http://p.test/2",
                                                                                       year=2020)]}))
    assert set(json.loads(store.get(REPORT_INDEX))["entries"]) == {kept, dropped}
    store.delete(f"reports/2020/{dropped}.json")
    store.put(f"reports/2021/{late}.json", record_bytes(record(late, "http://p.test/3", year=2021)))  # after the save
    loaded = ReportIndex.load(store)
    assert set(loaded.entries) == {kept, late}
    assert loaded.entries[late].key == f"reports/2021/{late}.json" and loaded.entries[late].year == 2021
    assert loaded.entries == ReportIndex.rebuild(store).entries


def test_crawl_saves_an_index_equal_to_a_rebuild_and_the_command_rebuilds_it(sample_portal, tmp_path):
    archive = tmp_path / "archive"
    crawl = run_cli("crawl", sample_portal.home_url, "--proxy", sample_portal.url, "--archive", str(archive))
    assert crawl.returncode == 0, crawl.stderr
    store = LocalStorage(archive)
    saved = store.get(REPORT_INDEX)
    assert ReportIndex.rebuild(store).to_bytes() == saved
    assert len(json.loads(saved)["entries"]) == 12
    store.delete(REPORT_INDEX)
    result = run_cli("index", "--rebuild", "--archive", str(archive))
    assert result.returncode == 0 and "12 records (10 reports, 2 look-alikes)" in result.stdout
    assert store.get(REPORT_INDEX) == saved
