"""Incremental crawls of the portal farm (five CMS families): a new year archives exactly its reports,
an unchanged farm costs a few per cent of a full crawl's bytes and archives nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.support.archive import records
from tests.support.farm import crawl, farm_apps, urls_of, write_registry

pytestmark = pytest.mark.slow  # the farm crawled three times

UNITS, YEARS = 4, range(2008, 2022)  # every family's lists run to two pages and more


def report_urls(archive: Path) -> dict[str, int]:
    """Each archived report's URLs (as listed, after redirects, and copies) → its year."""
    return {url: record["year"] for record in records(archive) if record["is_report"] for url in urls_of(record)}


@pytest.fixture(scope="module")
def first_crawl(tmp_path_factory):
    root = tmp_path_factory.mktemp("farm-incremental")
    registry = write_registry(root / "registry.toml")
    run = crawl(farm_apps(UNITS, YEARS), registry, root / "archive")
    return root, registry, run


def test_an_unchanged_farm_costs_under_five_percent_and_archives_nothing(first_crawl, tmp_path):
    root, registry, full = first_crawl
    archive = tmp_path / "archive"
    shutil.copytree(root / "archive", archive)
    again = crawl(farm_apps(UNITS, YEARS), registry, archive)
    assert again["counts"]["bytes_received"] <= 0.05 * full["counts"]["bytes_received"], (again, full)
    assert again["counts"]["objects_written"] == 0 and again["counts"]["records_new"] == 0
    # Every family's spider stopped paging at its first list page of known articles (the look-back).
    stopped = {p["portal"]: p["stats"].get("nianbao/paging_stopped", 0) for p in again["portals"]}
    assert all(stopped.values()) and set(stopped) == {p["portal"] for p in full["portals"]}, stopped


def test_a_new_year_on_the_farm_archives_exactly_its_reports(first_crawl, tmp_path):
    root, registry, _ = first_crawl
    archive = tmp_path / "archive"
    shutil.copytree(root / "archive", archive)
    before = report_urls(archive)
    apps = farm_apps(UNITS, range(YEARS.start, YEARS.stop + 1))
    crawl(apps, registry, archive)
    added = {url: year for url, year in report_urls(archive).items() if url not in before}
    manifest = [m for app in apps for m in app.manifest() if m["year"] == YEARS.stop]
    new_year = {m["url"] for m in manifest}
    moved = {m.get("moved_from") for m in manifest} - {None}
    assert new_year and set(added) - moved == new_year
    assert set(added.values()) == {YEARS.stop}
