"""The processes ExtractPipeline parses in: worker processes, so parsing uses every core.

Parsing (trafilatura, lxml, table reading) is CPU-bound Python: in threads the GIL holds it to one
core, which made parsing the bottleneck of a crawl (docs/BENCHMARKS.md, bench_crawl). Workers start from
a forkserver (forking the threaded Twisted process itself is unsafe) once per run (``RunSession.extract_pool``),
shared by every portal's crawler, and end with the run (or with the process, however it ends).

A worker that dies (killed, out of memory) breaks a ``ProcessPoolExecutor`` for good: every document in
it and every later one failed with ``BrokenProcessPool``. ``ExtractPool`` replaces the broken executor
and raises ``WorkerDied`` for the documents it held; the caller retries each once with ``run_alone``,
in a process of its own, so a document that kills its worker cannot take others down with it.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from crawler.core.orphans import parse_worker_start

T = TypeVar("T")


class WorkerDied(Exception):
    """The process parsing the document ended before it answered."""


def extract_workers(setting: int) -> int:
    """``NIANBAO_EXTRACT_PROCESSES``: 0 means one per CPU; a negative number, none (parse in a thread)."""
    return (os.cpu_count() or 1) if setting == 0 else max(setting, 0)


def _processes(workers: int) -> ProcessPoolExecutor:
    """Workers that end with this process, even when it is killed (crawler/core/orphans.py)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["crawler.run.forkserverpreload"])
    return ProcessPoolExecutor(workers, mp_context=context, initializer=parse_worker_start, initargs=(os.getpid(),))


class ExtractPool:
    """``workers`` parse processes (none: a thread of the caller's loop), replaced when one dies."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._executor: Executor | None = _processes(workers) if workers > 0 else None
        self._lock = threading.Lock()

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        executor = self._executor
        try:
            return await asyncio.get_running_loop().run_in_executor(executor, fn, *args)
        except BrokenProcessPool:
            self._replace(executor)
            raise WorkerDied from None

    async def run_alone(self, fn: Callable[..., T], *args: Any) -> T:
        """``fn(*args)`` in a new process of its own (in a thread when the pool has no processes)."""
        if self.workers <= 0:
            return await self.run(fn, *args)
        alone = _processes(1)
        try:
            return await asyncio.get_running_loop().run_in_executor(alone, fn, *args)
        except BrokenProcessPool:
            raise WorkerDied from None
        finally:
            alone.shutdown(wait=False)

    def shutdown(self) -> None:
        """End the worker processes (the run is over: nothing is waiting for them)."""
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None

    def _replace(self, broken: Executor | None) -> None:
        """A new executor for the broken one (once, however many of its documents report it)."""
        with self._lock:
            if self._executor is broken and broken is not None:
                self._executor = _processes(self.workers)
                broken.shutdown(wait=False, cancel_futures=True)

