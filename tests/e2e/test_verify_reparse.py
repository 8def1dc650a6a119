"""nianbao verify finds every kind of damage; nianbao reparse rebuilds records from raw bodies alone."""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import zlib
from pathlib import Path

import pytest

from crawler.archive.layout import record_key
from storage import LocalStorage
from tests.support.archive import records
from tests.support.cli import run_cli


@pytest.fixture
def archive(crawled_archive, tmp_path) -> Path:
    copy = tmp_path / "archive"
    shutil.copytree(crawled_archive, copy)
    return copy


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def by_key(archive: Path) -> dict[str, dict]:
    """The records under the key their own year and report_id give (where a reparse puts them)."""
    return {record_key(record): record for record in records(archive)}


def test_a_fresh_crawl_verifies_clean(archive):
    result = run_cli("verify", "--archive", str(archive))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().endswith("0 problems")


def test_verify_names_each_damaged_object(archive):
    store = LocalStorage(archive)
    raw = next(k for k in store.keys("raw/"))
    (archive / raw).write_bytes(b"changed")
    key, record = next((k, r) for k, r in by_key(archive).items() if r["is_report"])
    (archive / "text" / f"{record['report_id']}.txt").unlink()
    other_key, other = next((k, r) for k, r in by_key(archive).items() if k != key and r["source"]["raw_key"] != raw)
    (archive / other["source"]["raw_key"]).unlink()
    run = next(k for k in store.keys("runs/"))
    (archive / run).write_text("{not json")

    result = run_cli("verify", "--archive", str(archive))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert f"{raw}: content hashes to {hashlib.sha256(b'changed').hexdigest()}" in lines
    assert f"{key}: text/{record['report_id']}.txt is missing" in lines
    assert f"{other_key}: source.raw_key {other['source']['raw_key']} is missing" in lines
    assert any(line.startswith(f"{run}: not JSON") for line in lines)
    assert "4 problems" in result.stderr


def gzip_members(data: bytes) -> list[bytes]:
    members = []
    while data:
        member = zlib.decompressobj(wbits=31)
        members.append(member.decompress(data))
        data = member.unused_data
    return members


def test_verify_checks_the_digests_inside_warc_files(archive):
    warc = next(p for p in (archive / "warc").rglob("*.warc.gz"))
    members = gzip_members(warc.read_bytes())
    n = next(i for i, m in enumerate(members)
             if m.startswith(b"WARC/1.1\r\nWARC-Type: response") and "年度报告".encode() in m)
    members[n] = members[n].replace("年度报告".encode(), "年度报吿".encode(), 1)  # same length, other bytes
    warc.write_bytes(b"".join(gzip.compress(m) for m in members))
    result = run_cli("verify", "--archive", str(archive))
    assert result.returncode == 1
    (line,) = result.stdout.splitlines()
    assert line.startswith(f"{warc.relative_to(archive).as_posix()}: digest mismatch in the record of http://")

    warc.write_bytes(gzip.compress(b"".join(members)))  # one gzip stream: records can no longer be seeked
    (line,) = run_cli("verify", "--archive", str(archive)).stdout.splitlines()
    assert line.startswith(f"{warc.relative_to(archive).as_posix()}: unreadable WARC: ERROR: non-chunked gzip")


def test_reparse_of_a_fresh_crawl_changes_nothing(archive):
    before = snapshot(archive)
    result = run_cli("reparse", "--archive", str(archive))
    assert result.returncode == 0, result.stderr
    assert f"reparsed {len(records(archive))} records" in result.stdout and "0 rewritten, 0 moved" in result.stdout
    assert snapshot(archive) == before


def test_reparse_restores_stats_and_year_and_keeps_the_old_versions(archive):
    original = by_key(archive)
    with_stats = next(k for k, r in original.items() if r["stats"])
    stale = dict(original[with_stats], stats={})
    (archive / with_stats).write_text(json.dumps(stale, ensure_ascii=False))
    misfiled_key = next(k for k, r in original.items() if r["year"] and k != with_stats)
    misfiled = dict(original[misfiled_key], year=1999)
    (archive / misfiled_key).unlink()
    wrong_place = archive / "reports" / "1999" / Path(misfiled_key).name
    wrong_place.parent.mkdir()
    wrong_place.write_text(json.dumps(misfiled, ensure_ascii=False))

    result = run_cli("reparse", "--archive", str(archive))
    assert result.returncode == 0, result.stderr
    assert "1 rewritten, 1 moved" in result.stdout
    after = by_key(archive)
    assert after[with_stats]["stats"] == original[with_stats]["stats"]
    moved = after[misfiled_key]
    assert moved["parser"].pop("reparsed_from")["key"] == f"reports/1999/{Path(misfiled_key).name}"
    assert moved == original[misfiled_key]
    assert not wrong_place.exists()
    history = [json.loads(p.read_bytes()) for p in (archive / "history").rglob("*.json")]
    assert sorted(r["year"] for r in history) == sorted([1999, original[with_stats]["year"]])
    assert run_cli("verify", "--archive", str(archive)).returncode == 0


def test_reparse_merges_a_copy_whose_text_is_now_known(archive):
    key, record = next((k, r) for k, r in by_key(archive).items() if r["is_report"] and not r["also_seen_at"])
    copy = json.loads(json.dumps(record))
    copy["report_id"] = "0" * 64
    copy["source"]["url"] = "http://www.yangli.gov.test/old/copy.html"
    copy_path = archive / "reports" / str(record["year"]) / f"{'0' * 64}.json"
    copy_path.write_text(json.dumps(copy, ensure_ascii=False))

    result = run_cli("reparse", "--archive", str(archive))
    assert result.returncode == 0 and "1 merged" in result.stdout, result.stdout + result.stderr
    assert not copy_path.exists()
    assert by_key(archive)[key]["also_seen_at"] == ["http://www.yangli.gov.test/old/copy.html"]
