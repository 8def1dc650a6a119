"""Keep writes on local disk while the archive cannot take them; upload them when it can again.

A crawl into S3 must not lose what it already fetched when the server goes away. ``SpooledStorage``
wraps any backend: a write that fails (after the backend's own retries) goes to a local spool
directory instead, the storage is marked ``unavailable`` (the crawl then stops, see
``crawler/extensions/archivehealth.py``), and later writes go straight to the spool. Reads look in the spool
first, so a crawl still sees what it spooled. ``drain`` uploads the spool on the next run, put-if-absent
writes before replacements, each file removed only once the backend has it.

A document written by compare-and-swap (``put_versioned``: a crawl state, the report index) is spooled with
the version it was written over, and drained by compare-and-swap over that version: when another writer
changed the document meanwhile, the newer one stays and the spooled one is kept aside in ``conflicts/``
(``drain`` names it; nothing is lost, nothing newer overwritten).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from storage.base import Storage, StorageError
from storage.keys import checked_key
from storage.local import LocalStorage

_MODES = ("put", "replace", "versioned")  # drained in this order: a replacement is always the newer version
SPOOLED = "spooled"  # the version of a document kept in the spool
CONFLICTS = "conflicts"  # spooled documents a newer version replaced meanwhile, kept aside


@dataclass(frozen=True)
class Drained:
    uploaded: int = 0  # spooled writes the backend now holds
    kept_aside: list[str] = field(default_factory=list)  # keys whose spooled version lost to a newer one


def spool_dir_for(base: str | os.PathLike[str], location: str) -> Path:
    """One spool per archive location, so two archives never mix their pending writes."""
    return Path(base) / hashlib.sha256(location.encode("utf-8")).hexdigest()[:16]


class SpooledStorage:
    def __init__(self, backend: Storage, spool: str | os.PathLike[str]) -> None:
        self.backend = backend
        self.spool = Path(spool)
        self.location = backend.location
        self.unavailable: StorageError | None = None  # the failure that sent writes to the spool
        # Each kind of pending write is a local archive of its own, so spooled files are written atomically.
        self._kept = {mode: LocalStorage(self.spool / mode) for mode in _MODES}
        self._over = LocalStorage(self.spool / "versioned-over")  # key → the version a spooled CAS write was over
        self.conflicts = LocalStorage(self.spool / CONFLICTS)

    def _keep(self, key: str, data: bytes, replace: bool) -> bool:
        if not replace and (self._kept["replace"].exists(key) or self._kept["versioned"].exists(key)):
            return False
        if replace:  # an unconditional write supersedes a conditional one kept before
            self._forget_versioned(key)
        return self._kept["replace" if replace else "put"].put(key, data, replace=replace)

    def _keep_versioned(self, key: str, data: bytes, version: str | None) -> None:
        """Keep ``data`` with the backend version it was written over; a later write of the same document
        (over ``SPOOLED``) keeps the first one's, the version the backend still had."""
        if self._kept["replace"].exists(key):  # over an unconditional write: drained unconditionally too
            self._kept["replace"].put(key, data, replace=True)
            return
        if not self._kept["versioned"].exists(key):
            self._over.put(key, json.dumps({"over": None if version == SPOOLED else version}).encode(), replace=True)
        self._kept["versioned"].put(key, data, replace=True)

    def _forget_versioned(self, key: str) -> None:
        self._kept["versioned"].delete(key)
        self._over.delete(key)

    def put(self, key: str, data: bytes, *, replace: bool = False) -> bool:
        checked_key(key)
        if self.unavailable is None:
            try:
                return self.backend.put(key, data, replace=replace)
            except StorageError as exc:
                self.unavailable = exc
        return self._keep(key, data, replace)

    def read_versioned(self, key: str) -> tuple[bytes | None, str | None]:
        for mode in ("versioned", "replace"):
            if self._kept[mode].exists(key):
                return self._kept[mode].get(key), SPOOLED
        return self.backend.read_versioned(key)

    def put_versioned(self, key: str, data: bytes, version: str | None) -> str | None:
        """Compare-and-swap on the backend; while it is unavailable, the document is kept with the version
        it was written over (drained by compare-and-swap over that version)."""
        if self.unavailable is None and version != SPOOLED:
            try:
                return self.backend.put_versioned(key, data, version)
            except StorageError as exc:
                self.unavailable = exc
        self._keep_versioned(key, data, version)
        return SPOOLED

    def get(self, key: str) -> bytes:
        for mode in reversed(_MODES):
            if self._kept[mode].exists(key):
                return self._kept[mode].get(key)
        return self.backend.get(key)

    def delete(self, key: str) -> None:
        for kept in self._kept.values():
            kept.delete(key)
        self._over.delete(key)
        self.backend.delete(key)

    def exists(self, key: str) -> bool:
        return any(kept.exists(key) for kept in self._kept.values()) or self.backend.exists(key)

    def keys(self, prefix: str) -> Iterator[str]:
        spooled = sorted({key for kept in self._kept.values() for key in kept.keys(prefix)})
        yield from spooled
        seen = set(spooled)
        yield from (key for key in self.backend.keys(prefix) if key not in seen)

    def check_writable(self) -> None:
        self.backend.check_writable()

    def pending(self) -> int:
        return sum(1 for kept in self._kept.values() for _ in kept.keys(""))

    def drain(self) -> Drained:
        """Upload every spooled write to the backend. A compare-and-swap write the backend refuses (the
        document changed since) is moved to ``conflicts/`` and named in ``kept_aside``. Raises
        StorageError if the backend fails; what is not uploaded yet stays spooled."""
        uploaded, kept_aside = 0, []
        for mode in _MODES:
            kept = self._kept[mode]
            for key in list(kept.keys("")):
                data = kept.get(key)
                if mode != "versioned":
                    self.backend.put(key, data, replace=mode == "replace")
                    uploaded += 1
                elif self._drain_versioned(key, data):
                    uploaded += 1
                else:
                    kept_aside.append(key)
                self._forget_versioned(key)
                kept.delete(key)
        return Drained(uploaded, kept_aside)

    def _drain_versioned(self, key: str, data: bytes) -> bool:
        """Compare-and-swap ``data`` over the version it was spooled over; False (and the document moved
        to ``conflicts/``) when the backend holds another, newer one."""
        over = json.loads(self._over.get(key))["over"] if self._over.exists(key) else None
        if self.backend.put_versioned(key, data, over) is not None:
            return True
        if self.backend.read_versioned(key)[0] == data:  # the failed write did land (its answer was lost)
            return True
        self.conflicts.put(f"{key}.{hashlib.sha256(data).hexdigest()[:16]}", data)
        return False
