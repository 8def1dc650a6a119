"""Serve the sample portal on 127.0.0.1; port 0 picks a free port, printed on the first line.

The server is also an HTTP proxy for the portal's own host name (``SAMPLE_HOST``): a crawler pointed at
it as its proxy fetches ``http://www.yangli.gov.test/...``, so archived URLs stay the same from run to
run whatever port was free. Requests for any other host get 404 and are logged in ``requests``, which
lets tests prove the crawler never asked for a host it should not visit.
"""

from __future__ import annotations

import argparse
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar, Self
from urllib.parse import urlsplit

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


class LocalServer:
    """A threaded HTTP server on 127.0.0.1 for ``handler``; use as a context manager or call start()/stop()."""

    def __init__(self, handler: type[BaseHTTPRequestHandler], port: int = 0) -> None:
        self._server = ThreadingHTTPServer(("127.0.0.1", port), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """The server's own address: use it as the crawler's HTTP proxy."""
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/"

    def start(self) -> Self:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class SamplePortal(LocalServer):
    """The running sample portal."""

    home_url = f"http://{SAMPLE_HOST}/"

    def __init__(self, port: int = 0) -> None:
        handler = type("SiteHandler", (_Handler,), {"site": build_site(), "requests": []})
        self.requests = handler.requests
        super().__init__(handler, port)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sampleportal", description=__doc__)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args(argv)
    portal = SamplePortal(args.port)
    print(portal.url, flush=True)  # first line: the address tests and scripts read back
    try:
        portal._server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        portal._server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
