"""Distributed crawls for tests: a Redis server, ``nianbao worker`` processes, the farm under real codes,
and what the archive holds (report ids, index entries)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import redis

from crawler.distributed.runkeys import RunKeys
from crawler.distributed.status import latest_run
from crawler.regions import divisions
from sampleportal.farm.farmfile import build_apps, crawler_registry, regional_entries
from sampleportal.farm.portal import FarmPortal

ROOT = Path(__file__).resolve().parent.parent
FAST = ("-s", "AUTOTHROTTLE_ENABLED=false")  # the single-process and the distributed crawl alike


def farm_portals(count: int, units: int = 1, years: range = range(2020, 2022)) -> tuple[list[FarmPortal], str]:
    """``count`` farm portals under the first county codes of the national registry, and their registry."""
    entries = regional_entries(divisions().counties()[:count])
    return build_apps(entries, 7, units, years), crawler_registry(entries)  # type: ignore[return-value]


@contextmanager
def workers(broker: str, count: int, tmp: Path, **env: str) -> Iterator[list[subprocess.Popen[bytes]]]:
    """``count`` workers (each its own session, so a test can stop one with its crawl); all ended on exit."""
    started = []
    tmp.mkdir(parents=True, exist_ok=True)
    try:
        for n in range(1, count + 1):
            log = (tmp / f"worker{n}.log").open("wb")
            started.append(subprocess.Popen(
                [sys.executable, "-m", "crawler.run.cli", "worker", "--broker", broker, "--name", f"w{n}@test",
                 "--state-dir", str(tmp / f"state{n}"), "--log-level", "INFO"],
                cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                env={**os.environ, **env}))
            log.close()
        yield started
    finally:
        for process in started:
            stop_group(process, signal.SIGCONT)
            stop_group(process, signal.SIGKILL)
            process.wait(timeout=30)


def stop_group(process: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    with suppress(ProcessLookupError):
        os.killpg(process.pid, sig)


def coordinator(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "crawler.run.cli", *args], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, **(env or {})})


def wait_until(condition, timeout: float = 120.0, what: str = "condition"):
    """Poll ``condition`` until it returns something true; its value."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)  # polling interval, bounded by the deadline
    raise AssertionError(f"timed out waiting for {what}")


def running_jobs(broker: str) -> dict[str, str]:
    """job → "worker pid" of the jobs running now in the latest run."""
    client = redis.Redis.from_url(broker, decode_responses=True)
    crawl_id = latest_run(client)
    return client.hgetall(RunKeys(crawl_id).running) if crawl_id else {}


def report_ids(archive: Path) -> set[str]:
    return {path.stem for path in archive.glob("reports/*/*.json")}


def record_keys(archive: Path) -> set[str]:
    return {path.relative_to(archive).as_posix() for path in archive.glob("reports/*/*.json")}


def run_report(archive: Path) -> dict:
    (path,) = archive.glob("runs/*.json")
    return json.loads(path.read_text(encoding="utf-8"))
