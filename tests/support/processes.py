"""Process trees of the tests' crawls, read from /proc: who a crawl's children are, and how big."""

from __future__ import annotations

import time
from pathlib import Path


def parents() -> dict[int, int]:
    """pid → parent pid of every process now."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # ended meanwhile
            continue
        found[int(stat.parent.name)] = int(fields[1])
    return found


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (children, their children …)."""
    tree, found, frontier = parents(), [], [pid]
    while frontier:
        parent = frontier.pop()
        children = [child for child, ppid in tree.items() if ppid == parent]
        found.extend(children)
        frontier.extend(children)
    return found


def resident_bytes(pid: int) -> int:
    """``pid``'s resident memory; 0 when it has ended."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    line = next((line for line in status.splitlines() if line.startswith("VmRSS:")), "VmRSS: 0 kB")
    return int(line.split()[1]) * 1024


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def until(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def marked(name: str, value: str) -> list[int]:
    """The live processes whose environment holds ``name=value``: what a command started inherits it."""
    wanted, found = f"{name}={value}".encode(), []
    for environ in Path("/proc").glob("[0-9]*/environ"):
        try:
            if wanted in environ.read_bytes().split(b"\0") and alive(int(environ.parent.name)):
                found.append(int(environ.parent.name))
        except OSError:  # ended meanwhile, or not ours to read
            continue
    return found
