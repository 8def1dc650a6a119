"""Per-portal crawl state, kept in the archive at ``state/<portal>.json`` (see docs/OPERATIONS.md).

For every URL fetched with validators: its ETag, Last-Modified, content type and the SHA-256 of the
archived body (what a 304 stands for). And the URLs whose documents are done (archived, merged or
dropped with a reason): the "known" articles a later crawl need not process again. Because it lives in
the archive, a crawl on another machine continues where the last one left off.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

from storage import Storage

SCHEMA = "nianbao.state/1"


def state_key(portal: str) -> str:
    return f"state/{portal}.json"


@dataclass(frozen=True, slots=True)
class Validators:
    sha256: str
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None


class CrawlState:
    """What one portal's crawls remember; plain data, saved whole with ``put(replace=True)``."""

    def __init__(self, portal: str, urls: dict[str, Validators] | None = None, known: set[str] | None = None) -> None:
        self.portal = portal
        self.urls = urls or {}
        self.known = known or set()
        self.changed = False

    @classmethod
    def load(cls, storage: Storage, portal: str) -> CrawlState:
        """The portal's saved state, or an empty one when it was never crawled."""
        key = state_key(portal)
        if not storage.exists(key):
            return cls(portal)
        document = json.loads(storage.get(key))
        if document.get("schema") != SCHEMA:
            raise ValueError(f"{key}: unknown state schema {document.get('schema')!r}")
        urls = {url: Validators(**entry) for url, entry in document["urls"].items()}
        return cls(portal, urls, set(document["known"]))

    def to_bytes(self) -> bytes:
        document: dict[str, Any] = {
            "schema": SCHEMA,
            "portal": self.portal,
            "urls": {url: asdict(self.urls[url]) for url in sorted(self.urls)},
            "known": sorted(self.known),
        }
        return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")

    def remember(self, url: str, validators: Validators) -> None:
        if self.urls.get(url) != validators:
            self.urls[url] = validators
            self.changed = True

    def mark_known(self, url: str) -> None:
        if url not in self.known:
            self.known.add(url)
            self.changed = True

    def is_known(self, url: str) -> bool:
        return url in self.known
