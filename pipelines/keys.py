"""Archive keys and bytes of the derived documents (docs/DESIGN.md "Archive layout")."""

from __future__ import annotations

import hashlib
import json
from pathlib import PurePosixPath
from typing import Any


def record_key(record: dict[str, Any]) -> str:
    return f"reports/{record.get('year') or 'unknown'}/{record['report_id']}.json"


def text_key(record: dict[str, Any]) -> str:
    return f"text/{record['report_id']}.txt"


def report_id_from_key(key: str) -> str | None:
    path = PurePosixPath(key)
    return path.stem if path.suffix == ".json" and len(path.stem) == 64 else None


def record_bytes(record: dict[str, Any]) -> bytes:
    return (json.dumps(record, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def history_key(key: str, data: bytes) -> str:
    """Where an earlier version of the record at ``key`` is kept: named by the SHA-256 of its bytes."""
    return f"history/{key.removesuffix('.json')}/{hashlib.sha256(data).hexdigest()}.json"
