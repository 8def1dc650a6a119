"""``nianbao run status``: a distributed run's jobs as the broker sees them — done, running (on which
worker), waiting — and the workers that answer."""

from __future__ import annotations

import json

import redis

from crawler.distributed.runkeys import RUNS, RunKeys


def latest_run(broker: redis.Redis) -> str | None:
    newest = broker.zrevrange(RUNS, 0, 0)
    return newest[0] if newest else None


def run_status(broker: redis.Redis, crawl_id: str) -> dict:
    keys = RunKeys(crawl_id)
    # One transaction: a job finishing between two reads (a worker moves it from running to done in one
    # transaction too) would otherwise be counted as neither, i.e. as waiting.
    with broker.pipeline(transaction=True) as pipe:
        pipe.hgetall(keys.jobs).smembers(keys.done).hgetall(keys.running).hgetall(keys.attempts)
        listed, done, running, tried = pipe.execute()
    jobs = {name: json.loads(portals) for name, portals in listed.items()}
    attempts = {name: int(n) for name, n in tried.items()}
    return {
        "crawl_id": crawl_id,
        "jobs": len(jobs),
        "portals": sum(len(portals) for portals in jobs.values()),
        "done": len(done & jobs.keys()),
        "running": {name: running[name] for name in sorted(running) if name not in done},
        "waiting": len(jobs.keys() - done - running.keys()),
        "retries": sum(max(0, n - 1) for n in attempts.values()),
    }


def status_lines(status: dict, workers: list[str]) -> list[str]:
    lines = [f"run {status['crawl_id']}: {status['jobs']} jobs ({status['portals']} portals): {status['done']} done, "
             f"{len(status['running'])} running, {status['waiting']} waiting; {status['retries']} retries"]
    lines.extend(f"  running {name:<24} on {where}" for name, where in status["running"].items())
    lines.append(f"workers answering: {', '.join(workers) or 'none'}")
    return lines
