"""The farm's HTTP server on 127.0.0.1: routes by Host to any list of ``PortalApp``s, and is their proxy.

A crawler pointed at the server as its HTTP proxy fetches ``http://www.xxx.gov.test/...`` and gets
the portal of that host, so archived URLs stay the same whatever port was free. Every request is logged
as (host, path?query) in ``requests``, and whole (headers included) in ``received`` — hosts no portal
answers for included (they get 404) — so tests can prove no off-registry host was asked; ``peak_in_flight``
holds the most requests each host was answering at once (a crawler's real concurrency). The server
adds what HTTP does for every portal alike: ``ETag`` (a hash of the body) and ``Last-Modified`` (when the
portal gives one) with 304 replies to ``If-None-Match`` / ``If-Modified-Since``, and the faults of a
``FaultPlan``.

``memo_bytes`` keeps up to that many bytes of generated replies (least recently used dropped first),
keyed by everything a portal's reply depends on: a benchmark warms it, so the farm's rendering (PDFs,
Office files), which a real portal does on its own machine, stops competing with the crawler for this
machine's cores.
"""

from __future__ import annotations

import hashlib
import socket
import ssl
import struct
import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler
from urllib.parse import urlsplit

from sampleportal.background import BackgroundServer
from sampleportal.farm.app import PortalApp, Reply, Request
from sampleportal.farm.faults import RESET, FaultPlan

_UNKNOWN_HOST = Reply(404, b"no portal at this host\n", (("Content-Type", "text/plain"),))


def conditional(request: Request, reply: Reply) -> Reply:
    """``reply`` with its ETag, or 304 when the client's validators still match."""
    if reply.status != 200:
        return reply
    etag = '"' + hashlib.sha256(reply.body).hexdigest()[:32] + '"'
    headers = (*reply.headers, ("ETag", etag))
    modified = dict((k.lower(), v) for k, v in reply.headers).get("last-modified")
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:
        fresh = etag in [tag.strip() for tag in if_none_match.split(",")] or if_none_match.strip() == "*"
    elif (since := request.headers.get("if-modified-since")) and modified:
        try:
            fresh = parsedate_to_datetime(modified) <= parsedate_to_datetime(since)
        except (TypeError, ValueError):
            fresh = False
    else:
        fresh = False
    return Reply(304, b"", headers) if fresh else Reply(reply.status, reply.body, headers)


class _Handler(BaseHTTPRequestHandler):
    server_version = "Farm/1.0"
    protocol_version = "HTTP/1.1"
    farm: FarmServer

    def do_GET(self) -> None:
        self._serve(include_body=True)

    def do_HEAD(self) -> None:
        self._serve(include_body=False)

    def do_POST(self) -> None:
        self._serve(include_body=True)

    def _serve(self, include_body: bool) -> None:
        target = urlsplit(self.path)  # absolute-form when the farm is the client's proxy
        host = (target.hostname or self.headers.get("Host", "").rsplit(":", 1)[0]).lower()
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        request = Request(self.command, host, target.path or "/", target.query, headers, body)
        farm = self.farm
        with farm.lock:
            farm.received.append(request)
            farm.in_flight[host] = farm.in_flight.get(host, 0) + 1
            farm.peak_in_flight[host] = max(farm.peak_in_flight.get(host, 0), farm.in_flight[host])
        try:
            self._answer(farm, request, include_body)
        finally:
            with farm.lock:
                farm.in_flight[host] -= 1

    def _answer(self, farm: FarmServer, request: Request, include_body: bool) -> None:
        host = request.host
        app = farm.apps.get(host)
        if app is None:
            self._send(_UNKNOWN_HOST, include_body)
            return
        faults = farm.faults.faults(host)
        if faults.delay:
            time.sleep(faults.delay)
        fault = farm.faults.fault(host, request.path + ("?" + request.query if request.query else ""))
        if fault == RESET:
            self._reset()
            return
        if isinstance(fault, int):
            headers = (("Retry-After", "1"),) if fault == 429 else ()
            self._send(Reply(fault, b"busy\n", (("Content-Type", "text/plain"), *headers)), include_body)
            return
        self._send(conditional(request, farm.reply(app, request)), include_body)

    def _send(self, reply: Reply, include_body: bool) -> None:
        self.send_response(reply.status)
        for name, value in reply.headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        if include_body and reply.status != 304:
            self.wfile.write(reply.body)

    def _reset(self) -> None:
        """Close with RST (SO_LINGER 0): the client sees 'connection reset by peer'."""
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        self.connection.close()

    def log_message(self, format: str, *args: object) -> None:  # quiet: tests read stdout
        pass


class FarmServer(BackgroundServer):
    """Serve ``apps`` on 127.0.0.1 (port 0: any free one); a context manager, or start()/stop()."""

    def __init__(self, apps: Sequence[PortalApp], faults: FaultPlan | None = None, port: int = 0,
                 memo_bytes: int = 0, tls: ssl.SSLContext | None = None) -> None:
        self.apps = {app.host: app for app in apps}
        if len(self.apps) != len(apps):
            raise ValueError("two portals share a host name")
        self.faults = faults or FaultPlan()
        self.received: list[Request] = []  # every request, whole, in arrival order
        self.in_flight: dict[str, int] = {}  # requests being answered now, per host
        self.peak_in_flight: dict[str, int] = {}  # the most answered at once, per host: a crawler's concurrency
        self.lock = threading.Lock()
        self.memo_bytes = memo_bytes
        self.memo: OrderedDict[tuple, Reply] = OrderedDict()
        self.memo_held = 0
        super().__init__(type("FarmHandler", (_Handler,), {"farm": self}), port, tls)

    @property
    def requests(self) -> list[tuple[str, str]]:
        """(host, path?query) of every request, in arrival order."""
        with self.lock:
            return [(r.host, r.path + (f"?{r.query}" if r.query else "")) for r in self.received]

    def reply(self, app: PortalApp, request: Request) -> Reply:
        """``app``'s reply to ``request``, from the memo when it holds it."""
        if not self.memo_bytes:
            return app.handle(request)
        # A reply depends on the request line, its body and (behind a challenge) the cookie; nothing else.
        key = (request.host, request.method, request.path, request.query, request.body,
               request.headers.get("cookie", ""))
        with self.lock:
            if (cached := self.memo.get(key)) is not None:
                self.memo.move_to_end(key)
                return cached
        reply = app.handle(request)
        with self.lock:
            if key not in self.memo and len(reply.body) <= self.memo_bytes:
                self.memo[key] = reply
                self.memo_held += len(reply.body)
                while self.memo_held > self.memo_bytes:
                    self.memo_held -= len(self.memo.popitem(last=False)[1].body)
        return reply
