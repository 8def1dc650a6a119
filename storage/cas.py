"""Compare-and-swap updates of a document several workers rewrite (a crawl state, the report index).

A writer keeps the version it last read or wrote. Its write is refused when another writer changed the
document since; it then reads the newer document, merges it into its own (``rebase``) and tries again.
A late writer never overwrites a newer document, and nothing either writer knew is lost.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from storage.base import Storage, StorageError

MAX_ATTEMPTS = 50


@dataclass(frozen=True, slots=True)
class Written:
    version: str
    conflicts: int  # writes refused because another writer came first


def write_merged(storage: Storage, key: str, data: bytes, version: str | None,
                 rebase: Callable[[bytes], bytes]) -> Written:
    """Write ``data`` over ``version`` of ``key``; on each refusal, ``rebase(newer document) -> data``."""
    for conflicts in range(MAX_ATTEMPTS):
        written = storage.put_versioned(key, data, version)
        if written is not None:
            return Written(written, conflicts)
        newer, version = storage.read_versioned(key)
        if newer is not None:
            data = rebase(newer)
    raise StorageError(f"cannot write {storage.location}/{key}: changed by other writers {MAX_ATTEMPTS} times in a row")
