"""The distributed crawl on one machine: a farm of about 2,850 small portals (one per county code of the
national registry), a sample of them crawled by 1, 2 and 4 workers (``nianbao worker``) on a real Redis
server, against one ``nianbao crawl`` process over the same sample (the baseline).

Measured: wall time and its ratio to the baseline, per-job overhead (a job's seconds less its crawl's own,
and a job of no portal: process start and teardown alone), crawl-state saves and compare-and-swap
conflicts, broker commands per second and per job, peak memory of the workers and of the broker.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import redis

from crawler.distributed.broker import RedisServer
from crawler.distributed.job import PortalJob, run_job
from crawler.distributed.localworkers import local_workers
from crawler.regions import divisions
from sampleportal.farm.farmfile import build_apps, crawler_registry, regional_entries
from sampleportal.farm.server import FarmServer
from tests.support.processes import descendants, resident_bytes

ROOT = Path(__file__).resolve().parent.parent
NATIONAL = 2850  # county portals served by the farm
SAMPLE = 24  # portals crawled per row, spread evenly over the farm (all five families)
WORKERS = (1, 2, 4)
UNITS, YEARS = 1, range(2020, 2022)
OPTIONS = ("-s", "AUTOTHROTTLE_ENABLED=false", "-s", "NIANBAO_WARC=false", "-s", "NIANBAO_PROGRESS=off")


class PeakMemory:
    """Samples the resident memory of process trees every 0.2 s; the peak of their sum."""

    def __init__(self, pids: list[int]) -> None:
        self.pids, self.peak, self._stop = pids, 0, threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(0.2):
            total = sum(resident_bytes(p) for pid in self.pids for p in (pid, *descendants(pid)))
            self.peak = max(self.peak, total)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "crawler.run.cli", *args]


def _single(registry: Path, archive: Path, proxy: str) -> dict:
    started = time.perf_counter()
    child = subprocess.Popen(_cli("crawl", "--registry", str(registry), "--archive", str(archive), "--proxy", proxy,
                                  *OPTIONS), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    (report,) = [json.loads(p.read_text(encoding="utf-8")) for p in archive.glob("runs/*.json")]
    return {"seconds": seconds, "cpu": usage.ru_utime + usage.ru_stime, "rss": usage.ru_maxrss * 1024,
            "pages": report["counts"]["pages_fetched"], "failed": len(report["portals_failed"])}


def _distributed(registry: Path, archive: Path, proxy: str, count: int, work: Path) -> dict:
    with RedisServer() as server:
        broker = redis.Redis.from_url(server.url)
        names = [f"w{n}@bench" for n in range(count)]
        with local_workers(server.url, names, work, log_level="WARNING") as workers:
            commands = broker.info("stats")["total_commands_processed"]
            started = time.perf_counter()
            with PeakMemory([w.pid for w in workers]) as memory:
                run = subprocess.run(_cli("crawl", "--distributed", "--broker", server.url, "--registry", str(registry),
                                          "--archive", str(archive), "--proxy", proxy, *OPTIONS),
                                     cwd=ROOT, capture_output=True, text=True)
            seconds = time.perf_counter() - started
            if run.returncode not in (0, 1):
                raise RuntimeError(f"distributed crawl exited {run.returncode}: {run.stderr[-500:]}")
            commands = broker.info("stats")["total_commands_processed"] - commands
            broker_peak = broker.info("memory")["used_memory_peak"]
    (report,) = [json.loads(p.read_text(encoding="utf-8")) for p in archive.glob("runs/*.json")]
    jobs = {job["job"]: job for job in report["distributed"]["jobs"]}
    overheads = [jobs[p["portal"]]["seconds"] - (p["duration_s"] or 0) for p in report["portals"]]
    stats = [p["stats"] for p in report["portals"]]
    return {"workers": count, "seconds": seconds, "jobs": len(jobs), "pages": report["counts"]["pages_fetched"],
            "job_s": statistics.mean(j["seconds"] for j in jobs.values()), "overhead": statistics.mean(overheads),
            "conflicts": sum(s.get("nianbao/state_write_conflicts", 0) for s in stats),
            "index_conflicts": sum(job["index_write_conflicts"] for job in jobs.values()),
            "commands": commands, "rss": memory.peak, "broker_rss": broker_peak,
            "failed": len(report["portals_failed"]), "retries": report["distributed"]["retries"]}


def _empty_job(archive: Path) -> float:
    """Seconds of a job with no portal: a child process started, its run set up and ended."""
    runs = [run_job(PortalJob((), str(archive), f"empty{n}", {"NIANBAO_WARC": False})) for n in range(3)]
    return statistics.median(outcome.seconds for outcome in runs)


def run() -> str:
    codes = divisions().counties()[:NATIONAL]
    entries = regional_entries(codes)
    sample = entries[:: len(entries) // SAMPLE][:SAMPLE]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        registry = work / "sample.toml"
        registry.write_text(crawler_registry(sample), encoding="utf-8")
        built = time.perf_counter()
        apps = build_apps(entries, 7, UNITS, YEARS)
        built = time.perf_counter() - built
        with FarmServer(apps) as farm:
            base = _single(registry, work / "single", farm.url)
            empty = _empty_job(work / "empty")
            rows = [_distributed(registry, work / f"spread{n}", farm.url, n, work) for n in WORKERS]
    one = rows[0]
    lines = [
        "## Distributed crawl: 1, 2 and 4 workers (bench/bench_distributed.py)",
        "",
        f"The farm serves {len(entries):,} small portals, one per county code of the national registry (built in "
        f"{built:.1f} s), each publishing the government's reports for {YEARS.start}–{YEARS.stop - 1} and a "
        f"look-alike a year. A sample of {SAMPLE} of them, every {len(entries) // SAMPLE}th (the five families "
        "in turn), is crawled by one `nianbao crawl` process (the baseline) and by `nianbao crawl --distributed` "
        "on 1, 2 and 4 `nianbao worker`s (one job at a time each) with a valkey-server broker; AutoThrottle and "
        "WARC capture off. Crawling all 2,850 this way takes the sample's time × "
        f"{len(entries) / SAMPLE:.0f} (jobs are independent; see docs/OPERATIONS.md for the extrapolation).",
        "",
        "| run | wall s | vs baseline | vs 1 worker | s/job | per-job overhead s | CAS retries: index, states |"
        " broker cmds/s | cmds/job | peak RSS MiB | broker peak MiB | failed |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| one process, {SAMPLE} portals (baseline) | {base['seconds']:.1f} | 1.00 | – | – | – | – | – | – |"
        f" {base['rss'] / 2**20:.0f} | – | {base['failed']} |",
    ]
    for row in rows:
        lines.append(
            f"| {row['workers']} worker{'s' if row['workers'] > 1 else ''}, {row['jobs']} jobs | {row['seconds']:.1f} |"
            f" {row['seconds'] / base['seconds']:.2f} | {row['seconds'] / one['seconds']:.2f} | {row['job_s']:.2f} |"
            f" {row['overhead']:.2f} | {row['index_conflicts']}, {row['conflicts']} |"
            f" {row['commands'] / row['seconds']:.0f} |"
            f" {row['commands'] / row['jobs']:.0f} | {row['rss'] / 2**20:.0f} | {row['broker_rss'] / 2**20:.1f} |"
            f" {row['failed']} |")
    lines += [
        "",
        "Per-job overhead: a job's seconds (the worker's, from child start to its exit) less its crawl's own"
        " (`duration_s`, spider open to close). CAS retries: saves of the report index and of crawl states"
        " refused because another job's came first, then merged (a state's last save, at the crawl's close,"
        " is not in its stats). "
        f"A job of no portal (child process start, run set-up and end) takes {empty:.2f} s (median of 3); the"
        f" baseline process spent {base['cpu']:.1f} CPU seconds on {base['pages']:,} responses"
        f" ({base['cpu'] / base['pages'] * 1000:.0f} ms a response, parsing included). Peak RSS: the baseline"
        " process's (`wait4`); for the workers, the sum over their process trees (worker, its pool process,"
        " the job's crawl), sampled every 0.2 s. This machine has"
        f" {os.cpu_count()} cores shared with other work, so 4 workers cannot run 4 times as fast here: the"
        " farm answers at once and a job is CPU-bound; against real portals a job waits on replies and"
        " workers scale with the machines given to them.",
    ]
    return "\n".join(lines)
