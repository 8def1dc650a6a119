"""Keep writes on local disk while the archive cannot take them; upload them when it can again.

A crawl into S3 must not lose what it already fetched when the server goes away. ``SpooledStorage``
wraps any backend: a write that fails (after the backend's own retries) goes to a local spool
directory instead, the storage is marked ``unavailable`` (the crawl then stops, see
``crawler/archivehealth.py``), and later writes go straight to the spool. Reads look in the spool
first, so a crawl still sees what it spooled. ``drain`` uploads the spool on the next run, put-if-absent
writes before replacements, each file removed only once the backend has it.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from storage.base import Storage, StorageError
from storage.keys import checked_key

_MODES = ("put", "replace")  # drained in this order: a replacement is always the newer version


def spool_dir_for(base: str | os.PathLike[str], location: str) -> Path:
    """One spool per archive location, so two archives never mix their pending writes."""
    return Path(base) / hashlib.sha256(location.encode("utf-8")).hexdigest()[:16]


class SpooledStorage:
    def __init__(self, backend: Storage, spool: str | os.PathLike[str]) -> None:
        self.backend = backend
        self.spool = Path(spool)
        self.location = backend.location
        self.unavailable: StorageError | None = None  # the failure that sent writes to the spool

    def _spooled(self, mode: str, key: str) -> Path:
        return self.spool / mode / checked_key(key)

    def _keep(self, key: str, data: bytes, replace: bool) -> bool:
        path = self._spooled("replace" if replace else "put", key)
        if not replace and (path.exists() or self._spooled("replace", key).exists()):
            return False
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
        return True

    def put(self, key: str, data: bytes, *, replace: bool = False) -> bool:
        checked_key(key)
        if self.unavailable is None:
            try:
                return self.backend.put(key, data, replace=replace)
            except StorageError as exc:
                self.unavailable = exc
        return self._keep(key, data, replace)

    def get(self, key: str) -> bytes:
        for mode in reversed(_MODES):
            path = self._spooled(mode, key)
            if path.is_file():
                return path.read_bytes()
        return self.backend.get(key)

    def delete(self, key: str) -> None:
        for mode in _MODES:
            self._spooled(mode, key).unlink(missing_ok=True)
        self.backend.delete(key)

    def exists(self, key: str) -> bool:
        if any(self._spooled(mode, key).is_file() for mode in _MODES):
            return True
        return self.backend.exists(key)

    def keys(self, prefix: str) -> Iterator[str]:
        spooled = sorted({key for mode in _MODES for key in self._pending(mode) if key.startswith(prefix)})
        yield from spooled
        seen = set(spooled)
        yield from (key for key in self.backend.keys(prefix) if key not in seen)

    def check_writable(self) -> None:
        self.backend.check_writable()

    def _pending(self, mode: str) -> Iterator[str]:
        root = self.spool / mode
        if not root.is_dir():
            return
        for dirpath, _dirs, files in os.walk(root):
            for name in sorted(files):
                if not name.startswith(".tmp-"):
                    yield Path(dirpath, name).relative_to(root).as_posix()

    def pending(self) -> int:
        return sum(1 for mode in _MODES for _ in self._pending(mode))

    def drain(self) -> int:
        """Upload every spooled write to the backend; the number uploaded. Raises StorageError if it fails."""
        uploaded = 0
        for mode in _MODES:
            for key in list(self._pending(mode)):
                path = self._spooled(mode, key)
                self.backend.put(key, path.read_bytes(), replace=mode == "replace")
                path.unlink()
                uploaded += 1
        return uploaded
