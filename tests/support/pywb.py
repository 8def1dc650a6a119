"""pywb for tests: a collection built with ``wb-manager``, ``wayback`` serving it on 127.0.0.1, and what
an archive's report pages must replay as."""

from __future__ import annotations

import gzip
import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType
from typing import Any

BIN = Path(sys.prefix) / "pywb" / "bin"  # its own venv (Makefile): pywb pins a redis client Celery cannot use
START_TIMEOUT = 60.0


def build_collection(root: Path, name: str, files: Iterable[Path]) -> None:
    """``wb-manager init NAME`` and ``wb-manager add NAME FILES…`` in ``root`` (pywb copies and indexes them;
    a WACZ is unpacked: its WARCs and its own index are added)."""
    root.mkdir(parents=True, exist_ok=True)
    paths = [str(path) for path in files]
    unpack = ["--unpack-wacz"] if any(path.endswith(".wacz") for path in paths) else []
    for args in (["init", name], ["add", *unpack, name, *paths]):
        subprocess.run([str(BIN / "wb-manager"), *args], cwd=root, check=True, capture_output=True, timeout=120)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Wayback:
    """``wayback`` over the collections in ``root``, on a free port of 127.0.0.1; stopped on exit."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Wayback:
        self._process = subprocess.Popen([str(BIN / "wayback"), "-b", "127.0.0.1", "-p", str(self.port)],
                                         cwd=self.root, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + START_TIMEOUT
        while True:  # poll until it answers (bounded by the deadline and by the process's exit)
            try:
                urllib.request.urlopen(self.url + "/", timeout=5).close()
                return self
            except (urllib.error.URLError, ConnectionError):
                if self._process.poll() is not None or time.monotonic() > deadline:
                    self.__exit__(None, None, None)
                    raise RuntimeError("wayback did not start") from None
                time.sleep(0.2)

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(timeout=10)
            self._process.stderr.close()  # type: ignore[union-attr]

    def cdx(self, collection: str, url: str) -> list[dict[str, Any]]:
        """The index lines of ``url`` (a prefix query when it ends in ``*``)."""
        query = urllib.parse.urlencode({"url": url, "output": "json"})
        with urllib.request.urlopen(f"{self.url}/{collection}/cdx?{query}", timeout=30) as answer:
            return [json.loads(line) for line in answer.read().decode("utf-8").splitlines() if line.strip()]

    def replay(self, collection: str, timestamp: str, url: str) -> tuple[int, dict[str, str], bytes]:
        """The capture of ``url`` nearest ``timestamp`` in ``id_`` mode: status, headers, body as archived."""
        request = urllib.request.Request(f"{self.url}/{collection}/{timestamp}id_/{url}")
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                return answer.status, dict(answer.headers), answer.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()


def report_pages(archive: Path) -> dict[str, str]:
    """URL → SHA-256 of the body as served (content-decoded) of every report page and attachment."""
    pages = {}
    for path in archive.glob("reports/*/*.json"):
        source = json.loads(path.read_text(encoding="utf-8"))["source"]
        pages[source["final_url"]] = source["raw_sha256"]
        if source["page_url"]:
            pages[source["page_url"]] = source["page_raw_key"].rsplit("/", 1)[-1]
    return pages


def decoded(headers: dict[str, str], body: bytes) -> bytes:
    return gzip.decompress(body) if headers.get("Content-Encoding") == "gzip" else body
