"""SpooledStorage: writes the backend refuses are kept locally, read back, and drained in order; a
compare-and-swap write is drained over the version it was made over, never over a newer one (on a local
directory and on a real SeaweedFS)."""

from __future__ import annotations

import socket
import uuid

import pytest

from storage import LocalStorage, StorageError, open_storage
from storage.spool import SPOOLED, Drained, SpooledStorage, spool_dir_for


class FlakyStorage(LocalStorage):
    """A local archive that refuses writes while ``down``."""

    down = False

    def put(self, key: str, data: bytes, *, replace: bool = False) -> bool:
        if self.down:
            raise StorageError("cannot write: connection refused")
        return super().put(key, data, replace=replace)

    def put_versioned(self, key: str, data: bytes, version: str | None) -> str | None:
        if self.down:
            raise StorageError("cannot write: connection refused")
        return super().put_versioned(key, data, version)


@pytest.fixture
def flaky(tmp_path):
    return FlakyStorage(tmp_path / "archive")


def test_writes_go_to_the_spool_once_the_backend_fails_and_drain_later(flaky, tmp_path):
    store = SpooledStorage(flaky, tmp_path / "spool")
    assert store.put("raw/a", b"1") and store.unavailable is None
    flaky.down = True
    assert store.put("reports/2019/r.json", b"v1") is True
    assert "connection refused" in str(store.unavailable)
    assert store.put("reports/2019/r.json", b"again") is False  # put-if-absent holds in the spool too
    assert store.put("reports/2019/r.json", b"v2", replace=True) is True
    assert store.get("reports/2019/r.json") == b"v2" and store.exists("reports/2019/r.json")
    assert not flaky.exists("reports/2019/r.json")
    assert sorted(store.keys("")) == ["raw/a", "reports/2019/r.json"]
    assert store.pending() == 2

    flaky.down = False
    later = SpooledStorage(flaky, tmp_path / "spool")  # the next run
    assert later.drain() == Drained(2, []) and later.pending() == 0
    assert flaky.get("reports/2019/r.json") == b"v2"  # the replacement lands after the first version


def test_drain_stops_at_a_failure_and_keeps_the_rest(flaky, tmp_path):
    flaky.down = True
    store = SpooledStorage(flaky, tmp_path / "spool")
    store.put("text/a.txt", b"a")
    with pytest.raises(StorageError):
        store.drain()
    assert store.pending() == 1


def test_spool_keys_follow_the_archive_rules(flaky, tmp_path):
    with pytest.raises(StorageError, match="refusing archive key"):
        SpooledStorage(flaky, tmp_path / "spool").put("../outside", b"x")
    assert not (tmp_path / "outside").exists()


def test_each_archive_has_its_own_spool(tmp_path):
    assert spool_dir_for(tmp_path, "s3://a/x") != spool_dir_for(tmp_path, "s3://a/y")


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # nothing listens once the socket is closed


@pytest.fixture(params=["local", "s3"])
def stores(request, tmp_path, monkeypatch):
    """The archive, and the same archive as a worker that cannot reach it sees it (real failures: a path
    under a regular file; an S3 endpoint nothing listens on)."""
    if request.param == "local":
        (tmp_path / "not-a-directory").write_text("")
        return LocalStorage(tmp_path / "archive"), LocalStorage(tmp_path / "not-a-directory" / "archive")
    seaweed = request.getfixturevalue("seaweed")
    request.getfixturevalue("s3_env")
    uri = f"s3://{seaweed.bucket}/spool-{uuid.uuid4().hex[:8]}"
    good = open_storage(uri)
    with monkeypatch.context() as patch:
        patch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{closed_port()}")
        patch.setenv("NIANBAO_S3_MAX_ATTEMPTS", "1")
        return good, open_storage(uri)


KEY, NEW = "state/p.json", "index/shard-a.json"


def test_a_spooled_cas_write_is_drained_over_the_version_it_was_made_over(stores, tmp_path):
    good, down = stores
    first = good.put_versioned(KEY, b"one", None)
    spooled = SpooledStorage(down, tmp_path / "spool")
    assert spooled.put_versioned(KEY, b"two", first) == SPOOLED and spooled.unavailable is not None
    assert spooled.read_versioned(KEY) == (b"two", SPOOLED)
    assert spooled.put_versioned(KEY, b"three", SPOOLED) == SPOOLED  # rewritten over its spooled self
    assert spooled.put_versioned(NEW, b"new", None) == SPOOLED  # a document absent then
    assert spooled.get(KEY) == b"three" and spooled.pending() == 2

    later = SpooledStorage(good, tmp_path / "spool")  # the next run, the archive reachable again
    assert later.drain() == Drained(2, []) and later.pending() == 0
    assert good.get(KEY) == b"three" and good.get(NEW) == b"new"
    assert list(later.conflicts.keys("")) == []


def test_a_spooled_cas_write_that_did_land_is_not_a_conflict(flaky, tmp_path):
    first = flaky.put_versioned(KEY, b"one", None)
    flaky.down = True
    SpooledStorage(flaky, tmp_path / "spool").put_versioned(KEY, b"two", first)
    flaky.down = False
    flaky.put_versioned(KEY, b"two", first)  # the failed write's request had reached the archive after all
    assert SpooledStorage(flaky, tmp_path / "spool").drain() == Drained(1, [])


def test_a_spooled_cas_write_never_overwrites_what_another_writer_wrote_meanwhile(stores, tmp_path):
    good, down = stores
    first = good.put_versioned(KEY, b"one", None)
    spooled = SpooledStorage(down, tmp_path / "spool")
    spooled.put_versioned(KEY, b"stale", first)
    spooled.put_versioned(NEW, b"stale new", None)
    newer = good.put_versioned(KEY, b"newer", first)  # another worker, while this one could not write
    created = good.put_versioned(NEW, b"created meanwhile", None)

    later = SpooledStorage(good, tmp_path / "spool")
    drained = later.drain()
    assert drained.uploaded == 0 and sorted(drained.kept_aside) == [NEW, KEY]
    assert good.read_versioned(KEY) == (b"newer", newer) and good.read_versioned(NEW) == (b"created meanwhile", created)
    assert later.pending() == 0 and later.read_versioned(KEY) == (b"newer", newer)
    kept = {key.rsplit(".", 1)[0]: later.conflicts.get(key) for key in later.conflicts.keys("")}
    assert kept == {KEY: b"stale", NEW: b"stale new"}  # nothing lost


def test_an_unconditional_write_supersedes_a_spooled_cas_write(flaky, tmp_path):
    first = flaky.put_versioned(KEY, b"one", None)
    flaky.down = True
    spooled = SpooledStorage(flaky, tmp_path / "spool")
    spooled.put(KEY, b"rebuilt", replace=True)  # e.g. nianbao index --rebuild
    assert spooled.put_versioned(KEY, b"on top", SPOOLED) == SPOOLED
    flaky.down = False
    assert SpooledStorage(flaky, tmp_path / "spool").drain() == Drained(1, [])
    assert first and flaky.get(KEY) == b"on top"


def test_the_run_summary_names_what_drain_kept_aside(flaky, tmp_path):
    from datetime import UTC, datetime

    from crawler.extensions.runreport import run_report
    from crawler.run.runner import spool_report
    from crawler.run.summary import format_summary

    first = flaky.put_versioned(KEY, b"one", None)
    flaky.down = True
    SpooledStorage(flaky, tmp_path / "spool").put_versioned(KEY, b"stale", first)
    flaky.down = False
    flaky.put_versioned(KEY, b"newer", first)
    later = SpooledStorage(flaky, tmp_path / "spool")
    report = run_report("c1", flaky.location, [], datetime.now(UTC))
    report["spool"] = spool_report(later, later.drain())
    assert report["spool"]["kept_aside"] == [KEY]
    (line,) = [line for line in format_summary(report).splitlines() if "KEPT ASIDE" in line]
    assert KEY in line and f"{tmp_path / 'spool'}/conflicts/" in line
