"""Local archive: put-if-absent, explicit replace, listing, and clear errors."""

from __future__ import annotations

import fcntl
import os
import stat

import pytest

from storage import LocalStorage, StorageError, open_storage


def test_put_is_idempotent_and_never_overwrites(tmp_path):
    store = LocalStorage(tmp_path)
    assert store.put("raw/aa/x", b"first") is True
    assert store.put("raw/aa/x", b"second") is False
    assert store.get("raw/aa/x") == b"first"


def test_replace_overwrites_atomically(tmp_path):
    store = LocalStorage(tmp_path)
    store.put("reports/2019/r.json", b"{}")
    assert store.put("reports/2019/r.json", b'{"a": 1}', replace=True) is True
    assert store.get("reports/2019/r.json") == b'{"a": 1}'
    assert not [p for p in tmp_path.rglob(".tmp-*")]


def test_keys_lists_by_prefix(tmp_path):
    store = LocalStorage(tmp_path)
    for key in ("reports/2017/a.json", "reports/2018/b.json", "text/a.txt"):
        store.put(key, b"x")
    assert sorted(store.keys("reports/")) == ["reports/2017/a.json", "reports/2018/b.json"]
    assert list(store.keys("missing/")) == []


def test_keys_outside_the_archive_are_refused(tmp_path):
    with pytest.raises(StorageError):
        LocalStorage(tmp_path).put("../escape", b"x")


def test_unwritable_location_is_reported(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(StorageError, match="not writable"):
        open_storage(str(blocker / "archive")).check_writable()


def test_unknown_scheme(tmp_path):
    with pytest.raises(StorageError, match="unsupported archive URI"):
        open_storage("ftp://host/archive")


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_objects_are_as_readable_as_the_umask_allows(tmp_path, umask, mode):
    store = LocalStorage(tmp_path)
    previous = os.umask(umask)
    try:
        store.put("raw/aa/new", b"x")
        store.put("reports/2019/r.json", b"{}")
        store.put("reports/2019/r.json", b'{"a": 1}', replace=True)
    finally:
        os.umask(previous)
    assert {stat.S_IMODE((tmp_path / key).stat().st_mode) for key in ("raw/aa/new", "reports/2019/r.json")} == {mode}


def test_a_compare_and_swap_write_fails_clearly_when_another_writer_holds_the_lock(tmp_path):
    """A writer stopped inside its locked read-and-rename must not hang every other writer for ever."""
    store = LocalStorage(tmp_path)
    version = store.put_versioned("state/p.json", b"first", None)
    store.lock_wait = 0.2
    held = os.open(tmp_path / "state", os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(held, fcntl.LOCK_EX)  # another open file description: as another process's lock
        with pytest.raises(StorageError, match=r"held the lock of its directory for 0\.2 s"):
            store.put_versioned("state/p.json", b"second", version)
    finally:
        os.close(held)
    assert store.get("state/p.json") == b"first"
    assert store.put_versioned("state/p.json", b"second", version) is not None  # free again: written
