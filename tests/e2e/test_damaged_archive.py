"""Damaged archive files (issue "nothing lost", item 5), on a real crawl of the sample portal: a truncated
record is quarantined and its report fetched again, a truncated index or crawl state is rebuilt or reset
with a warning, and ``nianbao index --rebuild`` lists what it skipped instead of crashing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from crawler.archive.layout import index_shard_key
from tests.support.archive import index_entries
from tests.support.cli import run_cli, without_crawl_fields


def truncate(path: Path) -> bytes:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2 + 1])  # cut inside the text, often inside a UTF-8 character
    return data


@pytest.fixture
def archive(crawled_archive, tmp_path) -> Path:
    copy = tmp_path / "archive"
    shutil.copytree(crawled_archive, copy)
    return copy


def a_report(archive: Path) -> Path:
    return next(p for p in sorted(archive.glob("reports/*/*.json"))
                if json.loads(p.read_bytes())["is_report"] and not json.loads(p.read_bytes())["source"].get("page_url"))


def crawl(portal, archive: Path):
    return run_cli("crawl", portal.home_url, "--proxy", portal.url, "--archive", str(archive))


def test_a_truncated_record_is_quarantined_by_the_rebuild_and_fetched_again(sample_portal, archive):
    record = a_report(archive)
    key = record.relative_to(archive).as_posix()
    original = truncate(record)
    rebuilt = run_cli("index", "--rebuild", "--archive", str(archive))
    assert rebuilt.returncode == 1 and "Traceback" not in rebuilt.stderr, rebuilt.stderr
    assert f"skipped damaged record {key}: moved to quarantine/{key}" in rebuilt.stderr
    assert "1 damaged records skipped" in rebuilt.stdout
    assert not record.exists() and (archive / "quarantine" / key).read_bytes() == original[: len(original) // 2 + 1]
    again = crawl(sample_portal, archive)
    assert again.returncode == 0, again.stderr[-3000:]
    assert without_crawl_fields(record.read_bytes()) == without_crawl_fields(original)
    verified = run_cli("verify", "--archive", str(archive))
    assert verified.returncode == 0 and f"quarantine/{key}: a damaged record moved aside" in verified.stdout


def test_a_crawl_meeting_a_truncated_record_repairs_it(sample_portal, archive):
    """Killed before its index and crawl state were saved: the next crawl takes the report for new, finds
    its record damaged when writing it, quarantines it and writes it anew."""
    record = a_report(archive)
    original = truncate(record)
    shutil.rmtree(archive / "index")
    shutil.rmtree(archive / "state")
    again = crawl(sample_portal, archive)
    assert again.returncode == 0, again.stderr[-3000:]
    assert "nothing new archived" not in again.stdout
    assert without_crawl_fields(record.read_bytes()) == without_crawl_fields(original)
    assert (archive / "quarantine" / record.relative_to(archive)).exists()


def test_a_truncated_index_shard_is_rebuilt_with_a_warning(sample_portal, archive):
    entries = index_entries(archive)
    shard = archive / index_shard_key(json.loads(a_report(archive).read_bytes())["agency"], "")
    truncate(shard)
    again = crawl(sample_portal, archive)
    assert again.returncode == 0 and "Traceback" not in again.stderr, again.stderr[-3000:]
    assert "nothing new archived" in again.stdout
    plain = run_cli("index", "--archive", str(archive))
    name = shard.relative_to(archive).as_posix()
    assert plain.returncode == 0 and f"{name} is damaged" in plain.stderr, plain.stderr
    assert index_entries(archive) == entries


def test_a_truncated_crawl_state_is_reset_and_written_again(sample_portal, archive):
    (state,) = archive.glob("state/*.json")
    truncate(state)
    again = crawl(sample_portal, archive)
    assert again.returncode == 0, again.stderr[-3000:]
    assert f"crawl state state/{state.name} is damaged" in again.stderr and "Traceback" not in again.stderr
    assert json.loads(state.read_bytes())["known"]  # rewritten whole
