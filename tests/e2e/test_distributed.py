"""The distributed crawl end to end: a real Redis server (valkey-server), ``nianbao worker`` processes
(Celery), the portal farm on 127.0.0.1 under real county codes, ``nianbao crawl --distributed``.

Against one process: the same reports, none written twice, the index equal to the reports listing, at
most 2 requests in flight per host. Then the failures: a worker killed mid-portal, a worker stopped past
its lease and resumed, the broker stopped mid-run.
"""

from __future__ import annotations

import json
import os
import signal
import threading
import uuid
from pathlib import Path

import pytest
import redis

from crawler.archive.crawlstate import CrawlState
from crawler.archive.layout import job_report_key, state_key
from crawler.distributed.broker import RedisServer
from crawler.distributed.localworkers import signal_group
from crawler.distributed.runkeys import RunKeys
from crawler.distributed.status import latest_run
from sampleportal.farm.faults import FaultPlan, Faults
from sampleportal.farm.server import FarmServer
from storage import LocalStorage, open_storage
from tests.support.archive import index_keys, records
from tests.support.cli import run_cli
from tests.support.distributed import (
    FAST,
    HeldPortal,
    coordinator,
    farm_portals,
    record_keys,
    report_ids,
    run_report,
    running_jobs,
    wait_until,
    workers,
)
from tests.support.farm import missing_reports
from tests.support.processes import descendants

pytestmark = pytest.mark.slow  # 60 farm portals crawled by three workers and by one process

FARM_PORTALS = 60


@pytest.fixture(scope="module")
def farm60(tmp_path_factory):
    """The ~60-portal farm crawled twice: by one process, and by 3 workers."""
    root = tmp_path_factory.mktemp("distributed")
    apps, registry = farm_portals(FARM_PORTALS)
    (root / "farm.toml").write_text(registry, encoding="utf-8")
    with FarmServer(apps) as farm, RedisServer() as server:
        single = run_cli("crawl", "--registry", str(root / "farm.toml"), "--archive", str(root / "single"),
                         "--proxy", farm.url, *FAST)
        assert single.returncode == 0, single.stdout + single.stderr
        with workers(server.url, 3, root):
            run = coordinator("crawl", "--distributed", "--broker", server.url, "--registry", str(root / "farm.toml"),
                              "--archive", str(root / "spread"), "--proxy", farm.url, *FAST)
            out, err = run.communicate(timeout=600)
        status = run_cli("run", "status", "--broker", server.url)
    assert run.returncode == 0, out + err
    return root, apps, farm.peak_in_flight, out, status


def test_three_workers_archive_what_one_process_does(farm60):
    root, apps, peak, _, _ = farm60
    single, spread = root / "single", root / "spread"
    assert report_ids(spread) == report_ids(single) and len(report_ids(single)) > 2 * FARM_PORTALS
    manifest = [item for app in apps for item in app.manifest()]
    assert missing_reports(manifest, records(spread)) == []
    report = run_report(spread)
    assert report["counts"]["records_new"] == len(report_ids(spread))  # no record written by two jobs
    assert index_keys(spread) == record_keys(spread)  # the index holds every record, and only them
    assert len(peak) == FARM_PORTALS and max(peak.values()) <= 2  # one crawler per host: its politeness


def test_the_run_report_covers_every_portal_job_and_worker(farm60):
    root, _, _, out, status = farm60
    report = run_report(root / "spread")
    run = report["distributed"]
    assert sorted(p["portal"] for p in report["portals"]) == sorted(job["job"] for job in run["jobs"])
    assert len(run["jobs"]) == FARM_PORTALS and run["retries"] == 0 and not report["portals_failed"]
    assert sorted(run["workers"]) == ["w1@test", "w2@test", "w3@test"]
    assert sum(w["jobs"] for w in run["workers"].values()) == FARM_PORTALS
    assert {p["worker"] for p in report["portals"]} == set(run["workers"])
    assert f"{FARM_PORTALS} on 3 workers" in out and "0 retries" in out
    assert status.returncode == 0, status.stderr
    assert f"{FARM_PORTALS} jobs ({FARM_PORTALS} portals): {FARM_PORTALS} done, 0 running, 0 waiting" in status.stdout


def test_run_status_during_a_run_names_each_running_job_and_its_worker(tmp_path):
    apps, registry = farm_portals(3, years=range(2021, 2022))
    (tmp_path / "farm.toml").write_text(registry, encoding="utf-8")
    gate = threading.Event()
    held = [HeldPortal(app, gate) for app in apps]  # every job stays mid-portal until the gate opens
    with FarmServer(held) as farm, RedisServer() as server, workers(server.url, 2, tmp_path):
        run = coordinator("crawl", "--distributed", "--broker", server.url, "--registry", str(tmp_path / "farm.toml"),
                          "--archive", str(tmp_path / "archive"), "--proxy", farm.url, *FAST)
        try:
            running = wait_until(lambda: len(jobs := running_jobs(server.url)) == 2
                                 and sum(p.asked.is_set() for p in held) == 2 and jobs, what="two jobs mid-portal")
            during = run_cli("run", "status", "--broker", server.url)
        finally:
            gate.set()
        out, err = run.communicate(timeout=300)
        after = run_cli("run", "status", "--broker", server.url)
    assert run.returncode == 0, out + err
    assert during.returncode == 0, during.stderr
    first, *shown, workers_line = during.stdout.splitlines()
    assert first.endswith(": 3 jobs (3 portals): 0 done, 2 running, 1 waiting; 0 retries"), during.stdout
    assert {tuple(line.split()[1::2]) for line in shown} == {(job, where.split()[0]) for job, where in running.items()}
    assert {where.split()[0] for where in running.values()} == {"w1@test", "w2@test"}  # one job on each
    assert workers_line == "workers answering: w1@test, w2@test"
    assert ": 3 jobs (3 portals): 3 done, 0 running, 0 waiting; 0 retries" in after.stdout, after.stdout


# The failure tests: a smaller farm whose portals answer slowly, so a job is caught mid-portal.
SLOW = FaultPlan(Faults(delay=0.05))
LEASES = {"NIANBAO_JOB_LEASE": "3", "NIANBAO_VISIBILITY_TIMEOUT": "6"}


@pytest.fixture(scope="module")
def slow_farm(tmp_path_factory):
    root = tmp_path_factory.mktemp("slowfarm")
    apps, registry = farm_portals(4, units=3, years=range(2019, 2022))
    (root / "farm.toml").write_text(registry, encoding="utf-8")
    with FarmServer(apps, SLOW) as farm:
        yield root, apps, farm


def crawl_args(root, farm, broker: str, archive: str) -> list[str]:
    """``archive``: a directory under ``root``, or an S3 URI."""
    return ["crawl", "--distributed", "--broker", broker, "--registry", str(root / "farm.toml"), "--archive",
            archive if "://" in archive else str(root / archive), "--proxy", farm.url, *FAST,
            "-s", "NIANBAO_STATE_SAVE_INTERVAL=0"]


def job_with_state(broker: str, storage) -> tuple[str, int]:
    """A job running now whose crawl has saved its state once (it is mid-portal): its name and worker pid."""
    for job, where in running_jobs(broker).items():
        if storage.exists(state_key(job)):
            return job, int(where.split()[1])
    return None  # type: ignore[return-value]


def test_a_worker_killed_mid_portal_loses_nothing_and_its_job_reruns(slow_farm, tmp_path):
    root, apps, farm = slow_farm
    archive = root / "killed"
    with RedisServer() as server, workers(server.url, 2, tmp_path, **LEASES):
        run = coordinator(*crawl_args(root, farm, server.url, "killed"))
        job, pid = wait_until(lambda: job_with_state(server.url, LocalStorage(archive)), what="a job mid-portal")
        for victim in [pid, *descendants(pid)]:  # the worker process running the job, and its crawl
            os.kill(victim, signal.SIGKILL)
        out, err = run.communicate(timeout=300)
    assert run.returncode == 0, out + err
    manifest = [item for app in apps for item in app.manifest()]
    assert missing_reports(manifest, records(archive)) == []
    report = run_report(archive)
    (entry,) = [j for j in report["distributed"]["jobs"] if j["job"] == job]
    assert entry["attempts"] == 2 and report["distributed"]["retries"] == 1 and f"{job} ×2" in out
    (rerun,) = [p for p in report["portals"] if p["portal"] == job]
    assert rerun["attempt"] == 2
    # Cheap: what the killed attempt archived is not written again.
    assert rerun["counts"]["records_known"] + rerun["counts"]["unchanged"] > 0
    assert index_keys(archive) == record_keys(archive)
    # As after a killed single crawl: only records pointing into the killed attempt's unfinished WARC file,
    # which reparse repairs.
    verified = run_cli("verify", "--archive", str(archive))
    problems = [line for line in verified.stdout.splitlines() if line.startswith(("reports/", "text/", "raw/"))]
    assert all(f"-{job}-1.warc.gz was never written" in line for line in problems), verified.stdout[-2000:]
    assert run_cli("reparse", "--archive", str(archive)).returncode == 0
    assert run_cli("verify", "--archive", str(archive)).returncode == 0
    # Every attempt of every job wrote WARC files of its own name.
    names = {path.name for path in archive.glob("warc/*/*.warc.gz")}
    assert any(f"-{job}-2.warc.gz" in name for name in names) and len(names) >= len(report["distributed"]["jobs"])


def test_a_worker_stopped_past_its_lease_has_its_stale_state_merged(slow_farm, tmp_path, seaweed, s3_env):
    """On S3, as workers on several machines share an archive. (On a local directory a writer stopped inside
    the compare-and-swap's locked read-and-rename holds its peers' writes until it resumes; this crawl
    saves its state after every document, so a stop often lands there.)"""
    root, _, farm = slow_farm
    uri = f"s3://{seaweed.bucket}/stopped-{uuid.uuid4().hex[:8]}"
    store = open_storage(uri)
    with RedisServer() as server, workers(server.url, 2, tmp_path, **LEASES, **s3_env) as started:
        run = coordinator(*crawl_args(root, farm, server.url, uri))
        job, pid = wait_until(lambda: job_with_state(server.url, store), what="a job mid-portal")
        (stuck,) = [w for w in started if pid in descendants(w.pid)]
        signal_group(stuck, signal.SIGSTOP)  # the worker, its job's process and its crawl
        out, err = run.communicate(timeout=300)  # the other worker takes the job over after the lease
        assert run.returncode == 0, out + err
        newer = CrawlState.load(store, job)
        client = redis.Redis.from_url(server.url, decode_responses=True)
        assert client.hget(RunKeys(latest_run(client)).attempts, job) == "2"
        signal_group(stuck, signal.SIGCONT)
        first = job_report_key(latest_run(client), job, 1)
        wait_until(lambda: store.exists(first), what="the resumed job's report")  # it lost its lease: stopped, saved
    stale = json.loads(store.get(first))
    (portal,) = stale["portals"]
    assert portal["stats"].get("nianbao/state_write_conflicts", 0) >= 1  # refused, then merged
    merged = CrawlState.load(store, job)
    assert merged.known >= newer.known and len(merged.known) >= len(newer.known)
    assert run_cli("verify", "--archive", uri).returncode == 0


def crawling(started) -> bool:
    """Whether a job's crawl process runs below any of the workers ``started``."""
    for worker in started:
        for pid in descendants(worker.pid):
            try:
                if b"crawler.distributed.job" in Path(f"/proc/{pid}/cmdline").read_bytes():
                    return True
            except OSError:  # ended meanwhile
                continue
    return False


def test_the_broker_stopped_mid_run_is_a_clear_error_and_a_rerun_completes(slow_farm, tmp_path):
    root, apps, farm = slow_farm
    archive = root / "brokerless"
    server = RedisServer().start()
    try:
        with workers(server.url, 2, tmp_path / "first") as started:
            run = coordinator(*crawl_args(root, farm, server.url, "brokerless"), env={"NIANBAO_BROKER_GRACE": "2"})
            wait_until(lambda: running_jobs(server.url), what="a running job")
            server.stop()
            out, err = run.communicate(timeout=120)
            # The jobs running then finish their crawls: the archive does not need the broker.
            wait_until(lambda: not crawling(started), timeout=180, what="the running crawls to end")
        assert run.returncode == 1 and "stopped answering" in err and "run the same command again" in err, out + err
        assert err.count("\n") == 1  # one line
        verify = run_cli("verify", "--archive", str(archive))
        assert verify.returncode == 0, verify.stdout + verify.stderr
    finally:
        server.stop()
    with RedisServer() as again, workers(again.url, 2, tmp_path / "second"):
        rerun = coordinator(*crawl_args(root, farm, again.url, "brokerless"))
        out, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, out + err
    manifest = [item for app in apps for item in app.manifest()]
    assert missing_reports(manifest, records(archive)) == []
    assert run_cli("verify", "--archive", str(archive)).returncode == 0


def test_a_distributed_backfill_keeps_the_years_asked_in_packed_jobs(tmp_path):
    apps, registry = farm_portals(3, years=range(2019, 2022))
    (tmp_path / "farm.toml").write_text(registry, encoding="utf-8")
    archive = tmp_path / "archive"
    with FarmServer(apps) as farm, RedisServer() as server, workers(server.url, 1, tmp_path) as started:
        run = coordinator("backfill", "--distributed", "--years", "2020-2020", "--job-portals", "2", "--broker",
                          server.url, "--registry", str(tmp_path / "farm.toml"), "--archive", str(archive),
                          "--proxy", farm.url, *FAST)
        out, err = run.communicate(timeout=300)
        assert started[0].poll() is None  # the worker goes on after the run
    assert run.returncode == 0, out + err
    wanted = [item for app in apps for item in app.manifest() if item["year"] == 2020]
    assert wanted and missing_reports(wanted, records(archive)) == []
    assert {r["year"] for r in records(archive) if r["is_report"]} == {2020}
    jobs = run_report(archive)["distributed"]["jobs"]  # three one-host portals packed two to a job
    assert sorted(len(job["portals"]) for job in jobs) == [1, 2]
    assert not list((tmp_path / "state1" / "jobs").glob("*"))  # each finished backfill job removed its queue
