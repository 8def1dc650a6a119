"""Warm reader processes: PDF/Office documents are read in long-lived children, not one per document.

Starting an interpreter and importing the PDF and Office libraries costs far more than reading a typical report, so
each child (``python -m crawler.core.readers.worker MEMORY_CAP``) serves requests over its pipes until
it is recycled. The guarantees of a fresh child stay: each child has the address-space cap, a read
that passes its deadline kills the child, a child that dies is replaced, and a child is retired after
``RECYCLE_AFTER`` documents so one hostile file cannot leave a bloated heap behind for long.
"""

from __future__ import annotations

import json
import os
import selectors
import struct
import subprocess
import sys
import threading
import time
from dataclasses import asdict

from crawler.core.readers.common import Limits, UnreadableDocument

RECYCLE_AFTER = 50
MAX_IDLE = 4
_LENGTH = struct.Struct(">Q")
OK, UNREADABLE = 0, 3


def send_frame(stream, payload: bytes) -> None:
    stream.write(_LENGTH.pack(len(payload)) + payload)


def read_frame(stream) -> bytes | None:
    """One length-prefixed frame from a blocking stream; None at end of stream."""
    head = stream.read(_LENGTH.size)
    if len(head) < _LENGTH.size:
        return None
    return stream.read(_LENGTH.unpack(head)[0])


class _Child:
    def __init__(self, memory_cap: int) -> None:
        command = [sys.executable, "-m", "crawler.core.readers.worker", str(memory_cap)]
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL)
        self.served = 0

    def ask(self, kind: str, body: bytes, limits: Limits) -> tuple[int, bytes]:
        """Send one request; wait for the reply until the deadline. Raises TimeoutError or EOFError."""
        assert self.process.stdin is not None and self.process.stdout is not None
        request = json.dumps({"kind": kind, "limits": asdict(limits)}).encode()
        try:
            send_frame(self.process.stdin, request)
            send_frame(self.process.stdin, body)
            self.process.stdin.flush()
        except BrokenPipeError as exc:
            raise EOFError("reader process gone") from exc
        self.served += 1
        reply = _read_exactly(self.process.stdout.fileno(), 1 + _LENGTH.size, time.monotonic() + limits.timeout_s)
        status, length = reply[0], _LENGTH.unpack(reply[1:])[0]
        return status, _read_exactly(self.process.stdout.fileno(), length, time.monotonic() + limits.timeout_s)

    def kill(self) -> None:
        self.process.kill()
        self.process.wait()


def _read_exactly(fd: int, size: int, deadline: float) -> bytes:
    chunks, missing = [], size
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        while missing:
            if not selector.select(max(0.0, deadline - time.monotonic())):
                raise TimeoutError
            chunk = os.read(fd, min(missing, 1 << 20))
            if not chunk:
                raise EOFError("reader process ended")
            chunks.append(chunk)
            missing -= len(chunk)
    return b"".join(chunks)


class ReaderPool:
    """Thread-safe: each read takes an idle child (or starts one) and gives it back when done."""

    def __init__(self) -> None:
        self._idle: dict[int, list[_Child]] = {}
        self._lock = threading.Lock()

    def read(self, kind: str, body: bytes, limits: Limits) -> dict:
        child = self._take(limits.max_memory_bytes)
        try:
            status, payload = child.ask(kind, body, limits)
        except TimeoutError:
            child.kill()
            raise UnreadableDocument(f"{kind} reader timed out after {limits.timeout_s:g}s") from None
        except EOFError:
            child.kill()
            code = child.process.returncode
            raise UnreadableDocument(f"{kind} reader died (exit {code})") from None
        self._give_back(limits.max_memory_bytes, child)
        if status != OK:
            raise UnreadableDocument(payload.decode("utf-8", errors="replace"))
        return json.loads(payload)

    def _take(self, memory_cap: int) -> _Child:
        with self._lock:
            idle = self._idle.get(memory_cap, [])
            while idle:
                child = idle.pop()
                if child.process.poll() is None:
                    return child
        return _Child(memory_cap)

    def _give_back(self, memory_cap: int, child: _Child) -> None:
        with self._lock:
            idle = self._idle.setdefault(memory_cap, [])
            if child.served < RECYCLE_AFTER and len(idle) < MAX_IDLE:
                idle.append(child)
                return
        child.process.stdin.close()  # type: ignore[union-attr]  # the child exits at end of input
        child.process.wait()

    def close(self) -> None:
        with self._lock:
            children = [c for idle in self._idle.values() for c in idle]
            self._idle.clear()
        for child in children:
            child.kill()


POOL = ReaderPool()
