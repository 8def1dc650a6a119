"""Write rows of one table as Parquet, CSV or JSON Lines, byte-identical for identical rows."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from crawler.export.schema import TableSpec

FORMATS = ("parquet", "csv", "jsonl")  # one file per table; sqlite (crawler/export/sqlite.py) is one file


def sort_rows(spec: TableSpec, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda row: tuple("" if row[c] is None else str(row[c]) for c in spec.order_by))


def write_rows(spec: TableSpec, rows: list[dict[str, Any]], out_dir: Path, fmt: str, bom: bool = False) -> Path:
    """Write ``rows`` (any order) to ``out_dir/<table>.<fmt>`` and return the path."""
    rows = sort_rows(spec, rows)
    path = out_dir / f"{spec.name}.{fmt}"
    if fmt == "parquet":
        table = pa.Table.from_pylist(rows, schema=spec.arrow_schema())
        pq.write_table(table, path, compression="zstd", use_dictionary=True, write_statistics=True)
    elif fmt == "csv":
        path.write_bytes(_csv_bytes(spec, rows, bom))
    elif fmt == "jsonl":
        path.write_bytes(b"".join(_json_line(spec, row) for row in rows))
    else:
        raise ValueError(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")
    return path


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value.isoformat() if isinstance(value, date) else str(value)


def _csv_bytes(spec: TableSpec, rows: list[dict[str, Any]], bom: bool) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    columns = spec.columns_for("csv")
    writer.writerow([c.name for c in columns])
    for row in rows:
        writer.writerow([_text(row[c.name]) for c in columns])
    return ("\ufeff" if bom else "").encode("utf-8") + buffer.getvalue().encode("utf-8")


def _json_line(spec: TableSpec, row: dict[str, Any]) -> bytes:
    values = {c.name: (row[c.name].isoformat() if isinstance(row[c.name], date) else row[c.name]) for c in spec.columns}
    return (json.dumps(values, ensure_ascii=False) + "\n").encode("utf-8")
