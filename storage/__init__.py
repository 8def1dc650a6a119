"""Archive backends, chosen by URI: a plain path or file:// is a local directory."""

from __future__ import annotations

from urllib.parse import urlsplit

from storage.base import Storage, StorageError
from storage.local import LocalStorage

__all__ = ["LocalStorage", "Storage", "StorageError", "open_storage"]


def open_storage(uri: str) -> Storage:
    scheme = urlsplit(uri).scheme
    if scheme in ("", "file"):
        return LocalStorage(uri[len("file://"):] if scheme == "file" else uri)
    raise StorageError(f"unsupported archive URI {uri!r}: use a directory path (S3 support comes later)")
