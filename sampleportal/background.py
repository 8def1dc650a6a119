"""An HTTP server on 127.0.0.1 in a daemon thread, as a context manager: the sample portal's and the farm's."""

from __future__ import annotations

import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # listen backlog: the default 5 drops a crawler's burst of connects (1 s SYN retries)


class BackgroundServer:
    def __init__(self, handler: type[BaseHTTPRequestHandler], port: int = 0, tls: ssl.SSLContext | None = None) -> None:
        self._server = _Server(("127.0.0.1", port), handler)
        self.scheme = "https" if tls else "http"
        if tls:  # HTTPS; each connection's handshake in its own handler thread, at its first read
            self._server.socket = tls.wrap_socket(self._server.socket, server_side=True,
                                                  do_handshake_on_connect=False)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """The server's own address: use it as the crawler's HTTP proxy."""
        host, port = self._server.server_address[:2]
        return f"{self.scheme}://{host}:{port}/"

    def start(self) -> Self:
        self._thread.start()
        return self

    def serve_until_interrupted(self) -> None:
        """A command line's main loop: print the address first (tests read it back), serve until Ctrl-C."""
        print(self.url, flush=True)
        try:
            self._server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            self.stop()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
