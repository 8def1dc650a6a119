"""``nianbao crawl --distributed``: enqueue one portal job per host group, wait for them, and write one
run report for the whole run (per portal, per worker, retries) at runs/<crawl-id>.json."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import redis
from kombu.exceptions import OperationalError

from crawler.archive.index import ReportIndex
from crawler.archive.layout import new_crawl_id, run_report_key
from crawler.distributed.app import TASK, answering_workers, broker_url, client, make_app, shown_url
from crawler.distributed.hostgroups import group_name, host_groups, packed
from crawler.distributed.job import PortalJob
from crawler.distributed.runkeys import KEEP_SECONDS, RUNS, RunKeys
from crawler.extensions.runreport import report_bytes, run_report
from crawler.registry import Portal
from storage import StorageError, open_storage


def broker_grace() -> float:
    """Seconds the broker may stay unreachable before the run gives up waiting (``NIANBAO_BROKER_GRACE``)."""
    return float(os.environ.get("NIANBAO_BROKER_GRACE") or 30)


class BrokerUnavailable(Exception):
    """The broker cannot be reached, or stopped answering while the run waited."""


def run_distributed(
    portals: Sequence[Portal], archive: str, *, log_level: str = "WARNING", extra_settings: Mapping[str, Any] = {},
    years: tuple[int, int] | None = None, broker: str | None = None, crawl_id: str | None = None,
    grace: float | None = None, job_portals: int = 1,
) -> dict[str, Any]:
    """Crawl (or, with ``years``, backfill) ``portals`` on the workers of ``broker``; the run report. A job
    is one host group, or several packed up to ``job_portals`` portals."""
    url = broker or broker_url()
    crawl_id = crawl_id or new_crawl_id()
    started = datetime.now(UTC)
    storage = open_storage(archive)
    storage.check_writable()
    jobs = {group_name(group): PortalJob(tuple(group), archive, crawl_id, dict(extra_settings), log_level, years)
            for group in packed(host_groups(portals), job_portals)}
    keys, broker_client = RunKeys(crawl_id), client(url)
    try:
        with broker_client.pipeline() as pipe:
            pipe.zadd(RUNS, {crawl_id: time.time()})
            pipe.hset(keys.jobs, mapping={name: json.dumps([p.name for p in job.portals])
                                          for name, job in jobs.items()})
            pipe.expire(keys.jobs, KEEP_SECONDS)
            pipe.execute()
        app = make_app(url)
        for name, job in jobs.items():
            app.send_task(TASK, args=[job.to_dict(), name], retry=False)
    except (redis.RedisError, OSError) as exc:
        raise BrokerUnavailable(f"cannot reach the broker at {shown_url(url)}: {exc}") from exc
    results = wait_for(broker_client, keys, set(jobs), broker_grace() if grace is None else grace, url)
    attempts = {name: int(n) for name, n in broker_client.hgetall(keys.attempts).items()}
    report = merged_report(crawl_id, storage.location, jobs, results, attempts, started, workers_answering(url))
    report["distributed"]["broker"] = shown_url(url)
    try:  # every job saved the index by compare-and-swap; brought level with the reports/ listing once more
        ReportIndex.reconcile(storage).save(storage)
    except StorageError as exc:
        report["index_error"] = str(exc)
    try:
        storage.put(run_report_key(crawl_id), report_bytes(report))
    except StorageError as exc:
        report["run_report_error"] = str(exc)
    return report


def wait_for(broker: redis.Redis, keys: RunKeys, jobs: set[str], grace: float, url: str) -> dict[str, dict]:
    """The first result of each job, as workers push them; BrokerUnavailable when the broker stays
    unreachable ``grace`` seconds."""
    results: dict[str, dict] = {}
    failing_since: float | None = None
    while len(results) < len(jobs):
        try:
            popped = broker.blpop([keys.results], timeout=1)
            failing_since = None
        except redis.RedisError as exc:
            failing_since = failing_since or time.monotonic()
            if time.monotonic() - failing_since >= grace:
                raise BrokerUnavailable(
                    f"the broker at {shown_url(url)} stopped answering ({exc}) with {len(results)} of {len(jobs)} "
                    f"jobs done: what they archived is kept; run the same command again to finish") from exc
            time.sleep(min(1.0, grace / 4))  # the broker is down: try again shortly
            continue
        if popped:
            result = json.loads(popped[1])
            results.setdefault(result["job"], result)
    return results


def workers_answering(url: str) -> list[str]:
    """The workers answering at the end of a run (those that ran no job are named in its report too)."""
    try:
        return answering_workers(url)
    except (redis.RedisError, OSError, OperationalError):
        return []


def merged_report(crawl_id: str, archive: str, jobs: Mapping[str, PortalJob], results: Mapping[str, dict],
                  attempts: Mapping[str, int], started: datetime, answering: Sequence[str] = ()) -> dict[str, Any]:
    """One run report over every job's portal reports, each portal marked with its worker and attempt;
    ``answering`` workers that ran none are listed with 0 jobs."""
    order = {portal.name: n for n, job in enumerate(jobs.values()) for portal in job.portals}
    portals = [{**portal, "job": name, "worker": result["worker"], "attempt": result["attempt"]}
               for name, result in results.items() for portal in result["reports"]]
    portals.sort(key=lambda portal: order.get(portal["portal"], len(order)))
    report = run_report(crawl_id, archive, portals, started)
    failed = sorted(name for name, result in results.items() if result["error"])
    report["portals_failed"] = sorted({*report["portals_failed"],
                                       *(p.name for name in failed for p in jobs[name].portals)})
    workers: dict[str, dict[str, Any]] = {name: {"jobs": 0, "portals": 0, "seconds": 0.0} for name in answering}
    for result in results.values():
        tally = workers.setdefault(result["worker"], {"jobs": 0, "portals": 0, "seconds": 0.0})
        tally["jobs"] += 1
        tally["portals"] += len(result["reports"])
        tally["seconds"] = round(tally["seconds"] + result["seconds"], 3)
    report["distributed"] = {
        "jobs": [{"job": name, "portals": [p.name for p in job.portals], "worker": results[name]["worker"],
                  "attempts": attempts.get(name, 1), "seconds": results[name]["seconds"],
                  "exit_code": results[name]["exit_code"], "error": results[name]["error"],
                  "index_write_conflicts": results[name]["index_write_conflicts"]}
                 for name, job in jobs.items()],
        "workers": dict(sorted(workers.items())),
        "retries": sum(max(0, attempts.get(name, 1) - 1) for name in jobs),
        "jobs_failed": failed,
    }
    return report


def format_distributed(report: dict[str, Any]) -> str:
    """The lines the summary of a distributed run adds: jobs, retries, per worker."""
    run = report["distributed"]
    rerun = [f"{job['job']} ×{job['attempts']}" for job in run["jobs"] if job["attempts"] > 1]
    lines = [f"  jobs                 {len(run['jobs'])} on {len(run['workers'])} workers via {run['broker']};"
             f" {run['retries']} retries" + (f" ({', '.join(rerun)})" if rerun else "")]
    lines.extend(f"    {worker:<32} {tally['jobs']:>5} jobs {tally['portals']:>5} portals {tally['seconds']:>9.1f} s"
                 for worker, tally in run["workers"].items())
    lines.extend(f"  JOB FAILED           {job['job']}: {job['error']}" for job in run["jobs"] if job["error"])
    return "\n".join(lines)
