"""``nianbao export``: the archive's records as the reports, stats and checks tables.

A full export rewrites the three tables (same archive → same bytes) and ``datapackage.json``, which
describes them. ``since_last`` also writes only the records that are new or changed since the
previous export into ``changes/<n>/``, using the ``export-manifest.json`` (report_id → SHA-256 of the
record) kept in the output directory. ``sqlite`` writes every table into one file instead.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crawler.export.archive_reader import iter_records
from crawler.export.datapackage import FILENAME as DATAPACKAGE
from crawler.export.datapackage import datapackage_bytes
from crawler.export.rows import check_rows, report_row, stat_rows, wide_row
from crawler.export.schema import CHECKS, REPORTS, STATS, TABLES, WIDE_TABLES
from crawler.export.sqlite import write_sqlite
from crawler.export.writers import sort_rows, write_rows
from storage import Storage

MANIFEST = "export-manifest.json"


@dataclass(frozen=True, slots=True)
class ExportResult:
    files: tuple[Path, ...]
    reports: int
    stats: int
    checks: int
    changed: int  # records new or changed since the previous export
    changes_dir: Path | None


def _table_rows(records: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    tables = {
        REPORTS.name: [report_row(r) for r in records],
        STATS.name: [row for r in records for row in stat_rows(r)],
        CHECKS.name: [row for r in records for row in check_rows(r)],
    }
    for spec in WIDE_TABLES:
        names = tuple(c.name for c in spec.columns)
        fmt = spec.name.removeprefix("wide_")
        tables[spec.name] = [wide_row(r, names) for r in records if r.get("is_report") and r.get("format") == fmt]
    return tables


def _write_all(records: list[dict[str, Any]], out_dir: Path, fmt: str, bom: bool) -> tuple[list[Path], dict]:
    out_dir.mkdir(parents=True, exist_ok=True)
    rows = _table_rows(records)
    specs = (*TABLES, *WIDE_TABLES)
    paths = [write_rows(spec, rows[spec.name], out_dir, fmt, bom) for spec in specs]
    (out_dir / DATAPACKAGE).write_bytes(datapackage_bytes(specs, fmt))
    return [*paths, out_dir / DATAPACKAGE], rows


def export_sqlite(storage: Storage, path: Path) -> ExportResult:
    """Every table into one SQLite file (crawler/export/sqlite.py)."""
    records = [record for _key, _data, record in iter_records(storage)]
    rows = _table_rows(records)
    specs = (*TABLES, *WIDE_TABLES)
    write_sqlite([(spec, sort_rows(spec, rows[spec.name])) for spec in specs], path)
    return ExportResult(files=(path,), reports=len(rows[REPORTS.name]), stats=len(rows[STATS.name]),
                        checks=len(rows[CHECKS.name]), changed=0, changes_dir=None)


def _next_changes_dir(out_dir: Path) -> Path:
    base = out_dir / "changes"
    numbers = [int(p.name) for p in base.glob("*") if p.name.isdigit()]
    return base / f"{max(numbers, default=0) + 1:04d}"


def export(storage: Storage, out_dir: Path, fmt: str, *, bom: bool = False, since_last: bool = False) -> ExportResult:
    records, digests = [], {}
    for _key, data, record in iter_records(storage):
        records.append(record)
        digests[record["report_id"]] = hashlib.sha256(data).hexdigest()
    paths, rows = _write_all(records, out_dir, fmt, bom)

    manifest_path = out_dir / MANIFEST
    previous = json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.exists() else {}
    changed = [r for r in records if previous.get(r["report_id"]) != digests[r["report_id"]]]
    changes_dir = None
    if since_last and changed:
        changes_dir = _next_changes_dir(out_dir)
        changed_paths, _ = _write_all(changed, changes_dir, fmt, bom)
        paths.extend(changed_paths)
    manifest_path.write_text(json.dumps(digests, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    return ExportResult(
        files=tuple(paths),
        reports=len(rows[REPORTS.name]),
        stats=len(rows[STATS.name]),
        checks=len(rows[CHECKS.name]),
        changed=len(changed),
        changes_dir=changes_dir,
    )
