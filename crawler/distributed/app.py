"""The Celery application of the distributed crawl: a Redis broker, one portal job at a time per worker
process, a job acknowledged only once done and given back when its worker dies.

Configured by ``NIANBAO_BROKER_URL`` (default ``redis://127.0.0.1:6379/0``), ``NIANBAO_JOB_LEASE`` (seconds
a job's host-group lock lives unless its worker extends it; default 120), ``NIANBAO_VISIBILITY_TIMEOUT``
(seconds after which the broker gives an unacknowledged job to another worker; default 21600, longer than
the longest job) and any Celery setting in the module ``CELERY_CONFIG_MODULE`` names.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit, urlunsplit

import redis
from celery import Celery

DEFAULT_BROKER = "redis://127.0.0.1:6379/0"
TASK = "nianbao.portal_job"
STATE_DIR_ENV = "NIANBAO_WORKER_STATE_DIR"  # a backfill's job directories on this worker (nianbao worker --state-dir)


def broker_url() -> str:
    return os.environ.get("NIANBAO_BROKER_URL") or DEFAULT_BROKER


def shown_url(url: str) -> str:
    """The broker URL without its password, for messages and reports."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    return urlunsplit(parts._replace(netloc=f"{parts.username or ''}:***@{parts.hostname}:{parts.port or 6379}"))


def job_lease() -> float:
    return float(os.environ.get("NIANBAO_JOB_LEASE") or 120)


def visibility_timeout() -> float:
    return float(os.environ.get("NIANBAO_VISIBILITY_TIMEOUT") or 6 * 3600)


def make_app(url: str | None = None) -> Celery:
    app = Celery("nianbao", broker=url or broker_url(), include=["crawler.distributed.tasks"])
    visibility = visibility_timeout()
    app.conf.update(
        task_acks_late=True,  # acknowledged when done: a job whose worker dies is not lost
        task_reject_on_worker_lost=True,  # a worker process killed mid-job gives its job back at once
        worker_prefetch_multiplier=1,  # a worker holds only the job it runs
        task_ignore_result=True,  # results go to the run's own list (crawler/distributed/runkeys.py)
        task_serializer="json", accept_content=["json"],
        broker_connection_retry_on_startup=True,
        broker_transport_options={
            "visibility_timeout": visibility,
            # How often a worker looks for jobs whose visibility timeout passed (Kombu's default: 100 s).
            "unacked_restore_interval": max(1.0, min(10.0, visibility / 4)), "unacked_restore_throttle": 1,
        },
        worker_hijack_root_logger=False,
    )
    app.config_from_envvar("CELERY_CONFIG_MODULE", silent=True)
    return app


def answering_workers(url: str | None = None, timeout: float = 1.0) -> list[str]:
    """The names of the workers that answer a ping within ``timeout`` seconds."""
    return sorted(name for reply in make_app(url).control.ping(timeout=timeout) for name in reply)


def client(url: str | None = None) -> redis.Redis:
    """A client of the broker's server, for the run's own keys (locks, attempts, results)."""
    return redis.Redis.from_url(url or broker_url(), socket_connect_timeout=5, socket_timeout=30,
                                decode_responses=True)


app = make_app()
