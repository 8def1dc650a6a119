"""Serve the sample portal on 127.0.0.1; port 0 picks a free port, printed on the first line.

The server is also an HTTP proxy for the portal's own host name (``SAMPLE_HOST``): a crawler pointed at
it as its proxy fetches ``http://www.yangli.gov.test/...``, so archived URLs stay the same from run to
run whatever port was free. Requests for any other host get 404 and are logged in ``requests``, which
lets tests prove the crawler never asked for a host it should not visit.
"""

from __future__ import annotations

import argparse
import sys
from http.server import BaseHTTPRequestHandler
from typing import ClassVar
from urllib.parse import urlsplit

from sampleportal.background import BackgroundServer
from sampleportal.site import NOT_FOUND, SAMPLE_HOST, Resource, build_site

_LOCAL_HOSTS = {SAMPLE_HOST, "127.0.0.1", "localhost"}


class _Handler(BaseHTTPRequestHandler):
    server_version = "TRS-WCM-Sample/1.0"
    site: ClassVar[dict[str, Resource]] = {}
    requests: ClassVar[list[tuple[str, str]]] = []  # (host, path) of every request, in arrival order

    def do_GET(self) -> None:
        self._send(include_body=True)

    def do_HEAD(self) -> None:
        self._send(include_body=False)

    def _send(self, include_body: bool) -> None:
        target = urlsplit(self.path)  # absolute-form when we are used as a proxy
        host = (target.hostname or self.headers.get("Host", "").rsplit(":", 1)[0]).lower()
        self.requests.append((host, target.path))
        resource = self.site.get(target.path, NOT_FOUND) if host in _LOCAL_HOSTS else NOT_FOUND
        self.send_response(resource.status)
        self.send_header("Content-Type", resource.content_type)
        self.send_header("Content-Length", str(len(resource.body)))
        self.end_headers()
        if include_body:
            self.wfile.write(resource.body)

    def log_message(self, format: str, *args: object) -> None:  # quiet: tests read stdout
        pass


class SamplePortal(BackgroundServer):
    """A running sample portal; use as a context manager or call start()/stop()."""

    home_url = f"http://{SAMPLE_HOST}/"

    def __init__(self, port: int = 0) -> None:
        handler = type("SiteHandler", (_Handler,), {"site": build_site(), "requests": []})
        self.requests = handler.requests
        super().__init__(handler, port)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sampleportal", description=__doc__)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args(argv)
    SamplePortal(args.port).serve_until_interrupted()
    return 0


if __name__ == "__main__":
    sys.exit(main())
