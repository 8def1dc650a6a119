"""SpooledStorage: writes the backend refuses are kept locally, read back, and drained in order."""

from __future__ import annotations

import pytest

from storage import LocalStorage, StorageError
from storage.spool import SpooledStorage, spool_dir_for


class FlakyStorage(LocalStorage):
    """A local archive that refuses writes while ``down``."""

    down = False

    def put(self, key: str, data: bytes, *, replace: bool = False) -> bool:
        if self.down:
            raise StorageError("cannot write: connection refused")
        return super().put(key, data, replace=replace)


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
    assert later.drain() == 2 and later.pending() == 0
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
