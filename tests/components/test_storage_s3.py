"""The S3 backend against a real SeaweedFS server: put-if-absent, checksums, multipart, listing, key rules."""

from __future__ import annotations

import uuid

import pytest

from storage import LocalStorage, StorageError, open_storage
from storage import s3 as s3_module
from storage.s3 import S3Storage


@pytest.fixture
def store(s3_env, seaweed) -> S3Storage:
    storage = open_storage(f"s3://{seaweed.bucket}/t-{uuid.uuid4().hex[:8]}")
    assert isinstance(storage, S3Storage)
    return storage


def test_put_if_absent_get_exists_keys(store):
    assert store.put("raw/sha256/aa/bb/x", b"first") is True
    assert store.put("raw/sha256/aa/bb/x", b"second") is False
    assert store.get("raw/sha256/aa/bb/x") == b"first"
    assert store.put("reports/2019/r.json", b"v1") and store.put("reports/2019/r.json", b"v2", replace=True)
    assert store.get("reports/2019/r.json") == b"v2"
    assert store.exists("raw/sha256/aa/bb/x") and not store.exists("raw/sha256/aa/bb/y")
    assert sorted(store.keys("")) == ["raw/sha256/aa/bb/x", "reports/2019/r.json"]
    assert list(store.keys("reports/")) == ["reports/2019/r.json"]
    store.check_writable()
    assert sorted(store.keys("")) == ["raw/sha256/aa/bb/x", "reports/2019/r.json"]  # the probe leaves nothing


def test_objects_carry_their_sha256_and_reads_are_verified(store, seaweed, monkeypatch):
    store.put("text/r.txt", "年度报告".encode())
    head = store.client.head_object(Bucket=seaweed.bucket, Key=f"{store.prefix}/text/r.txt", ChecksumMode="ENABLED")
    assert head["ChecksumSHA256"] == s3_module._sha256_b64("年度报告".encode())
    monkeypatch.setattr(s3_module, "_sha256_b64", lambda data: "AAAA" + "A" * 40)  # as if the bytes had changed
    with pytest.raises(StorageError, match="checksum mismatch reading"):
        store.get("text/r.txt")


def test_large_bodies_go_up_in_parts(store, monkeypatch):
    monkeypatch.setattr(s3_module, "MULTIPART_THRESHOLD", 6 * 1024 * 1024)
    monkeypatch.setattr(s3_module, "PART_SIZE", 5 * 1024 * 1024)
    body = bytes(range(256)) * (48 * 1024)  # 12 MiB: three parts
    assert store.put("raw/sha256/cc/dd/big", body) is True
    assert store.get("raw/sha256/cc/dd/big") == body
    assert store.put("raw/sha256/cc/dd/big", b"other") is False


@pytest.mark.parametrize("key", ["../escape", "raw/../../x", "/abs", "reports/.hidden", "a//b", "a/b c", "a\\\\b", ""])
def test_keys_outside_the_rules_are_refused_on_both_backends(store, tmp_path, key):
    for backend in (store, LocalStorage(tmp_path)):
        with pytest.raises(StorageError, match="refusing archive key"):
            backend.put(key, b"x")
    assert not any(tmp_path.rglob("*"))


def test_unreachable_endpoint_is_one_clear_error(monkeypatch):
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "x")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "y")
    monkeypatch.setenv("NIANBAO_S3_MAX_ATTEMPTS", "1")
    with pytest.raises(StorageError, match=r"^archive s3://b/p is not writable: "):
        open_storage("s3://b/p").check_writable()


def test_invalid_uri():
    with pytest.raises(StorageError, match="unsupported archive URI"):
        open_storage("ftp://x/y")
