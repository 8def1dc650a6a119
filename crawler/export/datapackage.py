"""``datapackage.json``: the export describes itself as a Frictionless Data Package.

Every table file is a resource with its columns' names, types, meanings and NOT NULL constraints, and
its primary key, all taken from ``crawler/export/schema.py`` (the same source as docs/DATA.md).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import pyarrow as pa

from crawler.export.schema import Column, TableSpec

FILENAME = "datapackage.json"
_MEDIATYPES = {"csv": "text/csv", "jsonl": "application/x-ndjson", "parquet": "application/vnd.apache.parquet"}


def field_type(arrow_type: pa.DataType) -> str:
    """The Table Schema type of an Arrow type."""
    if pa.types.is_boolean(arrow_type):
        return "boolean"
    if pa.types.is_integer(arrow_type):
        return "integer"
    if pa.types.is_floating(arrow_type):
        return "number"
    if pa.types.is_date(arrow_type):
        return "date"
    return "string"


def _field(column: Column) -> dict[str, Any]:
    field: dict[str, Any] = {"name": column.name, "type": field_type(column.type), "description": column.meaning}
    if column.required:
        field["constraints"] = {"required": True}
    return field


def resource(spec: TableSpec, fmt: str) -> dict[str, Any]:
    return {
        "name": spec.name,
        "path": f"{spec.name}.{fmt}",
        "profile": "tabular-data-resource",
        "format": fmt,
        "mediatype": _MEDIATYPES[fmt],
        "encoding": "utf-8",
        "description": spec.meaning,
        "schema": {"fields": [_field(c) for c in spec.columns_for(fmt)], "primaryKey": list(spec.order_by)},
    }


def datapackage_bytes(specs: Sequence[TableSpec], fmt: str) -> bytes:
    package = {
        "profile": "tabular-data-package",
        "name": "nianbao-export",
        "title": "政府信息公开工作年度报告: reports, statistics and checks (nianbao export)",
        "resources": [resource(spec, fmt) for spec in specs],
    }
    return (json.dumps(package, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
