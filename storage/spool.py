"""Keep writes on local disk while the archive cannot take them; upload them when it can again.

A crawl into S3 must not lose what it already fetched when the server goes away. ``SpooledStorage``
wraps any backend: a write that fails (after the backend's own retries) goes to a local spool
directory instead, the storage is marked ``unavailable`` (the crawl then stops, see
``crawler/extensions/archivehealth.py``), and later writes go straight to the spool. Reads look in the spool
first, so a crawl still sees what it spooled. ``drain`` uploads the spool on the next run, put-if-absent
writes before replacements, each file removed only once the backend has it.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

from storage.base import Storage, StorageError
from storage.keys import checked_key
from storage.local import LocalStorage

_MODES = ("put", "replace")  # drained in this order: a replacement is always the newer version
SPOOLED = "spooled"  # the version of a document kept in the spool


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

    def _keep(self, key: str, data: bytes, replace: bool) -> bool:
        if not replace and self._kept["replace"].exists(key):
            return False
        return self._kept["replace" if replace else "put"].put(key, data, replace=replace)

    def put(self, key: str, data: bytes, *, replace: bool = False) -> bool:
        checked_key(key)
        if self.unavailable is None:
            try:
                return self.backend.put(key, data, replace=replace)
            except StorageError as exc:
                self.unavailable = exc
        return self._keep(key, data, replace)

    def read_versioned(self, key: str) -> tuple[bytes | None, str | None]:
        if self._kept["replace"].exists(key):
            return self._kept["replace"].get(key), SPOOLED
        return self.backend.read_versioned(key)

    def put_versioned(self, key: str, data: bytes, version: str | None) -> str | None:
        """Compare-and-swap on the backend; while it is unavailable, the document is kept as a replacement
        (drained whole by the next run)."""
        if self.unavailable is None and version != SPOOLED:
            try:
                return self.backend.put_versioned(key, data, version)
            except StorageError as exc:
                self.unavailable = exc
        self._keep(key, data, True)
        return SPOOLED

    def get(self, key: str) -> bytes:
        for mode in reversed(_MODES):
            if self._kept[mode].exists(key):
                return self._kept[mode].get(key)
        return self.backend.get(key)

    def delete(self, key: str) -> None:
        for kept in self._kept.values():
            kept.delete(key)
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

    def drain(self) -> int:
        """Upload every spooled write to the backend; the number uploaded. Raises StorageError if it fails."""
        uploaded = 0
        for mode in _MODES:
            kept = self._kept[mode]
            for key in list(kept.keys("")):
                self.backend.put(key, kept.get(key), replace=mode == "replace")
                kept.delete(key)
                uploaded += 1
        return uploaded
