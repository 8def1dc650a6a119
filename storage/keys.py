"""Archive keys are built from hashes and sanitized ids only; anything else is refused, on every backend."""

from __future__ import annotations

import re

from storage.base import StorageError

_SAFE_KEY = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$")


def checked_key(key: str) -> str:
    """``key`` itself when it is a relative path of safe segments (no '..', no leading '/' or '.')."""
    if not _SAFE_KEY.match(key) or ".." in key:
        raise StorageError(f"refusing archive key outside the archive's naming rules: {key!r}")
    return key
