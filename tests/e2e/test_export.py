"""Export, data dictionary and coverage: unit checks and end to end on a crawled sample-portal archive."""

from __future__ import annotations

import json
import random
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from crawler.core.forms import FORMATS, form_keys
from crawler.core.parsing import parse_report
from crawler.export.coverage import FOUND, LOOKALIKE_ONLY, MISSING, build_coverage
from crawler.export.datadict import render
from crawler.export.exporter import export
from crawler.export.rows import split_stat_key, unit_of
from sampleportal.reportgen import generate
from storage import LocalStorage
from tests.support.cli import ROOT, run_cli, seed_truth

README_QUERY_MARK = "-- applications received per region and year"


def synthetic_record(report_id: str, region: str, year: int, received: int | None, *, is_report=True) -> dict:
    return {
        "schema": "nianbao.report/1", "report_id": report_id, "is_report": is_report, "title": f"{region}{year}年报",
        "agency": f"{region}人民政府", "region": region, "level": "county", "year": year, "published": None,
        "format": "2021",
        "stats": {"本年新收政府信息公开申请数量/总计": received, "行政许可/本年处理决定数量": 3,
                  "行政事业性收费/本年收费金额（单位：万元）": 1.5},
        "cells": [{"table": "表二", "row": "行政事业性收费", "col": "本年收费金额（单位：万元）", "raw": "1.5万元"}],
        "checks": [{"name": "表三 一+二=七+四", "scope": "总计", "expected": 5, "actual": 5, "ok": True},
                   {"name": "表四 总计", "scope": "行政复议", "expected": 2, "actual": 3, "ok": False}],
        "text": "…", "source": {"url": f"http://x.test/{report_id}", "portal": region, "raw_sha256": "0" * 64},
        "also_seen_at": [],
    }


def write_records(root: Path, records: list[dict]) -> LocalStorage:
    store = LocalStorage(root)
    for record in records:
        store.put(f"reports/{record['year']}/{record['report_id']}.json",
                  json.dumps(record, ensure_ascii=False).encode("utf-8"), replace=True)
    return store


@pytest.mark.parametrize(
    ("key", "fmt", "expected"),
    [
        ("本年新收政府信息公开申请数量/总计", "2021", ("表三", "本年新收政府信息公开申请数量", "总计")),
        ("本年度办理结果/不予公开/属于三类内部事务信息/自然人", "2021",
         ("表三", "本年度办理结果/不予公开/属于三类内部事务信息", "自然人")),
        ("本年度办理结果/总计/总计", "2019", ("表三", "本年度办理结果/总计", "总计")),
        ("行政诉讼/未经复议直接起诉/总计", "2021", ("表四", "行政诉讼/未经复议直接起诉", "总计")),
        ("行政复议/结果维持", "2019", ("表四", "行政复议", "结果维持")),
        ("行政许可/本年增/减", "2019", ("表二", "行政许可", "本年增/减")),
        ("规章/本年制发件数", "2021", ("表二", "规章", "本年制发件数")),
        ("（一）主动公开政府信息数/历年累计", "pre2019", ("统计表", "（一）主动公开政府信息数", "历年累计")),
        ("收到政府信息公开申请数", "unknown", ("narrative", "收到政府信息公开申请数", None)),
    ],
)
def test_stats_keys_split_as_formats_md_defines(key, fmt, expected):
    assert split_stat_key(key, fmt) == expected


def test_units_kept_from_the_printed_value():
    assert unit_of("251000元") == "元" and unit_of("4.651万元") == "万元" and unit_of("1,200 条") == "条"
    assert unit_of("+1036") is None and unit_of("0") is None and unit_of("—") is None


def test_long_form_stats_and_checks(tmp_path):
    store = write_records(tmp_path / "a", [synthetic_record("r1", "甲县", 2021, 7)])
    export(store, tmp_path / "out", "parquet")
    stats = pq.read_table(tmp_path / "out" / "stats.parquet").to_pylist()
    fee = next(s for s in stats if s["key"].startswith("行政事业性收费"))
    assert (fee["table"], fee["value"], fee["raw"], fee["unit"]) == ("表二", 1.5, "1.5万元", "万元")
    reports = pq.read_table(tmp_path / "out" / "reports.parquet").to_pylist()
    assert (reports[0]["checks_passed"], reports[0]["checks_failed"]) == (1, 1)
    checks = pq.read_table(tmp_path / "out" / "checks.parquet").to_pylist()
    assert [(c["scope"], c["ok"]) for c in checks] == [("总计", True), ("行政复议", False)]


def test_readme_duckdb_query_answers_applications_per_region_and_year(tmp_path):
    store = write_records(tmp_path / "a", [
        synthetic_record("r1", "甲县", 2020, 7), synthetic_record("r2", "甲县", 2021, 9),
        synthetic_record("r3", "乙县", 2021, None), synthetic_record("r4", "乙县", 2021, 4, is_report=False),
    ])
    out = tmp_path / "out"
    export(store, out, "parquet")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    query = readme.split(README_QUERY_MARK, 1)[1].split("```", 1)[0]
    rows = duckdb.connect().execute(query.replace("export/", f"{out}/")).fetchall()
    assert rows == [("乙县", 2021, None), ("甲县", 2020, 7.0), ("甲县", 2021, 9.0)]


def test_same_archive_gives_byte_identical_exports(crawled_archive, tmp_path):
    store = LocalStorage(crawled_archive)
    for fmt in ("parquet", "csv", "jsonl"):
        first, second = tmp_path / f"{fmt}1", tmp_path / f"{fmt}2"
        export(store, first, fmt)
        export(store, second, fmt)
        for name in ("reports", "stats", "checks"):
            assert (first / f"{name}.{fmt}").read_bytes() == (second / f"{name}.{fmt}").read_bytes()
    reports = pq.read_table(tmp_path / "parquet1" / "reports.parquet").to_pylist()
    assert len(reports) == 12 and sum(r["is_report"] for r in reports) == 10
    lines = (tmp_path / "jsonl1" / "reports.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["report_id"] for line in lines] == sorted(r["report_id"] for r in reports)


def test_csv_bom_for_excel(crawled_archive, tmp_path):
    export(LocalStorage(crawled_archive), tmp_path, "csv", bom=True)
    data = (tmp_path / "reports.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbfreport_id,is_report,agency")
    assert "陶然亭街道" in data.decode("utf-8-sig")


def test_incremental_export_writes_only_what_changed(tmp_path):
    root = tmp_path / "a"
    store = write_records(root, [synthetic_record("r1", "甲县", 2020, 7), synthetic_record("r2", "甲县", 2021, 9)])
    out = tmp_path / "out"
    assert export(store, out, "csv", since_last=True).changed == 2
    again = export(store, out, "csv", since_last=True)
    assert (again.changed, again.changes_dir) == (0, None)
    write_records(root, [synthetic_record("r2", "甲县", 2021, 10)])
    third = export(store, out, "csv", since_last=True)
    assert third.changed == 1 and third.changes_dir == out / "changes" / "0002"
    assert "r2" in (third.changes_dir / "reports.csv").read_text(encoding="utf-8")
    assert "r1" not in (third.changes_dir / "reports.csv").read_text(encoding="utf-8")


def test_coverage_matrix():
    records = [synthetic_record("r1", "甲县", 2019, 1), synthetic_record("r2", "甲县", 2021, 1, is_report=False),
               synthetic_record("r3", "乙县", 2021, 1)]
    coverage = build_coverage(records, 2019, 2021)
    assert coverage.portals == ("乙县", "甲县") and coverage.years == (2019, 2020, 2021)
    assert [coverage.cells["甲县", y] for y in coverage.years] == [FOUND, MISSING, LOOKALIKE_ONLY]
    assert [coverage.cells["乙县", y] for y in coverage.years] == [MISSING, MISSING, FOUND]
    assert len(coverage.gaps()) == 4


def test_coverage_command_end_to_end(crawled_archive, tmp_path):
    result = run_cli("coverage", "--archive", str(crawled_archive), "--out", str(tmp_path), "--years", "2013-2016")
    assert result.returncode == 0, result.stderr
    assert "1 portals × 4 years; 2 gaps" in result.stdout
    png = (tmp_path / "coverage.png").read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 5000
    gaps = json.loads((tmp_path / "gaps.json").read_text(encoding="utf-8"))
    assert gaps == [{"portal": "www.yangli.gov.test", "year": 2013, "status": MISSING},
                    {"portal": "www.yangli.gov.test", "year": 2014, "status": MISSING}]
    assert "<th>2016</th>" in (tmp_path / "coverage.html").read_text(encoding="utf-8")


def test_export_of_an_empty_archive_is_refused(tmp_path):
    result = run_cli("export", "--archive", str(tmp_path / "none"), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert result.stderr.strip().startswith("error: no report records in archive")


def test_data_dictionary_matches_the_code():
    assert (ROOT / "docs" / "DATA.md").read_text(encoding="utf-8") == render()


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_stats_key_of_a_standard_report_is_in_the_data_dictionary(fmt):
    """The generator prints the forms, the parser reads them back: both stay inside forms.form_keys."""
    documented = {k.key: k.table for k in form_keys(fmt)}
    seen: set[str] = set()
    for seed in range(12):
        report = generate(random.Random(seed), fmt)
        parsed = parse_report(*_text_and_grids(report))
        assert set(report.stats) <= set(documented)
        assert set(parsed.stats) == set(report.stats)
        seen |= set(parsed.stats)
    assert {split_stat_key(key, fmt)[0] for key in seen} == {documented[key] for key in seen}
    assert len(seen) > 0.6 * len(documented)


def test_the_2019_seed_keys_are_the_forms():
    truth = seed_truth()
    pengxi = truth["001_5e7b7750513ba6ef.txt"]
    assert set(pengxi["stats"]) <= {k.key for k in form_keys("2019")}


def _text_and_grids(report):
    from crawler.core.extraction import extract

    extracted = extract(report.html())
    return extracted.text, extracted.tables


def test_wide_view_has_one_column_per_form_key(tmp_path):
    report = generate(random.Random(3), "2021")
    text, grids = _text_and_grids(report)
    parsed = parse_report(text, grids)
    record = synthetic_record("w1", "甲县", report.year, None) | {"stats": parsed.stats, "format": "2021"}
    store = write_records(tmp_path / "a", [record, synthetic_record("w2", "乙县", 2021, 5, is_report=False)])
    export(store, tmp_path / "out", "parquet")
    table = pq.read_table(tmp_path / "out" / "wide_2021.parquet")
    assert table.column_names[:3] == ["report_id", "agency", "year"]
    assert table.column_names[3:] == [k.key for k in form_keys("2021")]
    (row,) = table.to_pylist()
    expected = {k: (float(v) if v is not None else None) for k, v in report.stats.items()}
    assert {k: row[k] for k in expected} == expected
    assert pq.read_table(tmp_path / "out" / "wide_2019.parquet").num_rows == 0
