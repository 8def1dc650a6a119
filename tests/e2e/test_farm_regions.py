"""Crawls selected by region: farm portals registered under the real codes of 湖州市 (five counties, five
CMS families) crawled with ``--region`` in one run, through the national registry they override."""

from __future__ import annotations

import csv
import json

import pytest

from crawler.regions import divisions
from sampleportal.farm.farmfile import build_apps, crawler_registry, regional_entries
from sampleportal.farm.server import FarmServer
from tests.support.archive import records
from tests.support.cli import run_cli
from tests.support.farm import missing_reports

pytestmark = pytest.mark.slow  # a prefecture of farm portals crawled

HUZHOU = [code for code in divisions().counties() if code.startswith("3305")]
YEARS = range(2019, 2022)


@pytest.fixture(scope="module")
def huzhou(tmp_path_factory):
    root = tmp_path_factory.mktemp("regions")
    entries = regional_entries(HUZHOU)
    apps = build_apps(entries, seed=7, units=2, years=YEARS)
    registry = root / "huzhou.toml"
    registry.write_text(crawler_registry(entries), encoding="utf-8")
    with FarmServer(apps) as farm:
        crawl = run_cli("crawl", "--registry", str(registry), "--region", "湖州市", "--archive", str(root / "a"),
                        "--proxy", farm.url, "-s", "NIANBAO_PORTALS_AT_ONCE=2")  # the next starts as one ends
        hosts = {host for host, _ in farm.requests}
        backfill = run_cli("backfill", "--registry", str(registry), "--region", "330502", "--years", "2020-2020",
                           "--archive", str(root / "b"), "--state-dir", str(root / "state"), "--proxy", farm.url)
    assert crawl.returncode == 0, crawl.stdout + crawl.stderr
    assert backfill.returncode == 0, backfill.stdout + backfill.stderr
    manifest = [item for app in apps for item in app.manifest()]
    return root, manifest, hosts


def test_a_prefecture_is_crawled_in_one_run_with_every_report(huzhou):
    root, manifest, hosts = huzhou
    assert len(HUZHOU) == 5 and hosts == {f"www.c{code}.gov.test" for code in HUZHOU}
    (run,) = [json.loads(p.read_text(encoding="utf-8")) for p in (root / "a").glob("runs/*.json")]
    assert sorted(p["portal"] for p in run["portals"]) == HUZHOU and not run["portals_failed"]
    archived = records(root / "a")
    assert missing_reports(manifest, archived) == []
    for record in archived:
        source = record["source"]
        assert source["region_code"] == source["portal"] and source["region_code"] in HUZHOU
        assert (source["province"], source["prefecture"]) == ("浙江省", "湖州市")
        assert source["county"] == divisions().in_use[source["region_code"]].name


def test_backfill_of_one_county_by_code(huzhou):
    root, manifest, _ = huzhou
    (run,) = [json.loads(p.read_text(encoding="utf-8")) for p in (root / "b").glob("runs/*.json")]
    assert [p["portal"] for p in run["portals"]] == ["330502"]
    wanted = [m for m in manifest if m["portal"] == "330502" and m["year"] == 2020]
    assert wanted and missing_reports(wanted, records(root / "b")) == []


def test_the_export_carries_the_region(huzhou):
    root, _, _ = huzhou
    out = root / "export"
    result = run_cli("export", "--archive", str(root / "a"), "--format", "csv", "--out", str(out))
    assert result.returncode == 0, result.stderr
    with (out / "reports.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows and {(r["province"], r["prefecture"]) for r in rows} == {("浙江省", "湖州市")}
    assert {r["region_code"] for r in rows} == set(HUZHOU)
    assert all(r["county"] == divisions().in_use[r["region_code"]].name for r in rows)


def test_province_coverage_groups_counties_by_prefecture(huzhou):
    root, _, _ = huzhou
    out = root / "coverage"
    result = run_cli("coverage", "--region", "浙江省", "--archive", str(root / "a"), "--years", "2019-2021",
                     "--out", str(out))
    assert result.returncode == 0, result.stderr
    lines = {line.split()[0]: line.split()[1:] for line in result.stdout.splitlines()[1:-1]}
    assert len(lines) == 11 + 1  # 浙江's eleven prefectures and the province
    assert lines["湖州市"] == ["5", "5", "5", "5", "5"]  # counties, crawled, with a report in 2019, 2020, 2021
    assert lines["杭州市"] == ["13", "0", "0", "0", "0"]
    assert lines["浙江省"] == ["total", "90", "5", "5", "5", "5"]
    gaps = json.loads((out / "gaps.json").read_text(encoding="utf-8"))
    assert len(gaps) == 85 * 3 and {g["status"] for g in gaps} == {"not crawled"}
    page = (out / "coverage.html").read_text(encoding="utf-8")
    assert page.count('<tr class="prefecture">') == 11 and page.count("<small>33") == 90
    assert (out / "coverage.png").read_bytes().startswith(b"\x89PNG")
