"""A memory and time bound on parsing done in the calling process (HTML and text; binary readers run in
children with their own bounds, ``readers.pool``).

A 20 MB page made a parse worker grow past 2 GB, and nothing bounded its time. Inside ``bounded`` the
process's address space is capped at its size on entry plus ``Limits.max_parse_memory_bytes`` (a soft
``RLIMIT_AS``, so child processes may set their own) and a ``SIGALRM`` interrupts it after
``Limits.timeout_s``; either turns into ``UnreadableDocument`` with the reason. Both need the main thread
(a parse worker process, the CLI); elsewhere (parsing in a thread of the crawler,
``NIANBAO_EXTRACT_PROCESSES=-1``) the block runs unbounded.
"""

from __future__ import annotations

import resource
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from crawler.core.readers.common import Limits, UnreadableDocument


class _OutOfTime(Exception):
    pass


def _alarm(signum: int, frame: FrameType | None) -> None:
    raise _OutOfTime


def _address_space() -> int:
    """This process's virtual size now (Linux /proc)."""
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[0]) * resource.getpagesize()


@contextmanager
def bounded(limits: Limits, what: str) -> Iterator[None]:
    """Run the block within the memory and time limits; ``what`` names the work in the reason."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = _address_space() + limits.max_parse_memory_bytes
    cap = cap if hard == resource.RLIM_INFINITY else min(cap, hard)
    previous = signal.signal(signal.SIGALRM, _alarm)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    signal.setitimer(signal.ITIMER_REAL, limits.timeout_s)
    try:
        yield
    except MemoryError:
        raise UnreadableDocument(f"{what} parsing needed more than {limits.max_parse_memory_bytes} bytes") from None
    except _OutOfTime:
        raise UnreadableDocument(f"{what} parsing timed out after {limits.timeout_s:g}s") from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
