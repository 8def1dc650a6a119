"""Compare-and-swap writes of the documents several workers rewrite: on a local directory and on a real
SeaweedFS (If-Match on the ETag, 412 when stale), a stale write is refused, then merged, never applied."""

from __future__ import annotations

import json
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from crawler.archive.crawlstate import CrawlState, Validators
from crawler.archive.index import ReportIndex
from crawler.archive.layout import index_shard_key, state_key
from crawler.archive.records import record_bytes
from storage import LocalStorage, open_storage
from storage.cas import write_merged


@pytest.fixture(params=["local", "s3"])
def store(request, tmp_path):
    if request.param == "local":
        return LocalStorage(tmp_path / "archive")
    seaweed = request.getfixturevalue("seaweed")
    request.getfixturevalue("s3_env")
    return open_storage(f"s3://{seaweed.bucket}/cas-{uuid.uuid4().hex[:8]}")


def test_a_write_over_a_stale_version_is_refused(store):
    assert store.read_versioned("state/p.json") == (None, None)
    first = store.put_versioned("state/p.json", b"one", None)
    assert first and store.put_versioned("state/p.json", b"again", None) is None  # no longer absent
    assert store.read_versioned("state/p.json") == (b"one", first)
    second = store.put_versioned("state/p.json", b"two", first)
    assert second and second != first
    assert store.put_versioned("state/p.json", b"stale", first) is None  # the late writer
    assert store.read_versioned("state/p.json") == (b"two", second)
    assert sorted(store.keys("")) == ["state/p.json"]  # no lock or temporary file left in the listing


def test_concurrent_writers_lose_no_update(store):
    """Eight writers add their own items to one document at once; every item ends up in it."""

    def add(items: list[str]) -> int:
        data, version = store.read_versioned("index/set.json")
        mine = set(json.loads(data)) if data else set()
        conflicts = 0
        for item in items:
            mine.add(item)

            def rebase(newer: bytes) -> bytes:
                mine.update(json.loads(newer))
                return json.dumps(sorted(mine)).encode()

            written = write_merged(store, "index/set.json", json.dumps(sorted(mine)).encode(), version, rebase)
            version, conflicts = written.version, conflicts + written.conflicts
        return conflicts

    batches = [[f"w{w}-{n}" for n in range(5)] for w in range(8)]
    with ThreadPoolExecutor(8) as pool:
        conflicts = sum(pool.map(add, batches))
    assert set(json.loads(store.get("index/set.json"))) == {item for batch in batches for item in batch}
    assert conflicts > 0  # they did collide, and were merged


def test_a_stale_crawl_state_is_merged_into_the_newer_one(store):
    early, late = CrawlState.load(store, "p"), CrawlState.load(store, "p")  # two workers load the same state
    late.mark_known("http://p.test/a")
    late.remember("http://p.test/a", Validators(sha256="aa", etag='"a"'))
    late.version = write_merged(store, state_key("p"), late.to_bytes(), late.version, late.absorb).version
    early.mark_known("http://p.test/b")
    written = write_merged(store, state_key("p"), early.to_bytes(), early.version, early.absorb)
    assert written.conflicts == 1  # refused once, then merged
    saved = CrawlState.load(store, "p")
    assert saved.known == {"http://p.test/a", "http://p.test/b"}
    assert saved.urls["http://p.test/a"].etag == '"a"'


def test_two_workers_adding_to_one_index_shard_are_merged(store):
    """Both read the agency's shard, each adds a version; the second save meets a changed shard and merges."""
    first, second = ReportIndex(), ReportIndex()
    for index, rid in ((first, "a" * 64), (second, "b" * 64)):
        record = {"report_id": rid, "is_report": True, "agency": "样例县人民政府", "year": 2019, "text": "正文",
                  "source": {"url": f"http://p.test/{rid}", "fetched_at": "2026-11-25T00:00:00+00:00"},
                  "also_seen_at": []}
        assert index.versions(store, "样例县人民政府", 2019, but=rid) == []
        key = f"reports/2019/{rid}.json"
        store.put(key, record_bytes(record))
        index.add(key, record)
    first.save(store)
    second.save(store)
    assert second.write_conflicts == 1
    assert second.shards == {}  # saved shards are let go: a long run holds only what it changes
    saved = json.loads(store.get(index_shard_key("样例县人民政府", "")))["entries"]
    assert sorted(saved) == ["a" * 64, "b" * 64]
