"""The report index: saved in the archive a shard per agency, reconciled, rebuildable, shared across portals."""

from __future__ import annotations

import asyncio
import json
import uuid

from scrapy.utils.test import get_crawler

from crawler.archive.index import ReportIndex
from crawler.archive.layout import LEGACY_INDEX, index_shard_key
from crawler.archive.records import record_bytes
from crawler.items import DocumentItem
from pipelines.archive import ArchivePipeline
from pipelines.dedup import DedupPipeline
from storage import LocalStorage
from tests.support.archive import archive_files, index_entries
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
    async def archive(dedup: DedupPipeline, store: ArchivePipeline, item: DocumentItem) -> None:
        await store.process_item(await dedup.process_item(item))

    work = []
    for (dedup, store), (portal, records) in zip(stages, portals.items(), strict=True):
        work += [archive(dedup, store, document(r, portal)) for r in records]
    await asyncio.gather(*work)
    for dedup, store in stages:
        await asyncio.gather(dedup.close_spider(), store.close_spider())


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


def test_each_agency_has_its_own_shard_and_a_crawl_reads_only_the_shards_it_needs(tmp_path):
    county, bureau, lookalike = "1" * 64, "2" * 64, "3" * 64
    asyncio.run(crawl_portals(tmp_path, {"p": [record(county, "http://p.test/1"),
                                               record(bureau, "http://p.test/2", agency="样例县教育局"),
                                               {**record(lookalike, "http://p.test/3"), "agency": None,
                                                "is_report": False}]}))
    shards = {key for key in archive_files(tmp_path) if key.startswith("index/")}
    assert shards == {index_shard_key("样例县人民政府", county), index_shard_key("样例县教育局", bureau),
                      index_shard_key(None, lookalike)}
    store = LocalStorage(tmp_path)
    index = ReportIndex()
    assert index.known(store, record(county, "http://p.test/1")).key == f"reports/2019/{county}.json"
    assert set(index.shards) == {index_shard_key("样例县人民政府", county)}  # the bureau's shard is not read


def test_an_entry_whose_record_is_gone_is_dropped_when_met(tmp_path):
    rid = "4" * 64
    asyncio.run(crawl_portals(tmp_path, {"p": [record(rid, "http://p.test/1")]}))
    (tmp_path / "reports" / "2019" / f"{rid}.json").unlink()
    asyncio.run(crawl_portals(tmp_path, {"p": [record(rid, "http://p.test/1")]}))
    assert set(stored(tmp_path)) == {rid}  # archived again, not taken for a copy of the gone record
    assert set(index_entries(tmp_path)) == {rid}


def test_saved_index_is_reconciled_with_the_records(tmp_path):
    store = LocalStorage(tmp_path)
    kept, dropped, late = "c" * 64, "d" * 64, "e" * 64
    asyncio.run(crawl_portals(tmp_path, {"p": [record(kept, "http://p.test/1"), record(dropped, "http://p.test/2",
                                                                                       year=2020)]}))
    assert set(index_entries(tmp_path)) == {kept, dropped}
    store.delete(f"reports/2020/{dropped}.json")
    store.put(f"reports/2021/{late}.json", record_bytes(record(late, "http://p.test/3", year=2021)))  # after the save
    store.put(LEGACY_INDEX, b"{}")  # a whole index written by an earlier version
    reconciled = ReportIndex.reconcile(store)
    assert set(reconciled.entries) == {kept, late} and not store.exists(LEGACY_INDEX)
    assert reconciled.entries[late].key == f"reports/2021/{late}.json" and reconciled.entries[late].year == 2021
    assert reconciled.entries == ReportIndex.rebuild(store).entries
    reconciled.save(store)
    assert set(index_entries(tmp_path)) == {kept, late}


def test_crawl_saves_an_index_equal_to_a_rebuild_and_the_command_rebuilds_it(sample_portal, tmp_path):
    archive = tmp_path / "archive"
    crawl = run_cli("crawl", sample_portal.home_url, "--proxy", sample_portal.url, "--archive", str(archive))
    assert crawl.returncode == 0, crawl.stderr
    saved = {path: path.read_bytes() for path in (archive / "index").rglob("*.json")}
    assert len(index_entries(archive)) == 12
    for path in saved:
        path.unlink()
    result = run_cli("index", "--rebuild", "--archive", str(archive))
    assert result.returncode == 0 and "12 records in" in result.stdout
    assert "(10 reports, 2 look-alikes)" in result.stdout
    assert {path: path.read_bytes() for path in (archive / "index").rglob("*.json")} == saved
