"""The exported datasets describe themselves (datapackage.json) and open in the tools researchers use:
a Frictionless validator on the CSV export, DuckDB on Parquet, Datasette on the SQLite file."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from contextlib import closing

import pyarrow.parquet as pq
from datasette.app import Datasette
from frictionless import Package

from crawler.export.schema import REPORTS
from tests.support.archive import records
from tests.support.cli import run_cli


def test_csv_export_is_a_valid_data_package(crawled_archive, tmp_path):
    out = tmp_path / "csv"
    assert run_cli("export", "--format", "csv", "--archive", str(crawled_archive), "--out", str(out)).returncode == 0
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    reports = next(r for r in package["resources"] if r["name"] == "reports")
    names = [field["name"] for field in reports["schema"]["fields"]]
    assert "text" not in names and {"text_key", "signed", "fetched_at", "page_url"} <= set(names)
    assert reports["schema"]["fields"][0] == {"name": "report_id", "type": "string", "constraints": {"required": True},
                                              "description": REPORTS.columns[0].meaning}
    report = Package(str(out / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]


def test_parquet_keeps_text_and_key_columns_not_null(crawled_archive, tmp_path):
    out = tmp_path / "parquet"
    assert run_cli("export", "--archive", str(crawled_archive), "--out", str(out)).returncode == 0
    table = pq.read_table(out / "reports.parquet")
    assert not table.schema.field("report_id").nullable and table.schema.field("year").nullable
    rows = {row["report_id"]: row for row in table.to_pylist()}
    archived = records(crawled_archive)
    assert len(rows) == len(archived)
    for record in archived:
        row = rows[record["report_id"]]
        assert row["text"] == record["text"] and row["text_key"] == f"text/{record['report_id']}.txt"
        assert (row["fetched_at"], row["page_url"]) == (record["source"]["fetched_at"], record["source"]["page_url"])
    assert any(row["page_url"] for row in rows.values())  # attachments name their article page
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    assert {r["path"] for r in package["resources"]} == {p.name for p in out.glob("*.parquet")}


def test_sqlite_export_searches_texts_through_datasette(crawled_archive, tmp_path):
    db_path = tmp_path / "nianbao.db"
    result = run_cli("export", "--format", "sqlite", "--archive", str(crawled_archive), "--out", str(db_path))
    assert result.returncode == 0, result.stderr
    archived = records(crawled_archive)
    with closing(sqlite3.connect(db_path)) as db:
        assert db.execute("SELECT count(*) FROM reports").fetchone()[0] == len(archived)
        notnull = {row[1]: row[3] for row in db.execute("PRAGMA table_info(reports)")}
        assert notnull["report_id"] == 1 and notnull["year"] == 0
    word = "陶然亭街道"  # in exactly the texts that name it
    expected = sorted(r["report_id"] for r in archived if word in r["text"] or word in (r["title"] or ""))
    assert expected

    async def query() -> tuple[list, list]:
        datasette = Datasette([str(db_path)])
        tables = (await datasette.client.get("/nianbao.json")).json()["tables"]
        found = (await datasette.client.get(f"/nianbao/reports.json?_search={word}&_shape=array&_col=report_id"))
        return tables, found.json()

    tables, found = asyncio.run(query())
    reports_table = next(t for t in tables if t["name"] == "reports")
    assert reports_table["fts_table"] == "reports_fts"
    assert sorted(row["report_id"] for row in found) == expected


def test_sqlite_refuses_since_last(crawled_archive, tmp_path):
    result = run_cli("export", "--format", "sqlite", "--since-last", "--archive", str(crawled_archive),
                     "--out", str(tmp_path / "x.db"))
    assert result.returncode == 2 and "--since-last" in result.stderr
