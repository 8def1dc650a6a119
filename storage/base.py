"""The storage protocol every archive backend implements (local directory, S3)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol


class StorageError(Exception):
    """The archive cannot be read or written; the message names the location and the cause."""


class Storage(Protocol):
    location: str

    def put(self, key: str, data: bytes, *, replace: bool = False) -> bool:
        """Store ``data`` at ``key``; True if this call wrote it.

        Without ``replace`` an existing key is left untouched (put-if-absent). ``replace`` is for
        derived documents that grow (a report record gaining ``also_seen_at``), never for raw bodies.
        """
        ...

    def get(self, key: str) -> bytes: ...

    def delete(self, key: str) -> None:
        """Remove ``key`` (absent is fine). Only ``nianbao reparse`` deletes, after keeping a copy in history/."""
        ...

    def exists(self, key: str) -> bool: ...

    def keys(self, prefix: str) -> Iterator[str]: ...

    def check_writable(self) -> None:
        """Raise StorageError when nothing could be written here."""
        ...

    def read_versioned(self, key: str) -> tuple[bytes | None, str | None]:
        """The object at ``key`` and its version (the ETag on S3, the SHA-256 locally); (None, None) when absent."""
        ...

    def put_versioned(self, key: str, data: bytes, version: str | None) -> str | None:
        """Compare-and-swap: write ``data`` only if ``key`` still holds ``version`` (None: is still absent).

        The new version, or None when another writer changed the key first (nothing written). For the
        documents several workers rewrite: a crawl state, the report index (storage/cas.py)."""
        ...
