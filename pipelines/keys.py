"""Archive keys of the derived documents (DESIGN.md "Archive layout")."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any


def record_key(record: dict[str, Any]) -> str:
    return f"reports/{record.get('year') or 'unknown'}/{record['report_id']}.json"


def text_key(record: dict[str, Any]) -> str:
    return f"text/{record['report_id']}.txt"


def report_id_from_key(key: str) -> str | None:
    path = PurePosixPath(key)
    return path.stem if path.suffix == ".json" and len(path.stem) == 64 else None
