"""Report records (docs/DESIGN.md) to rows of the exported tables."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from crawler.archive.layout import text_key
from crawler.core.forms import APPLICANTS, SUBTOTAL, TOTAL
from crawler.regions import REGION_FIELDS, divisions

APPLICANT_COLUMNS = frozenset({*APPLICANTS, SUBTOTAL, TOTAL})
_TABLE3_ROWS = ("本年新收", "上年结转", "本年度办理结果", "结转下年度")
_TABLE4_ROWS = ("行政复议", "行政诉讼")
_NUMBER_WITH_UNIT = re.compile(r"^\s*[+-]?\d[\d,]*(?:\.\d+)?\s*([^\d\s.,+-][^\d]*)$")


def split_stat_key(key: str, report_format: str | None) -> tuple[str, str, str | None]:
    """(table, row, column) of a stats key, following docs/FORMATS.md 'Stats keys'."""
    if "/" not in key:
        return ("统计表" if report_format == "pre2019" else "narrative"), key, None
    if report_format == "pre2019":
        row, _, column = key.rpartition("/")
        return "统计表", row, column
    head, _, tail = key.rpartition("/")
    if key.startswith(_TABLE4_ROWS):
        return "表四", head, tail
    if tail in APPLICANT_COLUMNS and key.startswith(_TABLE3_ROWS):
        return "表三", head, tail
    row, _, column = key.partition("/")  # 表二: 2019 columns such as 本年增/减 keep their slash
    return "表二", row, column


def unit_of(raw: str | None) -> str | None:
    match = _NUMBER_WITH_UNIT.match(raw or "")
    return match.group(1).strip() if match else None


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def current_region(code: str | None) -> dict[str, str | None]:
    """Today's county of a recorded region code and its names: a report archived under a retired code
    joins its successor's rows."""
    place = divisions().place(code)
    return dict(zip(REGION_FIELDS, (place.code, place.province, place.prefecture, place.county) if place
                    else (code, None, None, None), strict=True))


def report_row(record: dict[str, Any]) -> dict[str, Any]:
    source = record.get("source") or {}
    checks = record.get("checks") or []
    return {
        "report_id": record["report_id"],
        "is_report": bool(record.get("is_report")),
        "agency": record.get("agency"),
        "region": record.get("region"),
        "level": record.get("level"),
        "year": record.get("year"),
        "published": _date(record.get("published")),
        "signed": _date(record.get("signed")),
        "format": record.get("format") or "unknown",
        "title": record.get("title"),
        "source_url": source.get("url"),
        "page_url": source.get("page_url"),
        "fetched_at": source.get("fetched_at"),
        "portal": source.get("portal"),
        **current_region(source.get("region_code")),
        "also_seen_count": len(record.get("also_seen_at") or []),
        "checks_passed": sum(1 for c in checks if c.get("ok")),
        "checks_failed": sum(1 for c in checks if not c.get("ok")),
        "raw_sha256": source.get("raw_sha256"),
        "warc_file": source.get("warc_file"),
        "warc_offset": source.get("warc_offset"),
        "text_key": text_key(record),
        "text": record.get("text"),
    }


def _raw_by_key(record: dict[str, Any]) -> dict[str, str]:
    raws = {}
    for cell in record.get("cells") or []:
        if cell.get("row") and cell.get("col"):
            raws[f"{cell['row']}/{cell['col']}"] = str(cell.get("raw"))
        if cell.get("key"):
            raws[cell["key"]] = str(cell.get("raw"))
    return raws


def stat_rows(record: dict[str, Any]) -> list[dict[str, Any]]:
    raws = _raw_by_key(record)
    rows = []
    for key, value in (record.get("stats") or {}).items():
        table, row, column = split_stat_key(key, record.get("format"))
        numeric = float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
        raw = raws.get(key, "" if value is None else str(value))
        rows.append(
            {"report_id": record["report_id"], "key": key, "table": table, "row": row, "column": column,
             "value": numeric, "raw": raw, "unit": unit_of(raw)}
        )
    return rows


def wide_row(record: dict[str, Any], spec_columns: tuple[str, ...]) -> dict[str, Any]:
    """One row of a wide view: the record's id, agency and year, then its number for each form key."""
    stats = record.get("stats") or {}
    row = {"report_id": record["report_id"], "agency": record.get("agency"), "year": record.get("year")}
    row |= {name: _number(stats.get(name)) for name in spec_columns if name not in row}
    return row


def check_rows(record: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {"report_id": record["report_id"], "name": check.get("name"), "scope": check.get("scope"),
         "expected": _number(check.get("expected")), "actual": _number(check.get("actual")),
         "ok": bool(check.get("ok"))}
        for check in record.get("checks") or []
    ]


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
