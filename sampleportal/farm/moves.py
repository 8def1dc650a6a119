"""A portal that moved to another domain: its old host answers every request with 301 to the same path
on the new host (docs/PORTALS.md "Moved paths"; the national lists name both hosts for about 118 counties)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from sampleportal.farm import pages
from sampleportal.farm.app import Reply, Request
from sampleportal.farm.portal import PortalConfig


class MovedHost:
    def __init__(self, config: PortalConfig) -> None:
        self.host = config.host
        target = str(config.options["moved_to"])  # a host (moved to http://host), or an origin: https://host:port
        self.origin = target if "://" in target else f"http://{target}"

    def handle(self, request: Request) -> Reply:
        return pages.moved(f"{self.origin}{request.path}" + (f"?{request.query}" if request.query else ""))

    def manifest(self) -> Iterator[Mapping[str, Any]]:
        return iter(())  # its reports are the new host's
