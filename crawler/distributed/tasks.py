"""The worker's side of a portal job: hold the host group's lock, run the job, publish its result.

The lock (a redis-py ``Lock`` with a lease of ``NIANBAO_JOB_LEASE`` seconds, extended while the job runs)
keeps a redelivered job from running beside a stuck one: a worker that finds it held tries again later. A
worker that loses it (stopped past its lease, another worker took the job over) stops its crawl, which
saves what it has by compare-and-swap: merged, never written over the newer state.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
from dataclasses import replace
from typing import Any

import redis
from celery import Task
from redis.exceptions import LockError

from crawler.archive.layout import job_report_key
from crawler.distributed.app import STATE_DIR_ENV, app, client, job_lease
from crawler.distributed.job import JobOutcome, PortalJob, run_job
from crawler.distributed.runkeys import KEEP_SECONDS, RunKeys


def _keep_lease(lock: Any, broker: redis.Redis, keys: RunKeys, job: str) -> bool:
    """Renew the lease; False once another worker holds the lock or has finished the job. A lease that
    lapsed with nobody taking the job over is taken again. A broker that does not answer is no reason to
    stop a crawl: the archive does not need it."""
    try:
        lock.reacquire()
        return True
    except LockError:
        return not broker.sismember(keys.done, job) and bool(lock.acquire(blocking=False))
    except redis.RedisError:
        return True


@app.task(name="nianbao.portal_job", bind=True)
def portal_job(self: Task, spec: dict[str, Any], job_name: str) -> None:
    job = PortalJob.from_dict(spec)
    keys = RunKeys(job.crawl_id)
    broker = client(self.app.conf.broker_url)
    lease = job_lease()
    lock = broker.lock(keys.lock(job_name), timeout=lease)
    if broker.sismember(keys.done, job_name):
        return  # a second delivery of a finished job
    if not lock.acquire(blocking=False):
        raise self.retry(countdown=max(1.0, lease / 2), max_retries=None)  # running, or stuck, elsewhere
    try:
        if broker.sismember(keys.done, job_name):
            return
        attempt = broker.hincrby(keys.attempts, job_name, 1)
        worker = self.request.hostname or socket.gethostname()
        broker.hset(keys.running, job_name, f"{worker} {os.getpid()}")
        warc_host = f"{socket.gethostname()}-{job_name}-{attempt}"  # WARC file names of this attempt alone
        job = replace(job, report_key=job_report_key(job.crawl_id, job_name, attempt),
                      state_dir=os.environ.get(STATE_DIR_ENV, job.state_dir),
                      settings={**job.settings, "NIANBAO_WARC_HOST": warc_host})
        try:
            outcome = run_job(job, keep_going=lambda: _keep_lease(lock, broker, keys, job_name),
                              check_every=max(0.5, lease / 3), stderr=None)
        except (OSError, ValueError) as exc:  # no child could be started: a result all the same, or the run waits
            outcome = JobOutcome(-1, 0.0, [], f"cannot start the crawl process: {exc}")
        if outcome.stopped:
            return  # the lease was lost: the worker that holds the lock now finishes the job
        result = {"job": job_name, "worker": worker, "attempt": attempt, "seconds": round(outcome.seconds, 3),
                  "exit_code": outcome.exit_code, "error": outcome.error, "reports": outcome.reports,
                  "index_write_conflicts": outcome.index_write_conflicts}
        with broker.pipeline() as pipe:
            pipe.rpush(keys.results, json.dumps(result, ensure_ascii=False))
            pipe.sadd(keys.done, job_name)
            pipe.hdel(keys.running, job_name)
            for key in (keys.results, keys.done, keys.attempts, keys.running):
                pipe.expire(key, KEEP_SECONDS)
            pipe.execute()
    finally:
        with contextlib.suppress(LockError, redis.RedisError):  # expired or taken over: nothing of ours left
            lock.release()
