"""The contract between the farm's HTTP server and each portal it hosts.

A portal is an object with a ``host`` and a ``handle`` method that turns a ``Request`` into a ``Reply``
(pages are generated on request, never stored), plus ``manifest`` with the ground truth of every report
it publishes. The server routes by host name (it is also the crawler's HTTP proxy), applies faults,
and logs every request; portals know nothing of sockets.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True)
class Request:
    method: str  # "GET", "HEAD", "POST"
    host: str  # lower-case, no port
    path: str  # without the query string
    query: str  # raw query string, "" when none
    headers: Mapping[str, str]  # header names lower-cased
    body: bytes = b""


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes
    headers: tuple[tuple[str, str], ...] = field(default_factory=tuple)  # Content-Type etc.


class PortalApp(Protocol):
    host: str  # the host name this portal answers for, e.g. "www.pengxi.gov.test"

    def handle(self, request: Request) -> Reply:
        """The reply to one request (404 Reply for unknown paths)."""
        ...

    def manifest(self) -> Iterator[Mapping[str, Any]]:
        """Ground truth, one mapping per report published: at least ``url`` (absolute, canonical),
        ``portal``, ``unit``, ``year``, ``format`` ("pre2019" | "2019" | "2021" | "seed") and ``kind``
        ("html" | "pdf" | "docx" | "doc" | "xls" | "xlsx"); ``stats`` when the numbers are known.
        Look-alikes are not in the manifest (they may be listed under ``lookalikes`` by a portal's docs)."""
        ...
