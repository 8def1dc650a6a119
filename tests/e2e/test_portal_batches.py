"""A run over more portals than ``NIANBAO_PORTALS_PER_PROCESS`` crawls them in child processes, a batch
each (crawler/run/portalbatches.py): one run report, every report archived, the exit statuses and SIGTERM as
a run in one process; a child that dies leaves its portals failed and the run goes on."""

from __future__ import annotations

import contextlib
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.archive import records
from tests.support.cli import CLI_TIMEOUT, ROOT
from tests.support.farm import HUZHOU, missing_reports, regional_farm
from tests.support.processes import alive, parents, until

PER_PROCESS = ("-s", "NIANBAO_PORTALS_PER_PROCESS=2", "-s", "NIANBAO_PORTALS_AT_ONCE=2")


@pytest.fixture
def farm(tmp_path):
    registry = tmp_path / "huzhou.toml"
    with regional_farm(HUZHOU, registry) as (server, apps):
        yield server, registry, [item for app in apps for item in app.manifest()]


def batch_children(pid: int) -> set[int]:
    """The crawl's batch processes (not what they fork: a fork keeps its parent's command line)."""
    found = set()
    for child, parent in parents().items():
        if parent != pid:
            continue
        try:
            if b"crawler.run.portalbatches" in Path(f"/proc/{child}/cmdline").read_bytes():
                found.add(child)
        except OSError:
            continue
    return found


def start_crawl(registry: Path, archive: Path, proxy: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "crawler.run.cli", "crawl", "--registry", str(registry), "--archive",
                             str(archive), "--proxy", proxy, *PER_PROCESS], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def run_report(archive: Path) -> dict:
    (run,) = [json.loads(p.read_text(encoding="utf-8")) for p in archive.glob("runs/*.json")]
    return run


def test_batches_of_portals_in_child_processes_make_one_run(tmp_path, farm):
    server, registry, manifest = farm
    archive = tmp_path / "archive"
    crawl, seen = start_crawl(registry, archive, server.url), set()
    deadline = time.monotonic() + CLI_TIMEOUT
    while crawl.poll() is None and time.monotonic() < deadline:
        seen |= batch_children(crawl.pid)
        with contextlib.suppress(subprocess.TimeoutExpired):
            crawl.wait(timeout=0.2)
    stdout, stderr = crawl.communicate(timeout=CLI_TIMEOUT)
    assert crawl.returncode == 0, stdout + stderr[-3000:]
    assert len(seen) == 3  # 5 portals, 2 per process
    run = run_report(archive)
    assert [p["portal"] for p in run["portals"]] == HUZHOU  # registry order, whichever child crawled it
    assert {p["finish_reason"] for p in run["portals"]} == {"finished"} and not run["portals_failed"]
    archived = records(archive)
    assert missing_reports(manifest, archived) == [] and len(manifest) == 10
    assert run["counts"]["records_new"] == sum(p["counts"]["records_new"] for p in run["portals"]) == len(archived)
    assert f"crawl {run['crawl_id']} of 5 portals" in stdout
    # the report index every child saved for the next holds every report of every batch
    again = subprocess.run([sys.executable, "-m", "crawler.run.cli", "crawl", "--registry", str(registry), "--archive",
                            str(archive), "--proxy", server.url, *PER_PROCESS], cwd=ROOT, capture_output=True,
                           text=True, timeout=CLI_TIMEOUT)
    assert again.returncode == 0, again.stderr[-3000:]
    assert len(records(archive)) == len(archived) and "new records          0" in again.stdout


def test_sigterm_reaches_the_running_batch_and_starts_no_other(tmp_path, farm):
    server, registry, _ = farm
    archive = tmp_path / "archive"
    crawl = start_crawl(registry, archive, server.url)
    assert until(lambda: len(list(archive.glob("reports/*/*.json"))) >= 1, CLI_TIMEOUT)
    children = batch_children(crawl.pid)
    crawl.send_signal(signal.SIGTERM)
    stdout, stderr = crawl.communicate(timeout=CLI_TIMEOUT)
    assert crawl.returncode == 3, stderr[-3000:]
    run = run_report(archive)
    reasons = {p["finish_reason"] for p in run["portals"]}
    assert "shutdown" in reasons and reasons <= {"finished", "shutdown"}
    assert len(run["portals"]) < len(HUZHOU)  # the batches after the stopped one never started
    assert "STOPPED EARLY        shutdown" in stdout
    assert children and not any(alive(pid) for pid in children)


def test_a_batch_child_that_dies_fails_its_portals_and_the_run_goes_on(tmp_path, farm):
    server, registry, manifest = farm
    archive = tmp_path / "archive"
    crawl = start_crawl(registry, archive, server.url)
    assert until(lambda: bool(batch_children(crawl.pid)), CLI_TIMEOUT)
    (first,) = batch_children(crawl.pid)
    subprocess.run(["kill", "-KILL", str(first)], check=True)
    stdout, stderr = crawl.communicate(timeout=CLI_TIMEOUT)
    assert crawl.returncode == 1, stderr[-3000:]
    run = run_report(archive)
    assert [p["portal"] for p in run["portals"]] == HUZHOU
    died = [p for p in run["portals"] if p["finish_reason"] == "process_died"]
    assert [p["portal"] for p in died] == HUZHOU[:2] == run["portals_failed"]
    assert all("ended with status -9 before reporting" in p["start_error"] for p in died)
    later = [m for m in manifest if m["portal"] in HUZHOU[2:]]
    assert missing_reports(later, records(archive)) == []
    assert "STOPPED EARLY        process_died" in stdout


def test_a_backfill_whose_batch_dies_starts_those_portals_over(tmp_path, farm):
    server, registry, manifest = farm
    archive, state = tmp_path / "archive", tmp_path / "state"
    backfill = [sys.executable, "-m", "crawler.run.cli", "backfill", "--registry", str(registry),
                "--years", "2020-2021", "--archive", str(archive), "--state-dir", str(state), "--proxy", server.url,
                *PER_PROCESS]
    crawl = subprocess.Popen(backfill, cwd=ROOT, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert until(lambda: bool(batch_children(crawl.pid)), CLI_TIMEOUT)
    (first,) = batch_children(crawl.pid)
    subprocess.run(["kill", "-KILL", str(first)], check=True)
    _, stderr = crawl.communicate(timeout=CLI_TIMEOUT)
    assert crawl.returncode == 1, stderr[-3000:]
    jobs = state / "jobs"
    assert sorted(p.name for p in jobs.iterdir()) == HUZHOU[:2]  # the finished portals' jobs are removed
    assert all((jobs / name / ".running").exists() for name in HUZHOU[:2])  # killed: not to be resumed
    again = subprocess.run(backfill, cwd=ROOT, capture_output=True, text=True, timeout=CLI_TIMEOUT)
    assert again.returncode == 0, again.stderr[-3000:]
    assert missing_reports(manifest, records(archive)) == [] and not any(jobs.iterdir())  # started over, finished
