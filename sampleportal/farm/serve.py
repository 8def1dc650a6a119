"""Serve PortalApps on 127.0.0.1: ``FarmServer(apps)`` routes each request to the app named by its host.

The server is also the crawler's (and the browser's) HTTP proxy: a request in absolute form
(``GET http://www.x.gov.test/a.html``) is routed by the URL's host, any other by its Host header.
Unknown hosts get 404. Every request is logged in ``requests`` (as the ``Request`` the app saw), so
tests can prove which hosts and paths a crawl asked for.
"""

from __future__ import annotations

from collections.abc import Iterable
from http.server import BaseHTTPRequestHandler
from typing import ClassVar
from urllib.parse import urlsplit

from sampleportal.farm.app import PortalApp, Reply, Request
from sampleportal.server import LocalServer

_UNKNOWN_HOST = Reply(404, b"unknown host", (("Content-Type", "text/plain"),))


class _Handler(BaseHTTPRequestHandler):
    apps: ClassVar[dict[str, PortalApp]] = {}
    requests: ClassVar[list[Request]] = []

    def do_GET(self) -> None:
        self._serve()

    def do_HEAD(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def _serve(self) -> None:
        target = urlsplit(self.path)
        host = (target.hostname or self.headers.get("Host", "").rsplit(":", 1)[0]).lower()
        length = int(self.headers.get("Content-Length") or 0)
        request = Request(
            method=self.command, host=host, path=target.path or "/", query=target.query,
            headers={name.lower(): value for name, value in self.headers.items()},
            body=self.rfile.read(length) if length else b"",
        )
        self.requests.append(request)
        app = self.apps.get(host)
        reply = app.handle(request) if app else _UNKNOWN_HOST
        self.send_response(reply.status)
        for name, value in reply.headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(reply.body)

    def log_message(self, format: str, *args: object) -> None:  # quiet: tests read stdout
        pass


class FarmServer(LocalServer):
    """Running PortalApps; use as a context manager. ``url`` is the proxy address to give the crawler."""

    def __init__(self, apps: Iterable[PortalApp], port: int = 0) -> None:
        handler = type("FarmHandler", (_Handler,), {"apps": {app.host: app for app in apps}, "requests": []})
        self.requests: list[Request] = handler.requests
        super().__init__(handler, port)
