"""The distributed crawl on one machine: a farm of about 2,850 small portals (one per county code of the
national registry), all crawled by 1, 2 and 4 workers (``nianbao worker``) on a real Redis server, against
one ``nianbao crawl`` process over the same farm (the baseline).

The farm's portals are tiny (about 14 responses each), so the fixed cost of a job (a process start, a
run's set-up and end) would dominate them: the national rows pack host groups ten portals to a job
(``--job-portals 10``). What packing saves is measured too, on the first 200 portals: one job per host
group against packed jobs, both on 2 workers. Also measured: wall time and its ratios, compare-and-swap
conflicts (report-index shards and crawl states), broker commands per second and per job, peak memory of
the workers and of the broker, and a job of no portal (the fixed cost alone).
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
NATIONAL = int(os.environ.get("NIANBAO_BENCH_PORTALS") or 2850)  # county portals served by the farm (smaller: a trial)
JOB_PORTALS = 10  # --job-portals of the national rows
PACKING_SLICE = min(200, NATIONAL)  # the portals of the packing comparison
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
            "pages": report["counts"]["pages_fetched"], "failed": len(report["portals_failed"]),
            "portals": len(report["portals"])}


def _distributed(registry: Path, archive: Path, proxy: str, count: int, work: Path, job_portals: int) -> dict:
    with RedisServer() as server:
        broker = redis.Redis.from_url(server.url)
        names = [f"w{n}@bench" for n in range(count)]
        with local_workers(server.url, names, work, log_level="WARNING") as workers:
            commands = broker.info("stats")["total_commands_processed"]
            started = time.perf_counter()
            with PeakMemory([w.pid for w in workers]) as memory:
                run = subprocess.run(_cli("crawl", "--distributed", "--broker", server.url, "--registry", str(registry),
                                          "--archive", str(archive), "--proxy", proxy, "--job-portals",
                                          str(job_portals), *OPTIONS),
                                     cwd=ROOT, capture_output=True, text=True)
            seconds = time.perf_counter() - started
            if run.returncode not in (0, 1):
                raise RuntimeError(f"distributed crawl exited {run.returncode}: {run.stderr[-500:]}")
            commands = broker.info("stats")["total_commands_processed"] - commands
            broker_peak = broker.info("memory")["used_memory_peak"]
    (report,) = [json.loads(p.read_text(encoding="utf-8")) for p in archive.glob("runs/*.json")]
    jobs = {job["job"]: job for job in report["distributed"]["jobs"]}
    stats = [p["stats"] for p in report["portals"]]
    return {"workers": count, "seconds": seconds, "jobs": len(jobs), "portals": len(report["portals"]),
            "pages": report["counts"]["pages_fetched"], "job_s": statistics.mean(j["seconds"] for j in jobs.values()),
            "conflicts": sum(s.get("nianbao/state_write_conflicts", 0) for s in stats),
            "index_conflicts": sum(job["index_write_conflicts"] for job in jobs.values()),
            "commands": commands, "rss": memory.peak, "broker_rss": broker_peak,
            "failed": len(report["portals_failed"]), "retries": report["distributed"]["retries"]}


def _empty_job(archive: Path) -> float:
    """Seconds of a job with no portal: a child process started, its run set up and ended."""
    runs = [run_job(PortalJob((), str(archive), f"empty{n}", {"NIANBAO_WARC": False})) for n in range(3)]
    return statistics.median(outcome.seconds for outcome in runs)


def _registry(work: Path, name: str, entries: list) -> Path:
    path = work / f"{name}.toml"
    path.write_text(crawler_registry(entries), encoding="utf-8")
    return path


def run() -> str:
    codes = divisions().counties()[:NATIONAL]
    entries = regional_entries(codes)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        national, first = _registry(work, "national", entries), _registry(work, "first", entries[:PACKING_SLICE])
        built = time.perf_counter()
        apps = build_apps(entries, 7, UNITS, YEARS)
        built = time.perf_counter() - built
        with FarmServer(apps) as farm:
            empty = _empty_job(work / "empty")
            unpacked = _distributed(first, work / "unpacked", farm.url, 2, work, 1)
            packed = _distributed(first, work / "packed", farm.url, 2, work, JOB_PORTALS)
            base = _single(national, work / "single", farm.url)
            rows = [_distributed(national, work / f"spread{n}", farm.url, n, work, JOB_PORTALS) for n in WORKERS]
    one = rows[0]
    lines = [
        "## Distributed crawl: 1, 2 and 4 workers (bench/bench_distributed.py)",
        "",
        f"The farm serves {len(entries):,} small portals, one per county code of the national registry (built in "
        f"{built:.1f} s), each publishing the government's reports for {YEARS.start}–{YEARS.stop - 1} and a "
        "look-alike a year. All of them are crawled by one `nianbao crawl` process (the baseline: batches of 100"
        " portals in child processes) and by `nianbao crawl --distributed --job-portals "
        f"{JOB_PORTALS}` on 1, 2 and 4 `nianbao worker`s (one job at a time each) with a valkey-server broker;"
        " AutoThrottle and WARC capture off.",
        "",
        "| run | wall s | vs baseline | vs 1 worker | jobs | s/job | portals/s | CAS retries: index, states |"
        " broker cmds/s | cmds/job | peak RSS MiB | broker peak MiB | failed | retried |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| one process, {base['portals']:,} portals (baseline) | {base['seconds']:.1f} | 1.00 | – | – | – |"
        f" {base['portals'] / base['seconds']:.1f} | – | – | – | {base['rss'] / 2**20:.0f} | – | {base['failed']} |"
        " – |",
    ]
    lines += [_row(f"{row['workers']} worker{'s' if row['workers'] > 1 else ''}", row, base, one) for row in rows]
    lines += [
        "",
        f"Packing, on the first {PACKING_SLICE} portals with 2 workers:",
        "",
        "| jobs of | jobs | wall s | vs one host group a job | s/job |",
        "|---|---:|---:|---:|---:|",
        f"| one host group (the default) | {unpacked['jobs']} | {unpacked['seconds']:.1f} | 1.00 |"
        f" {unpacked['job_s']:.2f} |",
        f"| {JOB_PORTALS} portals | {packed['jobs']} | {packed['seconds']:.1f} |"
        f" {packed['seconds'] / unpacked['seconds']:.2f} | {packed['job_s']:.2f} |",
        "",
        "CAS retries: saves of report-index shards and of crawl states refused because another job's came first,"
        " then merged (a state's last save, at the crawl's close, is not in its stats). Retried: jobs run more"
        f" than once. A job of no portal (child process start, run set-up and end) takes {empty:.2f} s (median"
        f" of 3); the baseline process tree spent {base['cpu']:.0f} CPU seconds on {base['pages']:,} responses"
        f" ({base['cpu'] / base['pages'] * 1000:.1f} ms a response, parsing and batch starts included). Peak RSS:"
        " the baseline's largest process (`wait4`); for the workers, the sum over their process trees (worker,"
        " its pool process, the job's crawl), sampled every 0.2 s. This machine has"
        f" {os.cpu_count()} cores shared with other work, so 4 workers cannot run 4 times as fast here: the"
        " farm answers at once and a job is CPU-bound; against real portals a job waits on replies and"
        " workers scale with the machines given to them (docs/OPERATIONS.md).",
    ]
    return "\n".join(lines)


def _row(name: str, row: dict, base: dict, one: dict) -> str:
    return (f"| {name} | {row['seconds']:.1f} | {row['seconds'] / base['seconds']:.2f} |"
            f" {row['seconds'] / one['seconds']:.2f} | {row['jobs']} | {row['job_s']:.2f} |"
            f" {row['portals'] / row['seconds']:.1f} | {row['index_conflicts']}, {row['conflicts']} |"
            f" {row['commands'] / row['seconds']:.0f} | {row['commands'] / row['jobs']:.0f} |"
            f" {row['rss'] / 2**20:.0f} | {row['broker_rss'] / 2**20:.1f} | {row['failed']} | {row['retries']} |")
