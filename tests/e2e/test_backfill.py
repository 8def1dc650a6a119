"""Backfill: every list page, only the given years, and a SIGKILL mid-crawl costs nothing but time."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sampleportal.server import SamplePortal
from tests.support.cli import CLI_TIMEOUT, ROOT, run_cli, without_crawl_fields

REGISTRY = '[[portal]]\nname = "yangli"\nhome = "http://www.yangli.gov.test/"\nregion_code = "510999"\n'
YEARS = "2016-2021"  # leaves out the 2015 scan


def backfill_args(portal: SamplePortal, tmp: Path, name: str) -> list[str]:
    return ["backfill", "--years", YEARS, "--registry", str(tmp / "portals.toml"), "--archive", str(tmp / name),
            "--state-dir", str(tmp / f"{name}-state"), "--proxy", portal.url, "--set", "NIANBAO_STATE_SAVE_INTERVAL=0"]


def contents(archive: Path) -> dict[str, bytes]:
    """raw/, reports/ and text/ by key; a record's fetch time and WARC position left out."""
    found = {}
    for path in archive.rglob("*"):
        key = path.relative_to(archive).as_posix()
        if path.is_file() and key.split("/")[0] in ("raw", "reports", "text"):
            body = path.read_bytes()
            if key.startswith("reports/"):
                body = json.dumps(copies_alike(without_crawl_fields(body)), ensure_ascii=False,
                                  sort_keys=True).encode("utf-8")
            found[key] = body
    return found


def copies_alike(record: dict) -> dict:
    """A text met at several URLs in one run takes as its source the copy that reaches the index first
    (pages are fetched and parsed concurrently, a stopped run meets them in another order): only the set
    of URLs is compared."""
    if not record["also_seen_at"]:
        return record
    urls = sorted({record["source"]["url"], *record["also_seen_at"]})
    return {**record, "source": None, "published": None, "also_seen_at": urls}


def wait_for_reports(archive: Path, count: int, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + CLI_TIMEOUT
    while len(list(archive.glob("reports/*/*.json"))) < count:
        assert proc.poll() is None, "the backfill ended before it could be killed"
        assert time.monotonic() < deadline, "no report archived in time"
        time.sleep(0.02)


@pytest.mark.slow
def test_killed_backfill_resumes_to_the_same_archive(tmp_path):
    (tmp_path / "portals.toml").write_text(REGISTRY, encoding="utf-8")
    with SamplePortal(delay=0.3) as portal:
        reference = run_cli(*backfill_args(portal, tmp_path, "reference"))
        assert reference.returncode == 0, reference.stderr
        proc = subprocess.Popen([sys.executable, "-m", "crawler.run.cli", *backfill_args(portal, tmp_path, "killed")],
                                cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_for_reports(tmp_path / "killed", 3, proc)
            proc.send_signal(signal.SIGKILL)
        finally:
            proc.wait(timeout=CLI_TIMEOUT)
        assert proc.returncode == -signal.SIGKILL
        partial = contents(tmp_path / "killed")
        job = tmp_path / "killed-state" / "jobs" / "yangli"
        assert (job / ".running").exists()  # the kill left the job marked: its queue will not be trusted
        resumed = run_cli(*backfill_args(portal, tmp_path, "killed"))
    assert resumed.returncode == 0, resumed.stderr
    expected = contents(tmp_path / "reference")
    reports = lambda found: [key for key in found if key.startswith("reports/")]  # noqa: E731
    assert 0 < len(reports(partial)) < len(reports(expected))
    assert contents(tmp_path / "killed") == expected
    assert not job.exists()  # a finished backfill removes its job directory
    years = {key.split("/")[1] for key in expected if key.startswith("reports/")}
    assert years <= {str(y) for y in range(2016, 2022)} and "2015" not in years
    run = json.loads(max((tmp_path / "killed").glob("runs/*.json")).read_text(encoding="utf-8"))
    # Documents done before the kill were recognised from the archived state, not parsed again.
    assert run["counts"]["unchanged"] > 0 and run["portals"][0]["stats"]["nianbao/outside_years"] == 1


def test_bad_years_are_a_usage_error(tmp_path):
    result = run_cli("backfill", "--years", "2024-2008", "--registry", str(tmp_path / "none.toml"))
    assert result.returncode == 2 and result.stderr == "error: invalid --years '2024-2008': expected e.g. 2008-2024\n"


def test_stopped_backfill_continues_from_its_saved_queue(tmp_path):
    (tmp_path / "portals.toml").write_text(REGISTRY, encoding="utf-8")
    with SamplePortal() as portal:
        reference = run_cli(*backfill_args(portal, tmp_path, "reference"))
        stopped = run_cli(*backfill_args(portal, tmp_path, "stopped"), "--max-pages", "10")
        job = tmp_path / "stopped-state" / "jobs" / "yangli"
        kept = {path.name for path in job.iterdir()}
        resumed = run_cli(*backfill_args(portal, tmp_path, "stopped"))
    assert (reference.returncode, stopped.returncode, resumed.returncode) == (0, 0, 0), resumed.stderr
    assert {"requests.queue", "requests.seen"} <= kept and ".running" not in kept  # a graceful stop keeps its queue
    runs = sorted((tmp_path / "stopped").glob("runs/*.json"))
    first, second = (json.loads(path.read_text(encoding="utf-8"))["portals"][0] for path in runs)
    full = json.loads(next((tmp_path / "reference").glob("runs/*.json")).read_text(encoding="utf-8"))["portals"][0]
    assert first["finish_reason"] == "closespider_pagecount" and second["finish_reason"] == "finished"
    # The second run took the saved queue up where the first stopped; starting over would fetch every page again.
    assert second["counts"]["pages_fetched"] < full["counts"]["pages_fetched"]
    assert contents(tmp_path / "stopped") == contents(tmp_path / "reference")
    assert not job.exists()
