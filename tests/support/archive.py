"""Reading a local archive the way tests check it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def records(archive: Path) -> list[dict[str, Any]]:
    """Every report record of ``archive`` (reports/<year>/<report_id>.json), in key order."""
    return [json.loads(path.read_text(encoding="utf-8")) for path in sorted(archive.glob("reports/*/*.json"))]


def archive_files(root: Path) -> set[str]:
    return {path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file()}


def index_entries(archive: Path) -> dict[str, dict[str, Any]]:
    """report_id → entry, over every shard of the report index as saved (index/agencies/, index/unattributed/)."""
    entries: dict[str, dict[str, Any]] = {}
    for path in sorted((archive / "index").glob("*/**/*.json")):
        entries.update(json.loads(path.read_text(encoding="utf-8"))["entries"])
    return entries


def index_keys(archive: Path) -> set[str]:
    """The record keys the saved report index names."""
    return {entry["key"] for entry in index_entries(archive).values()}
