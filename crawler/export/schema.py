"""The exported tables, column by column: name, Arrow type and meaning (the data dictionary's source)."""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

from crawler.core.forms import FORMATS, form_keys


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    type: pa.DataType
    meaning: str
    required: bool = False  # NOT NULL in Parquet and SQLite, "required" in datapackage.json
    in_csv: bool = True  # long texts stay out of CSV, which gives their archive key instead


@dataclass(frozen=True, slots=True)
class TableSpec:
    name: str
    meaning: str
    columns: tuple[Column, ...]
    order_by: tuple[str, ...]

    def arrow_schema(self) -> pa.Schema:
        return pa.schema([pa.field(c.name, c.type, nullable=not c.required) for c in self.columns])

    def columns_for(self, fmt: str) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.in_csv) if fmt == "csv" else self.columns


REPORTS = TableSpec(
    "reports",
    "One row per unique document text in the archive (reports and look-alikes).",
    (
        Column("report_id", pa.string(), "SHA-256 of the normalized main text; the dedup key", required=True),
        Column("is_report", pa.bool_(), "true for a 政府信息公开工作年度报告, false for a look-alike", required=True),
        Column("agency", pa.string(), "issuing body as written in the report; null if not stated"),
        Column("region", pa.string(), "administrative area as far as the agency name states it"),
        Column("level", pa.string(), "province, city, county, district, department, township or subdistrict"),
        Column("year", pa.int32(), "reporting year, from title or text (never from the URL date)"),
        Column("published", pa.date32(), "posting date the page states (metadata, 发布时间 line), never the signature"),
        Column("signed", pa.date32(), "date under the report's signature, when printed"),
        Column("format", pa.string(), "pre2019/2019/2021 by the tables' template, else by the year; or unknown"),
        Column("title", pa.string(), "title as printed"),
        Column("source_url", pa.string(), "URL the record was first archived from"),
        Column("page_url", pa.string(), "for an attachment: the article page that linked it"),
        Column("fetched_at", pa.string(), "when the body was fetched (ISO 8601, UTC)"),
        Column("portal", pa.string(), "name of the portal crawled"),
        Column("region_code", pa.string(), "GB/T 2260 code of the portal's county today (an old code's successor)"),
        Column("province", pa.string(), "province of region_code (省级)"),
        Column("prefecture", pa.string(), "prefecture of region_code (地级; 市辖区 or 省直辖县级行政单位 where none)"),
        Column("county", pa.string(), "county-level division of region_code (区/县/县级市/旗)"),
        Column("also_seen_count", pa.int32(), "number of other URLs serving the same text"),
        Column("checks_passed", pa.int32(), "consistency checks that hold"),
        Column("checks_failed", pa.int32(), "consistency checks that fail (findings, not repaired)"),
        Column("raw_sha256", pa.string(), "SHA-256 of the fetched body; archive key raw/sha256/aa/bb/<sha>"),
        Column("warc_file", pa.string(), "WARC file holding the response record, when captured"),
        Column("warc_offset", pa.int64(), "byte offset of that record in the WARC file"),
        Column("text_key", pa.string(), "archive key of the cleaned main text (text/<report_id>.txt)"),
        Column("text", pa.string(), "the cleaned main text (Parquet, JSON Lines and SQLite; not in CSV)",
               in_csv=False),
    ),
    ("report_id",),
)

STATS = TableSpec(
    "stats",
    "Long form: one row per statistic of a report, keys as docs/FORMATS.md 'Stats keys' defines them.",
    (
        Column("report_id", pa.string(), "the report the value belongs to", required=True),
        Column("key", pa.string(), "row path and column joined by '/', ordinals stripped", required=True),
        Column("table", pa.string(), "表二, 表三, 表四 (2019/2021 formats), 统计表 (pre-2019) or narrative"),
        Column("row", pa.string(), "row path of the key"),
        Column("column", pa.string(), "column of the key (null for narrative statistics)"),
        Column("value", pa.float64(), "the number, when the printed value is certainly one; else null"),
        Column("raw", pa.string(), "the value as printed"),
        Column("unit", pa.string(), "unit printed with the value (元, 万元, 条 …), when there is one"),
    ),
    ("report_id", "key"),
)

CHECKS = TableSpec(
    "checks",
    "One row per consistency check of docs/FORMATS.md applied to a report.",
    (
        Column("report_id", pa.string(), "the report checked", required=True),
        Column("name", pa.string(), "which check (docs/FORMATS.md 'Consistency checks')", required=True),
        Column("scope", pa.string(), "the column or row the check applies to"),
        Column("expected", pa.float64(), "value the check expects"),
        Column("actual", pa.float64(), "value printed in the report"),
        Column("ok", pa.bool_(), "whether the two agree"),
    ),
    ("report_id", "name", "scope"),
)

TABLES = (REPORTS, STATS, CHECKS)


def wide_spec(fmt: str) -> TableSpec:
    """``wide_<fmt>``: one row per report of that format, one numeric column per key of its form."""
    keys = tuple(Column(k.key, pa.float64(), k.meaning) for k in form_keys(fmt))
    return TableSpec(
        f"wide_{fmt}",
        f"Wide view of the {fmt} reports: one row per report (is_report and format {fmt}), one column per "
        "stats key of the form (docs/DATA.md 'Stats keys'); null where the report prints no number.",
        (REPORTS.columns[0], REPORTS.columns[2], REPORTS.columns[5], *keys),
        ("report_id",),
    )


WIDE_TABLES = tuple(wide_spec(fmt) for fmt in FORMATS)
