"""The processes ExtractPipeline parses in: worker processes, so parsing uses every core.

Parsing (trafilatura, lxml, table reading) is CPU-bound Python: in threads the GIL holds it to one
core, which made parsing the bottleneck of a crawl (docs/BENCHMARKS.md, bench_crawl). Workers start from
a forkserver (forking the threaded Twisted process itself is unsafe) once per crawl process, shared by
every portal's crawler, and exit with it.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import Executor, ProcessPoolExecutor

_POOLS: dict[int, ProcessPoolExecutor] = {}


def extract_workers(setting: int) -> int:
    """``NIANBAO_EXTRACT_PROCESSES``: 0 means one per CPU; a negative number, none (parse in a thread)."""
    return (os.cpu_count() or 1) if setting == 0 else max(setting, 0)


def extract_executor(workers: int) -> Executor | None:
    """The shared pool of ``workers`` processes, or None to parse in a thread."""
    if workers <= 0:
        return None
    if workers not in _POOLS:
        _POOLS[workers] = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("forkserver"))
    return _POOLS[workers]
