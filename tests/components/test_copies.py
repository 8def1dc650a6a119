"""Copies' URLs reach their record in batches (crawler/archive/copies.py): one write per record and flush,
another writer's URLs kept, a refused write keeps them pending and unknown, and each copy becomes known in
its portal's crawl state only once its record lists it."""

from __future__ import annotations

import asyncio
import json
import uuid

import pytest
from scrapy.utils.test import get_crawler

from crawler.archive.copies import PendingCopies, merge_urls
from crawler.archive.crawlstate import CrawlState
from crawler.archive.layout import state_key
from crawler.archive.records import record_bytes
from crawler.items import DocumentItem
from pipelines.archive import ArchivePipeline
from pipelines.dedup import DedupPipeline
from storage import LocalStorage, StorageError

KEY = "reports/2019/" + "ab" * 32 + ".json"


def record(url: str) -> dict:
    return {"report_id": "ab" * 32, "is_report": True, "year": 2019, "text": "报告正文", "source": {"url": url},
            "also_seen_at": []}


def item(url: str, portal: str) -> DocumentItem:
    return DocumentItem(url=url, final_url=url, status=200, content_type=None, body=b"", fetched_at="",
                        portal=portal, record=record(url))


class CountingStorage(LocalStorage):
    """A local archive that counts versioned writes, and refuses them while ``refuse`` is set."""

    def __init__(self, root) -> None:
        super().__init__(root)
        self.versioned_writes: list[str] = []
        self.refuse = False

    def put_versioned(self, key: str, data: bytes, version: str | None) -> str | None:
        if self.refuse:
            raise StorageError(f"cannot write {key}: refused")
        self.versioned_writes.append(key)
        return super().put_versioned(key, data, version)


def also_seen_at(storage: LocalStorage) -> list[str]:
    return json.loads(storage.get(KEY))["also_seen_at"]


def stages(storage: LocalStorage, interval: float = 0.0) -> tuple[DedupPipeline, ArchivePipeline, object]:
    settings = {"NIANBAO_ARCHIVE_URI": str(storage.root), "NIANBAO_CRAWL_ID": uuid.uuid4().hex,
                "NIANBAO_STATE_SAVE_INTERVAL": interval, "NIANBAO_CRAWL_STATE": True}
    crawler = get_crawler(settings_dict=settings)
    dedup, store = DedupPipeline(crawler), ArchivePipeline(crawler)
    store.storage = store.session.storage = storage
    return dedup, store, store.session


async def archive(dedup: DedupPipeline, store: ArchivePipeline, urls_by_portal: list[tuple[str, str]]) -> list:
    return [await store.process_item(await dedup.process_item(item(url, portal))) for url, portal in urls_by_portal]


def test_copies_of_many_portals_cost_one_record_write_per_flush(tmp_path):
    storage = CountingStorage(tmp_path / "archive")
    storage.put(KEY, record_bytes(record("http://a/1")))  # archived by an earlier run
    dedup, store, _ = stages(storage)
    copies = [(f"http://p{n}/9", f"p{n}") for n in range(20)]
    done = asyncio.run(archive(dedup, store, [("http://a/1", "a"), *copies]))
    assert [i.merge_pending for i in done] == [False] + [True] * 20  # the source is listed; copies wait
    assert also_seen_at(storage) == [] and storage.versioned_writes == []
    asyncio.run(store.flush())
    assert also_seen_at(storage) == sorted(url for url, _ in copies)
    assert [key for key in storage.versioned_writes if key.startswith("reports/")] == [KEY]
    assert sorted(key for key in storage.versioned_writes if key.startswith("state/")) == sorted(
        state_key(portal) for _, portal in copies)  # each ended portal's state learns its copy


def test_a_copy_is_known_in_its_portals_state_only_once_listed(tmp_path):
    storage = LocalStorage(tmp_path / "archive")
    storage.put(KEY, record_bytes(record("http://a/1")))
    dedup, store, session = stages(storage)
    running = session.states["running"] = CrawlState("running")
    asyncio.run(archive(dedup, store, [("http://r/2", "running"), ("http://e/3", "ended")]))
    assert not running.is_known("http://r/2") and storage.read_versioned(state_key("ended")) == (None, None)
    asyncio.run(store.flush())
    assert running.is_known("http://r/2")  # saved by its own crawler's keeper
    assert CrawlState.load(storage, "ended").is_known("http://e/3")  # its crawl ended: marked in the saved state


def test_a_refused_write_keeps_the_copies_pending_and_unknown(tmp_path):
    storage = CountingStorage(tmp_path / "archive")
    storage.put(KEY, record_bytes(record("http://a/1")))
    dedup, store, session = stages(storage)
    running = session.states["p"] = CrawlState("p")
    asyncio.run(archive(dedup, store, [("http://p/2", "p")]))
    storage.refuse = True
    asyncio.run(store.flush())
    assert isinstance(session.write_failure, StorageError)
    assert also_seen_at(storage) == [] and not running.is_known("http://p/2")
    assert session.copies.pending == {KEY: {"http://p/2": {"p"}}}
    storage.refuse = False
    session.flush_copies()  # the run's end
    assert also_seen_at(storage) == ["http://p/2"] and running.is_known("http://p/2")


def test_another_writers_urls_are_kept(tmp_path):
    """Two workers merge copies of one record at once: the later write is refused, rebased, and both stay."""
    class Racing(LocalStorage):
        def put_versioned(self, key, data, version):
            if not getattr(self, "raced", False):
                self.raced = True
                assert merge_urls(LocalStorage(self.root), key, {"http://other/5"})  # the other worker, first
            return super().put_versioned(key, data, version)

    storage = Racing(tmp_path / "archive")
    storage.put(KEY, record_bytes(record("http://a/1")))
    assert merge_urls(storage, KEY, {"http://mine/4", "http://a/1"})
    assert also_seen_at(storage) == ["http://mine/4", "http://other/5"]


def test_copies_of_a_record_not_written_yet_wait_for_it(tmp_path):
    storage = LocalStorage(tmp_path / "archive")
    copies = PendingCopies()
    copies.add(KEY, "http://b/2", "b")
    assert copies.flush(storage, [KEY]) == {}
    assert copies.pending == {KEY: {"http://b/2": {"b"}}}


@pytest.mark.parametrize("damage", [b"{\"report_id\": ", b"\xff\xfe"])
def test_a_damaged_record_is_quarantined_not_merged_into(tmp_path, damage):
    storage = LocalStorage(tmp_path / "archive")
    storage.put(KEY, damage)
    assert not merge_urls(storage, KEY, {"http://b/2"})
    assert storage.get("quarantine/" + KEY) == damage and not storage.exists(KEY)
