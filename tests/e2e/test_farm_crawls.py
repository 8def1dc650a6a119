"""Farm crawls beyond the happy path: a portal of unknown family (fingerprinted from its home page) and a
portal that fails, resets, throttles and stalls; recall stays complete in both."""

from __future__ import annotations

import json

from sampleportal.farm.farmfile import crawler_registry, load_entries
from sampleportal.farm.faults import FaultPlan, Faults
from sampleportal.farm.server import FarmServer
from sampleportal.farm.trs import OFFSITE_LINK
from spiders.generic import MAX_LIST_PAGES
from tests.support.archive import records
from tests.support.cli import run_cli
from tests.support.farm import farm_apps, missing_reports, write_registry


def test_portal_without_family_is_fingerprinted_and_fully_crawled(tmp_path):
    apps = farm_apps(units=3, years=range(2019, 2022))
    (hexi,) = [app for app in apps if app.family == "hanweb"]
    with FarmServer(apps) as farm:
        result = run_cli("crawl", f"http://{hexi.host}/", "--portal", "hexi", "--proxy", farm.url,
                         "--archive", str(tmp_path / "archive"))
    assert result.returncode == 0, result.stderr
    assert missing_reports(hexi.manifest(), records(tmp_path / "archive")) == []
    run = json.loads(next((tmp_path / "archive").glob("runs/*.json")).read_text(encoding="utf-8"))
    assert run["portals"][0]["stats"]["nianbao/family"] == "hanweb"
    assert {host for host, _ in farm.requests} == {hexi.host}


def test_faults_are_retried_until_every_report_is_found(tmp_path):
    apps = farm_apps(units=3, years=range(2018, 2022))
    (qingshan,) = [app for app in apps if app.family == "trs"]
    plan = FaultPlan(per_host={qingshan.host: Faults(delay=0.01, errors=0.15, resets=0.1, throttle=0.1, seed=3)})
    registry = write_registry(tmp_path / "registry.toml", ["qingshan"])
    with FarmServer(apps, plan) as farm:
        result = run_cli("crawl", "--registry", str(registry), "--proxy", farm.url, "--archive", str(tmp_path / "a"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert missing_reports(qingshan.manifest(), records(tmp_path / "a")) == []
    run = json.loads(next((tmp_path / "a").glob("runs/*.json")).read_text(encoding="utf-8"))
    stats = run["portals"][0]["stats"]
    assert stats.get("retry/count", 0) >= 5  # the faults did hit
    # The off-portal 301 failed once first: its retry (dont_filter) redirected still stays on the portal.
    assert farm.requests.count((qingshan.host, OFFSITE_LINK)) == 2 and stats["nianbao/offsite_redirects"] == 1
    assert {host for host, _ in farm.requests} == {qingshan.host}


def test_generic_spider_walks_a_portal_by_link_text_within_bounds(tmp_path):
    apps = farm_apps(units=3, years=range(2018, 2022))
    (rongkun,) = [app for app in apps if app.family == "querystring"]
    registry = tmp_path / "registry.toml"
    registry.write_text(crawler_registry([dict(e, family="generic") for e in load_entries(browser=False)
                                          if e["name"] == "rongkun"]), encoding="utf-8")
    with FarmServer(apps) as farm:
        result = run_cli("crawl", "--registry", str(registry), "--proxy", farm.url, "--archive", str(tmp_path / "a"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert missing_reports(rongkun.manifest(), records(tmp_path / "a")) == []
    lists = [path for _, path in farm.requests if path.startswith("/list.aspx")]
    assert len(lists) <= 2 * (MAX_LIST_PAGES + 1) and not [p for p in lists if "order=" in p]


def test_pending_requests_wait_on_disk_and_their_directory_goes_with_the_crawl(tmp_path):
    apps = farm_apps(units=3, years=range(2019, 2022))
    (hexi,) = [app for app in apps if app.family == "hanweb"]
    registry = write_registry(tmp_path / "registry.toml", ["hexi"])
    frontier = tmp_path / "frontier"
    frontier.mkdir()
    with FarmServer(apps) as farm:
        result = run_cli("crawl", "--registry", str(registry), "--proxy", farm.url, "--archive", str(tmp_path / "a"),
                         "-s", f"NIANBAO_FRONTIER_DIR={frontier}")
    assert result.returncode == 0, result.stdout + result.stderr
    assert missing_reports(hexi.manifest(), records(tmp_path / "a")) == []
    stats = json.loads(next((tmp_path / "a").glob("runs/*.json")).read_text(encoding="utf-8"))["portals"][0]["stats"]
    assert stats["scheduler/enqueued/disk"] == stats["scheduler/enqueued"] > 20
    assert "scheduler/enqueued/memory" not in stats
    assert list(frontier.iterdir()) == []
