"""The distributed commands of ``nianbao``: ``worker``, ``run status``, and ``--distributed`` on ``crawl``
and ``backfill`` (crawler/run/cli.py adds them with ``add_commands`` and ``add_options``)."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

EXIT_OK, EXIT_ERRORS = 0, 1


def add_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--distributed", action="store_true",
                        help="one job per host group on the workers of --broker (docs/OPERATIONS.md)")
    parser.add_argument("--job-portals", type=_at_least_one, default=1, metavar="N",
                        help="with --distributed: pack host groups into jobs of at least N portals (default 1: a "
                             "job per host group); each job costs a process start, which small portals feel")
    _broker_option(parser)


def _at_least_one(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return int(text)


def _broker_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--broker", default=os.environ.get("NIANBAO_BROKER_URL"), metavar="URL",
                        help="Redis broker, e.g. redis://host:6379/0 (default $NIANBAO_BROKER_URL, "
                             "else redis://127.0.0.1:6379/0)")


def add_commands(commands: Any, command: Any) -> None:
    """``worker`` and ``run status`` on the parser's ``commands``; ``command(group, name, text)`` makes one."""
    worker = command(commands, "worker", "run portal jobs of distributed crawls (a Celery worker)")
    _broker_option(worker)
    worker.add_argument("--concurrency", type=int, default=1, help="jobs at once (default 1)")
    worker.add_argument("--name", help="worker name, e.g. w1@%%h (default celery@HOSTNAME)")
    worker.add_argument("--state-dir", default=".nianbao", help="a backfill's job directories (default ./.nianbao)")
    worker.set_defaults(run=cmd_worker)
    run = command(commands, "run", "distributed runs").add_subparsers(dest="run_command", required=True,
                                                                        metavar="ACTION")
    status = command(run, "status", "a distributed run's jobs: done, running (where), waiting")
    _broker_option(status)
    status.add_argument("--crawl-id", help="the run (default the latest)")
    status.set_defaults(run=cmd_run_status)


def cmd_worker(args: argparse.Namespace) -> int:
    if args.broker:  # before the application is made: it reads it
        os.environ["NIANBAO_BROKER_URL"] = args.broker
    from crawler.distributed.app import STATE_DIR_ENV, app

    os.environ[STATE_DIR_ENV] = os.path.abspath(args.state_dir)
    argv = ["worker", f"--concurrency={args.concurrency}", f"--loglevel={args.log_level}", "--without-gossip",
            "--without-mingle", "--pool=prefork"]
    app.worker_main([*argv, *(["--hostname", args.name] if args.name else [])])
    return EXIT_OK


def cmd_run_status(args: argparse.Namespace) -> int:
    import redis

    from crawler.distributed.app import answering_workers, broker_url, client, shown_url
    from crawler.distributed.status import latest_run, run_status, status_lines

    url = args.broker or broker_url()
    broker = client(url)
    try:
        crawl_id = args.crawl_id or latest_run(broker)
        if crawl_id is None:
            print(f"no distributed run in the broker at {shown_url(url)}")
            return EXIT_OK
        status = run_status(broker, crawl_id)
        workers = answering_workers(url)
    except (redis.RedisError, OSError) as exc:
        print(f"error: cannot reach the broker at {shown_url(url)}: {exc}", file=sys.stderr)
        return EXIT_ERRORS
    print("\n".join(status_lines(status, workers)))
    return EXIT_OK


def run_distributed_command(args: argparse.Namespace, settings: dict[str, Any], portals: list,
                            years: tuple[int, int] | None) -> dict[str, Any] | None:
    """``crawl``/``backfill --distributed``: the run report, or None (message printed) when the broker failed."""
    from crawler.distributed.coordinator import BrokerUnavailable, run_distributed

    try:
        return run_distributed(portals, args.archive, log_level=args.log_level, extra_settings=settings,
                               years=years, broker=args.broker, job_portals=args.job_portals)
    except BrokerUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return None
