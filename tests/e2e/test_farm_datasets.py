"""Datasets end to end on the portal farm: the crawled archive exported and mapped, checked against the
farm's ground-truth manifest (what researchers would see, number for number)."""

from __future__ import annotations

import json
from collections import Counter

import duckdb
import pytest

from sampleportal.farm.server import FarmServer
from tests.support.cli import ROOT, run_cli, seed_truth
from tests.support.farm import farm_apps, write_registry

APPLICATIONS = "本年新收政府信息公开申请数量/总计"
YEARS = range(2015, 2022)


@pytest.fixture(scope="module")
def farm_archive(tmp_path_factory):
    apps = farm_apps(units=2, years=YEARS)
    root = tmp_path_factory.mktemp("farm-datasets")
    registry = write_registry(root / "registry.toml")
    with FarmServer(apps) as farm:
        result = run_cli("crawl", "--registry", str(registry), "--archive", str(root / "archive"), "--proxy", farm.url)
    assert result.returncode == 0, result.stdout + result.stderr
    return [item for app in apps for item in app.manifest()], root / "archive"


def test_coverage_of_the_farm_is_its_manifest(farm_archive, tmp_path):
    manifest, archive = farm_archive
    result = run_cli("coverage", "--archive", str(archive), "--out", str(tmp_path), "--years", "2008-2024")
    assert result.returncode == 0, result.stderr
    portals = {item["portal"] for item in manifest}
    assert f"{len(portals)} portals × 17 years" in result.stdout
    gaps = json.loads((tmp_path / "gaps.json").read_text(encoding="utf-8"))
    every = {(portal, year) for portal in portals for year in range(2008, 2025)}
    found = every - {(gap["portal"], gap["year"]) for gap in gaps}
    assert found == {(item["portal"], item["year"]) for item in manifest}
    assert (tmp_path / "coverage.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


def test_readme_query_on_the_farm_export_gives_the_manifest_numbers(farm_archive, tmp_path):
    manifest, archive = farm_archive
    out = tmp_path / "export"
    assert run_cli("export", "--format", "parquet", "--archive", str(archive), "--out", str(out)).returncode == 0
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    query = readme.split("-- applications received per region and year", 1)[1].split("```", 1)[0]
    rows = duckdb.connect().execute(query.replace("export/", f"{out}/")).fetchall()
    truth = seed_truth()
    stats = [(item["year"], truth[item["seed"]]["stats"] if item.get("seed") else item.get("stats") or {})
             for item in manifest]  # a seed's numbers are its hand-checked truth
    expected = Counter((year, values[APPLICATIONS]) for year, values in stats if values.get(APPLICATIONS) is not None)
    assert len(expected) > 10
    assert Counter((year, int(value)) for _, year, value in rows if value is not None) == expected
    reports = duckdb.connect().execute(
        f"SELECT count(*), count(DISTINCT report_id) FROM '{out}/reports.parquet' WHERE is_report").fetchone()
    assert reports[0] == reports[1] == len({item["url"] for item in manifest}) - _republished(manifest)


def _republished(manifest: list[dict]) -> int:
    """Copies of one report on several portals: one row in the export, several in the manifest."""
    seeds = Counter(item.get("seed") for item in manifest if item.get("seed"))
    return sum(count - 1 for count in seeds.values())


def test_export_of_the_farm_is_byte_identical_twice(farm_archive, tmp_path):
    _, archive = farm_archive
    for name in ("a", "b"):
        assert run_cli("export", "--format", "csv", "--archive", str(archive), "--out", str(tmp_path / name)
                       ).returncode == 0
    files = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert files and all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files)
