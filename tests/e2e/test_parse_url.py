"""``nianbao parse URL`` against a hostile server of the test's own on 127.0.0.1 (issue "nothing lost",
item 8): an endless body stops at the size limit, a dripping one at the deadline, a redirect to another
host is refused unless asked for; a redirect within the site is followed."""

from __future__ import annotations

import contextlib
import json
import time
from http.server import BaseHTTPRequestHandler

import pytest

from sampleportal.background import BackgroundServer
from tests.support.cli import run_cli
from tests.support.hostile import farm_reports


class Hostile(BaseHTTPRequestHandler):
    report: bytes = b""

    def do_GET(self) -> None:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up, as it should
            self._answer()

    def _answer(self) -> None:
        port = self.server.server_address[1]
        if self.path == "/endless":  # no Content-Length, never ends
            self._head(200)
            while True:
                self.wfile.write(b"<p>" + "年度报告".encode() * 4096 + b"</p>")
        elif self.path == "/drip":  # a byte at a time, slower than any deadline
            self._head(200)
            for _ in range(600):
                self.wfile.write(b"<")
                self.wfile.flush()
                time.sleep(0.1)
        elif self.path == "/away":  # same server, another host name
            self._head(302, ("Location", f"http://localhost:{port}/report.html"))
        elif self.path == "/moved":
            self._head(301, ("Location", "/report.html"))
        elif self.path == "/report.html":
            self._head(200, ("Content-Length", str(len(self.report))))
            self.wfile.write(self.report)
        else:
            self._head(404)

    def _head(self, status: int, *headers: tuple[str, str]) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server():
    ((item, page),) = farm_reports(1)
    handler = type("Handler", (Hostile,), {"report": page.body})
    with BackgroundServer(handler) as background:
        yield item, background.url


def test_an_endless_body_stops_at_the_size_limit(server):
    _, base = server
    result = run_cli("parse", base + "endless", "--max-bytes", "1000000")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == f"error: cannot fetch {base}endless: more than 1000000 bytes, over the limit\n"


def test_a_dripping_body_stops_at_the_deadline(server):
    _, base = server
    result = run_cli("parse", base + "drip", "--timeout", "2")
    assert result.returncode == 2 and result.stderr == f"error: cannot fetch {base}drip: took longer than 2s\n"


def test_a_redirect_to_another_host_is_refused_unless_asked(server):
    item, base = server
    refused = run_cli("parse", base + "away")
    assert refused.returncode == 2 and "redirected to another site, http://localhost:" in refused.stderr
    followed = run_cli("parse", base + "away", "--follow-offsite")
    assert followed.returncode == 0, followed.stderr
    assert json.loads(followed.stdout)["title"] == item["title"]


def test_a_redirect_within_the_site_is_followed(server):
    item, base = server
    result = run_cli("parse", base + "moved")
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["title"] == item["title"] and record["source"]["final_url"] == base + "report.html"
