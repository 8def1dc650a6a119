"""Long report lists on the farm (60 units, 20+ list pages per column, every HTTP family): a first crawl
and the crawl after a new year is published archive every report, however deep the list runs."""

from __future__ import annotations

import json
import shutil

import pytest

from sampleportal.farm.farmfile import build_apps, crawler_registry, load_entries
from sampleportal.farm.server import FarmServer
from tests.support.archive import records
from tests.support.cli import run_cli
from tests.support.farm import SEED, crawl, missing_reports

pytestmark = pytest.mark.slow  # 60 units of long lists crawled twice: minutes

UNITS, YEARS, PAGE_SIZE = 60, range(2021, 2023), 2
ENTRIES = [{**entry, "page_size": PAGE_SIZE} for entry in load_entries(browser=False)]


def farm(years: range):
    return build_apps(ENTRIES, SEED, UNITS, years)


@pytest.fixture(scope="module")
def first(tmp_path_factory):
    root = tmp_path_factory.mktemp("long-lists")
    registry = root / "registry.toml"
    registry.write_text(crawler_registry(ENTRIES), encoding="utf-8")
    apps = farm(YEARS)
    return root, registry, apps, crawl(apps, registry, root / "archive")


def test_the_lists_are_long(first):
    _, _, apps, _ = first
    for app in apps:
        assert len(app.world.units) >= 60 and -(-len(app.main) // app.page_size) >= 20, app.config.name


def test_a_first_crawl_archives_every_report_of_a_long_list(first):
    root, _, apps, run = first
    manifest = [m for app in apps for m in app.manifest()]
    assert missing_reports(manifest, records(root / "archive")) == []
    assert run["counts"]["list_pages_skipped"] == 0


def test_after_a_new_year_every_report_is_archived(first, tmp_path):
    root, registry, _, _ = first
    archive = tmp_path / "archive"
    shutil.copytree(root / "archive", archive)
    apps = farm(range(YEARS.start, YEARS.stop + 1))
    crawl(apps, registry, archive)
    manifest = [m for app in apps for m in app.manifest()]
    assert any(m["year"] == YEARS.stop for m in manifest)
    assert missing_reports(manifest, records(archive)) == []


def test_links_past_the_depth_limit_are_counted_and_named(tmp_path):
    """A lowered DEPTH_LIMIT still walks every page of the list, and the links it cuts are reported."""
    entries = [e for e in ENTRIES if e["name"] == "qingshan"]
    registry = tmp_path / "registry.toml"
    registry.write_text(crawler_registry(entries), encoding="utf-8")
    apps = build_apps(entries, SEED, 4, range(2021, 2023))
    with FarmServer(apps) as server:
        result = run_cli("crawl", "--registry", str(registry), "--archive", str(tmp_path / "archive"),
                         "--proxy", server.url, "-s", "DEPTH_LIMIT=3")
        requests = list(server.requests)
    (run,) = [json.loads(p.read_text(encoding="utf-8")) for p in (tmp_path / "archive").glob("runs/*.json")]
    lists = {path for _, path in requests if "/index_" in path}
    assert len(lists) >= -(-len(apps[0].main) // PAGE_SIZE) - 1  # every page of the main column
    assert run["counts"]["links_too_deep"] > 0 and run["counts"]["list_pages_skipped"] == 0
    assert "links past DEPTH_LIMIT" in result.stdout
    assert "not fetched, deeper than DEPTH_LIMIT=3: http://www.qingshan.gov.test/" in result.stderr
