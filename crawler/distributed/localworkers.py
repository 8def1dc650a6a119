"""``nianbao worker`` processes on this machine, for the distributed demo, tests and benchmarks.

Each worker runs in a session of its own, so it is stopped together with its pool and its jobs' crawls,
and dies with whatever started it (a parent-death signal). Ready means answering the broker's ping;
stopping asks for Celery's warm shutdown first when given time, then kills what is left of the session.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path

from crawler.core.orphans import die_with_parent
from crawler.distributed.app import make_app


@contextmanager
def local_workers(broker: str, names: Sequence[str], root: Path, *, log_level: str = "INFO",
                  env: Mapping[str, str] = {}, grace: float = 0.0) -> Iterator[list[subprocess.Popen[bytes]]]:
    """One worker per name (``w1@demo``), logging to ``root``/<n>.log with backfill state in ``root``/state<n>;
    all stopped on exit (``grace`` seconds of warm shutdown each, then killed)."""
    started: list[subprocess.Popen[bytes]] = []
    root.mkdir(parents=True, exist_ok=True)
    try:
        for n, name in enumerate(names, 1):
            with (root / f"worker{n}.log").open("wb") as log:
                started.append(subprocess.Popen(
                    [sys.executable, "-m", "crawler.run.cli", "worker", "--broker", broker, "--name", name,
                     "--state-dir", str(root / f"state{n}"), "--log-level", log_level],
                    stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                    preexec_fn=die_with_parent, env={**os.environ, **env}))
        yield started
    finally:
        for process in started:
            stop_worker(process, grace)


def signal_group(process: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    """Send ``sig`` to the worker's whole session (the worker, its pool, its jobs' crawls)."""
    with suppress(ProcessLookupError):
        os.killpg(process.pid, sig)


def stop_worker(process: subprocess.Popen[bytes], grace: float = 0.0) -> None:
    """Stop a worker: resumed if stopped, warm shutdown for up to ``grace`` seconds, then its session killed."""
    signal_group(process, signal.SIGCONT)
    if grace > 0 and process.poll() is None:
        process.terminate()  # Celery's warm shutdown: the running job finishes, nothing new is taken
        with suppress(subprocess.TimeoutExpired):
            process.wait(timeout=grace)
    signal_group(process, signal.SIGKILL)  # whatever is left in the session, the worker included
    process.wait(timeout=30)


def wait_ready(broker: str, names: Sequence[str], started: Sequence[subprocess.Popen[bytes]],
               timeout: float = 60.0) -> None:
    """Return once every worker of ``names`` answers the broker's ping; RuntimeError when one exits first
    or ``timeout`` passes."""
    control = make_app(broker).control
    waiting, deadline = set(names), time.monotonic() + timeout
    while waiting:
        if exited := [name for name, process in zip(names, started, strict=True) if process.poll() is not None]:
            raise RuntimeError(f"worker {', '.join(exited)} exited while starting")
        if time.monotonic() > deadline:
            raise RuntimeError(f"worker {', '.join(sorted(waiting))} not answering after {timeout:g}s")
        waiting -= {name for reply in control.ping(destination=sorted(waiting), timeout=0.5) for name in reply}
