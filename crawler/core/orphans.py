"""Child processes that end with the crawl, whatever ends it (a SIGKILL leaves no time to clean up).

Parse workers, the forkserver they come from, reader children and their converters used to keep
running under PID 1 after the crawl was killed. Each asks the kernel for a parent-death signal
(Linux ``prctl(PR_SET_PDEATHSIG)``, delivered when the thread that started it ends) and, where the
parent is not the crawl itself (parse workers are the forkserver's children), also watches the crawl's
process and exits when it is gone.
"""

from __future__ import annotations

import ctypes
import os
import signal
import threading
import time
from pathlib import Path

_PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """SIGKILL this process when its parent ends; exit at once if it already has (reparented to init)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the watchdog below is all there is
        return
    if os.getppid() == 1:
        os._exit(1)


def ended(pid: int) -> bool:
    """Whether process ``pid`` is gone (or a zombie nobody reaped yet)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return True


def exit_with(pid: int, interval: float = 0.5) -> None:
    """Exit this process (a daemon thread polls) once process ``pid`` has ended."""
    def watch() -> None:
        while not ended(pid):
            time.sleep(interval)
        os._exit(1)

    threading.Thread(target=watch, name=f"exit-with-{pid}", daemon=True).start()


def parse_worker_start(crawl_pid: int) -> None:
    """A parse worker's initializer: end with the forkserver (its parent) and with the crawl."""
    die_with_parent()
    exit_with(crawl_pid)
