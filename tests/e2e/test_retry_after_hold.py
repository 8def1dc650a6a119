"""Retry-After holds the whole portal: after a 503 asking to wait, no request reaches that host until the
wait (capped by NIANBAO_RETRY_AFTER_MAX) is over; then the retry and the rest of the crawl go on
(crawler/extensions/retryafter.py, PoliteDownloader.hold in crawler/engine/downloader.py)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.support.cli import run_cli

ARTICLES = 20
CAP = 2.0  # NIANBAO_RETRY_AFTER_MAX: the portal asks for an hour, the crawl waits this long


class Portal(BaseHTTPRequestHandler):
    arrivals: list[tuple[float, str]]
    throttled: list[tuple[float, str]]  # the first article asked answers 503 once

    def do_GET(self) -> None:
        arrived = time.monotonic()
        self.arrivals.append((arrived, self.path))
        if self.path.startswith("/a/") and not self.throttled:
            self.throttled.append((arrived, self.path))
            self.reply(503, "请稍后再试", ("Retry-After", "3600"))
        elif self.path == "/":
            links = "".join(f'<li><a href="/a/{n}.html">{2000 + n}年政府信息公开工作年度报告</a></li>'
                            for n in range(ARTICLES))
            self.reply(200, f"<html><body><ul>{links}</ul></body></html>")
        elif self.path.startswith("/a/"):
            time.sleep(0.02)  # a portal that takes a moment: requests queue up behind the throttled one
            self.reply(200, f"<html><head><title>{self.path}</title></head><body><p>{self.path}</p></body></html>")
        else:
            self.reply(404, "not found")

    def reply(self, status: int, text: str, *headers: tuple[str, str]) -> None:
        body = text.encode("utf-8")
        self.send_response(status)
        for name, value in (("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body))), *headers):
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def portal() -> Iterator[tuple[ThreadingHTTPServer, type[Portal]]]:
    handler = type("RecordingPortal", (Portal,), {"arrivals": [], "throttled": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server, handler
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def test_no_request_reaches_the_portal_while_its_retry_after_runs(tmp_path, portal):
    server, handler = portal
    home = f"http://127.0.0.1:{server.server_address[1]}/"
    result = run_cli("crawl", home, "--portal", "hold", "--archive", str(tmp_path / "archive"),
                     "--set", f"NIANBAO_RETRY_AFTER_MAX={CAP}", "--set", "AUTOTHROTTLE_ENABLED=False")
    assert result.returncode == 0, result.stderr
    ((throttled, article),) = handler.throttled
    during = [path for at, path in handler.arrivals if throttled < at < throttled + CAP]
    retry = [at for at, path in handler.arrivals if path == article][1]
    # At most the one request already in flight (2 per portal) when the 503 came; none started after it.
    assert len(during) <= 1, during
    assert retry >= throttled + CAP
    asked = {path for _, path in handler.arrivals}
    assert {f"/a/{n}.html" for n in range(ARTICLES)} <= asked  # the crawl went on after the wait
    run = json.loads(next((tmp_path / "archive").glob("runs/*.json")).read_text(encoding="utf-8"))
    stats = run["portals"][0]["stats"]
    assert stats["nianbao/retry_after_waits"] == 1 and stats["nianbao/retry_after_seconds"] == CAP
    assert stats["retry/count"] == 1
