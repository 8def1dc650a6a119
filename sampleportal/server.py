"""Serve the sample portal on 127.0.0.1; port 0 picks a free port, printed on the first line.

The server is also an HTTP proxy for the portal's own host name (``SAMPLE_HOST``): a crawler pointed at
it as its proxy fetches ``http://www.yangli.gov.test/...``, so archived URLs stay the same from run to
run whatever port was free. Requests for any other host get 404 and are logged in ``requests``, which
lets tests prove the crawler never asked for a host it should not visit.

Every page carries an ETag and a Last-Modified and is answered 304 to a matching If-None-Match or
If-Modified-Since. Options for tests: ``new_year`` publishes that year's reports on the column's first
page, ``delay`` slows every reply, ``throttle`` answers the first request of one path 429 with Retry-After.
"""

from __future__ import annotations

import argparse
import sys
import time
from http.server import BaseHTTPRequestHandler
from typing import ClassVar
from urllib.parse import urlsplit

from sampleportal.background import BackgroundServer
from sampleportal.conditional import etag, last_modified, not_modified
from sampleportal.site import NOT_FOUND, SAMPLE_HOST, Resource, build_site

_LOCAL_HOSTS = {SAMPLE_HOST, "127.0.0.1", "localhost"}


class _Handler(BaseHTTPRequestHandler):
    server_version = "TRS-WCM-Sample/1.0"
    site: ClassVar[dict[str, Resource]] = {}
    requests: ClassVar[list[tuple[str, str]]] = []  # (host, path) of every request, in arrival order
    delay: ClassVar[float] = 0.0  # seconds before each reply
    throttled: ClassVar[dict[str, int]] = {}  # path → Retry-After seconds of its first reply (429), then removed

    def do_GET(self) -> None:
        self._send(include_body=True)

    def do_HEAD(self) -> None:
        self._send(include_body=False)

    def _send(self, include_body: bool) -> None:
        target = urlsplit(self.path)  # absolute-form when we are used as a proxy
        host = (target.hostname or self.headers.get("Host", "").rsplit(":", 1)[0]).lower()
        self.requests.append((host, target.path))
        if self.delay:
            time.sleep(self.delay)
        if (retry_after := self.throttled.pop(target.path, None)) is not None:
            self.send_response(429)
            self.send_header("Retry-After", str(retry_after))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        resource = self.site.get(target.path, NOT_FOUND) if host in _LOCAL_HOSTS else NOT_FOUND
        body, encoding = resource.served(self.headers.get("Accept-Encoding", ""))
        tag = etag(body)
        unchanged = resource.status == 200 and not_modified(self.headers, tag, resource.modified)
        self.send_response(304 if unchanged else resource.status)
        self.send_header("Content-Type", resource.content_type)
        if encoding:
            self.send_header("Content-Encoding", encoding)
            self.send_header("Vary", "Accept-Encoding")
        self.send_header("ETag", tag)
        self.send_header("Last-Modified", last_modified(resource.modified))
        self.send_header("Content-Length", "0" if unchanged else str(len(body)))
        self.end_headers()
        if include_body and not unchanged:
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # quiet: tests read stdout
        pass


class SamplePortal(BackgroundServer):
    """A running sample portal; use as a context manager or call start()/stop()."""

    home_url = f"http://{SAMPLE_HOST}/"

    def __init__(
        self, port: int = 0, *, new_year: int | None = None, delay: float = 0.0, throttle: dict[str, int] | None = None
    ) -> None:
        handler = type("SiteHandler", (_Handler,), {"site": build_site(new_year), "requests": [], "delay": delay,
                                                    "throttled": dict(throttle or {})})
        self.requests = handler.requests
        self.site = handler.site  # what it serves: generated files (zip timestamps) differ between builds
        super().__init__(handler, port)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sampleportal", description=__doc__)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--new-year", type=int, help="also publish generated reports of this year on the first page")
    parser.add_argument("--delay", type=float, default=0.0, help="seconds to wait before each reply")
    args = parser.parse_args(argv)
    SamplePortal(args.port, new_year=args.new_year, delay=args.delay).serve_until_interrupted()
    return 0


if __name__ == "__main__":
    sys.exit(main())
