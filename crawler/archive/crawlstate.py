"""Per-portal crawl state, kept in the archive at ``state/<portal>.json`` (see docs/OPERATIONS.md).

For every URL fetched with validators: its ETag, Last-Modified, content type and the SHA-256 of the
archived body (what a 304 stands for). And the URLs whose documents are done (archived, merged or
dropped with a reason): the "known" articles a later crawl need not process again. Because it lives in
the archive, a crawl on another machine continues where the last one left off.
"""

from __future__ import annotations

import json
import logging
import weakref
from dataclasses import asdict, dataclass
from typing import Any, ClassVar

from crawler.archive.layout import state_key
from storage import Storage
from storage.cas import write_merged

SCHEMA = "nianbao.state/1"

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Validators:
    sha256: str
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None


class CrawlState:
    """What one portal's crawls remember; plain data, saved whole by compare-and-swap (storage/cas.py)."""

    _live: ClassVar[weakref.WeakSet[CrawlState]] = weakref.WeakSet()  # the states of crawls running here

    def __init__(self, portal: str, urls: dict[str, Validators] | None = None, known: set[str] | None = None,
                 refetch: set[str] | None = None, family: str | None = None) -> None:
        self.portal = portal
        self.urls = urls or {}
        self.known = known or set()
        # Documents to fetch again (their records were damaged): while any is left, lists are walked whole.
        self.refetch = refetch or set()
        # The CMS family a crawl told from the home page of a portal registered without one (spiders/generic.py).
        self.family = family
        self.changed = False
        self.version: str | None = None  # what the archive held when last read or written (compare-and-swap)
        CrawlState._live.add(self)

    @classmethod
    def load(cls, storage: Storage, portal: str) -> CrawlState:
        """The portal's saved state, or an empty one when it was never crawled. A damaged one (truncated,
        unknown schema) is only a cache of what the archive holds: it is reset with a warning, and the
        crawl, a full one then, writes it anew. ``version`` is what the archive held (storage/cas.py)."""
        key = state_key(portal)
        data, version = storage.read_versioned(key)
        if data is None:
            return cls(portal)
        try:
            state = cls.from_bytes(portal, data)
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            logger.warning("crawl state %s is damaged (%s): starting from an empty state, rewritten at the end",
                           key, exc)
            state = cls(portal)
            state.changed = True
        state.version = version
        return state

    @classmethod
    def from_bytes(cls, portal: str, data: bytes) -> CrawlState:
        document = json.loads(data)
        if document.get("schema") != SCHEMA:
            raise ValueError(f"unknown state schema {document.get('schema')!r}")
        urls = {url: Validators(**entry) for url, entry in document["urls"].items()}
        return cls(portal, urls, set(document["known"]), set(document.get("refetch", ())), document.get("family"))

    def absorb(self, newer: bytes) -> bytes:
        """Take in what another crawl of the portal saved since this one loaded (its validators where this
        crawl has none, its known documents); this state's bytes after it. A damaged one is overwritten."""
        try:
            other = CrawlState.from_bytes(self.portal, newer)
        except (ValueError, TypeError, KeyError, AttributeError):
            return self.to_bytes()
        self.urls.update({url: v for url, v in other.urls.items() if url not in self.urls})
        self.known |= other.known
        self.refetch = (self.refetch | other.refetch) - self.known
        return self.to_bytes()

    @classmethod
    def forget_live(cls, urls: set[str] | None) -> None:
        """``forget`` in the states of the crawls running in this process (they are saved later)."""
        for state in list(cls._live):
            state.forget(urls)

    def to_bytes(self) -> bytes:
        document: dict[str, Any] = {
            "schema": SCHEMA,
            "portal": self.portal,
            "urls": {url: asdict(self.urls[url]) for url in sorted(self.urls)},
            "known": sorted(self.known),
            "refetch": sorted(self.refetch),
            **({"family": self.family} if self.family else {}),
        }
        return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")

    def remember(self, url: str, validators: Validators) -> None:
        if self.urls.get(url) != validators:
            self.urls[url] = validators
            self.changed = True

    def tell_family(self, family: str) -> None:
        if self.family != family:
            self.family = family
            self.changed = True

    def mark_known(self, url: str) -> None:
        if url not in self.known:
            self.known.add(url)
            self.refetch.discard(url)
            self.changed = True

    def forget(self, urls: set[str] | None) -> set[str]:
        """Make ``urls`` (None: every known document) unknown and due again; returns those that were known."""
        found = self.known & urls if urls is not None else set(self.known)
        if found:
            self.known -= found
            self.refetch |= found
            for url in found:
                self.urls.pop(url, None)  # no If-None-Match: the body comes whole
            self.changed = True
        return found

    def is_known(self, url: str) -> bool:
        return url in self.known


def mark_known_saved(storage: Storage, portal: str, urls: set[str]) -> None:
    """Mark ``urls`` known in ``portal``'s saved state, by compare-and-swap (its crawl has ended)."""
    state = CrawlState.load(storage, portal)
    for url in urls:
        state.mark_known(url)
    if state.changed:
        write_merged(storage, state_key(portal), state.to_bytes(), state.version, state.absorb)
