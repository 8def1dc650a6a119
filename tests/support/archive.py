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
