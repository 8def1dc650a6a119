"""``nianbao export --format sqlite``: every table in one SQLite file, with full-text search on texts.

The file opens as it is in Datasette (``datasette FILE.db``): each table has its columns' types and
NOT NULL constraints from ``crawler/export/schema.py``, and ``reports_fts`` is an FTS5 index over the
reports' titles and texts (``content=reports``, so Datasette offers a search box on ``reports``). The
trigram tokenizer matches any run of three or more characters, which suits Chinese text without word
boundaries. The file is written under a temporary name and renamed into place.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Mapping, Sequence
from contextlib import closing
from pathlib import Path
from typing import Any

import pyarrow as pa

from crawler.export.schema import REPORTS, TableSpec

_AFFINITY = (("bool", pa.types.is_boolean), ("INTEGER", pa.types.is_integer), ("REAL", pa.types.is_floating))


def _sql_type(arrow_type: pa.DataType) -> str:
    kind = next((name for name, test in _AFFINITY if test(arrow_type)), "TEXT")
    return "INTEGER" if kind == "bool" else kind


def _value(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def _create(db: sqlite3.Connection, spec: TableSpec, rows: Sequence[Mapping[str, Any]]) -> None:
    columns = ", ".join(f'"{c.name}" {_sql_type(c.type)}{" NOT NULL" if c.required else ""}' for c in spec.columns)
    db.execute(f'CREATE TABLE "{spec.name}" ({columns})')
    marks = ", ".join("?" for _ in spec.columns)
    db.executemany(f'INSERT INTO "{spec.name}" VALUES ({marks})',
                   [tuple(_value(row[c.name]) for c in spec.columns) for row in rows])


def write_sqlite(tables: Sequence[tuple[TableSpec, Sequence[Mapping[str, Any]]]], path: Path) -> Path:
    """Write ``tables`` (spec, sorted rows) into a new SQLite file at ``path``, replacing an earlier export."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.unlink(missing_ok=True)
    with closing(sqlite3.connect(partial)) as db:
        for spec, rows in tables:
            _create(db, spec, rows)
        # content="reports" in double quotes: the form Datasette's FTS detection looks for
        db.execute(f'CREATE VIRTUAL TABLE reports_fts USING fts5(title, text, content="{REPORTS.name}", '
                   "tokenize='trigram')")
        db.execute(f"INSERT INTO reports_fts(rowid, title, text) SELECT rowid, title, text FROM {REPORTS.name}")
        db.commit()
    os.replace(partial, path)
    return path
