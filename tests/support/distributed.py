"""Distributed crawls for tests: a Redis server, ``nianbao worker`` processes, the farm under real codes,
and what the archive holds (report ids, index entries)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import redis

from crawler.distributed.localworkers import local_workers
from crawler.distributed.runkeys import RunKeys
from crawler.distributed.status import latest_run
from crawler.regions import divisions
from sampleportal.farm.app import Reply, Request
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
    """``count`` workers ``w<n>@test`` (crawler/distributed/localworkers.py), killed on exit."""
    with local_workers(broker, [f"w{n}@test" for n in range(1, count + 1)], tmp, env=env) as started:
        yield started


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


class HeldPortal:
    """A farm portal whose replies wait until ``gate`` is set (at most ``timeout`` seconds): its job stays
    running, mid-portal, for as long as a test needs."""

    def __init__(self, app: FarmPortal, gate: threading.Event, timeout: float = 120.0) -> None:
        self.app, self.gate, self.timeout = app, gate, timeout
        self.host = app.host
        self.asked = threading.Event()  # set by the first request

    def handle(self, request: Request) -> Reply:
        self.asked.set()
        self.gate.wait(self.timeout)
        return self.app.handle(request)

    def manifest(self) -> Iterator[Mapping[str, Any]]:
        return self.app.manifest()
