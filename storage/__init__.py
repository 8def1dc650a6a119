"""Archive backends, chosen by URI: a plain path or file:// is a local directory, s3://bucket/prefix a bucket."""

from __future__ import annotations

from urllib.parse import urlsplit

from storage.base import Storage, StorageError
from storage.local import LocalStorage

__all__ = ["LocalStorage", "Storage", "StorageError", "open_storage"]


def open_storage(uri: str) -> Storage:
    scheme = urlsplit(uri).scheme
    if scheme in ("", "file"):
        return LocalStorage(uri[len("file://"):] if scheme == "file" else uri)
    if scheme == "s3":
        from storage.s3 import S3Storage

        return S3Storage(uri)
    raise StorageError(f"unsupported archive URI {uri!r}: use a directory path or s3://bucket/prefix")
