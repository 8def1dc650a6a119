"""End to end with real Chromium: portals behind 瑞数/加速乐 challenges and a JavaScript-built 年报 list,
served by the farm server (real HTTP on 127.0.0.1, also the crawler's and the browser's proxy)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sampleportal.farm.challenge import JIASULE, RUISHU, ChallengePortal
from sampleportal.farm.jsportal import JsListPortal
from sampleportal.farm.server import FarmServer
from tests.support.archive import records
from tests.support.cli import CLI_TIMEOUT, ROOT, run_cli

pytestmark = pytest.mark.browser  # real Chromium

RUISHU_PORTAL = ChallengePortal("www.ruishu.gov.test", RUISHU, reports=3, seed=41)
JIASULE_PORTAL = ChallengePortal("www.jiasule.gov.test", JIASULE, reports=2, seed=43)
JS_PORTAL = JsListPortal("www.jslist.gov.test", reports=7, seed=29)
PORTALS = {"ruishu": (RUISHU_PORTAL, "trs"), "jiasule": (JIASULE_PORTAL, "trs"), "jslist": (JS_PORTAL, "jslist")}
REGISTRY = """[[portal]]
name = "{name}"
home = "http://{host}/"
region_code = "99999{number}"
family = "{family}"
"""


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    """One crawl of the three portals through the farm: (farm, archive, stdout, run report by portal)."""
    root = tmp_path_factory.mktemp("browser")
    registry = root / "portals.toml"
    registry.write_text("\n".join(REGISTRY.format(name=name, host=app.host, number=n, family=family)
                                  for n, (name, (app, family)) in enumerate(PORTALS.items())), encoding="utf-8")
    with FarmServer([app for app, _ in PORTALS.values()]) as farm:
        result = run_cli("crawl", "--registry", str(registry), "--proxy", farm.url, "--archive", str(root / "archive"))
    assert result.returncode == 0, result.stdout + result.stderr
    run = json.loads(next((root / "archive").glob("runs/*.json")).read_text(encoding="utf-8"))
    return farm, root / "archive", result.stdout, {p["portal"]: p for p in run["portals"]}


@pytest.mark.parametrize("name", PORTALS)
def test_every_manifest_report_archived_with_its_stats_and_the_lookalike_recorded(crawl, name):
    _, archive, _, _ = crawl
    app, _ = PORTALS[name]
    by_url = {r["source"]["url"]: r for r in records(archive) if r["source"]["portal"] == name}
    truth = {entry["url"]: entry for entry in app.manifest()}
    assert {url for url, r in by_url.items() if r["is_report"]} == set(truth)
    for url, entry in truth.items():
        record = by_url[url]
        assert (record["year"], record["format"], record["stats"]) == (entry["year"], entry["format"], entry["stats"])
    (lookalike,) = [r for r in by_url.values() if not r["is_report"]]
    assert "工作要点" in lookalike["title"]


@pytest.mark.parametrize("name", ["ruishu", "jiasule"])
def test_one_browser_page_passes_a_challenge_and_its_cookies_serve_the_rest(crawl, name):
    farm, _, _, portals = crawl
    app, _ = PORTALS[name]
    stats = portals[name]["stats"]
    assert portals[name]["counts"]["browser_pages"] == stats["playwright/page_count"] == 1
    assert (stats["nianbao/challenges"], stats["nianbao/challenges_passed"]) == (1, 1)
    requests = [r for r in farm.received if r.host == app.host]
    challenged = [r.path for r in requests if not app.passed(r.headers.get("cookie", ""))]
    # The first request (robots.txt) plain, then its first load in Chromium: the only two challenged.
    assert challenged == ["/robots.txt", "/robots.txt"]
    assert len(requests) == 2 + 1 + 1 + len(app.pages)  # + Chromium's reload + the plain retry + every page


def test_js_list_pages_alone_are_rendered(crawl):
    farm, _, _, portals = crawl
    counts, stats = portals["jslist"]["counts"], portals["jslist"]["stats"]
    assert counts["browser_pages"] == stats["playwright/page_count"] == JS_PORTAL.page_count == 3
    assert "nianbao/challenges" not in stats
    paths = [r.path for r in farm.received if r.host == JS_PORTAL.host]
    assert paths.count("/api/list") == paths.count("/js/list.js") == 3  # run by Chromium only
    articles = [a.path for a in JS_PORTAL.articles]
    assert sorted(p for p in paths if p in articles) == sorted(articles)  # each fetched once, plainly


def test_no_other_host_is_asked_and_the_summary_counts_browser_pages(crawl):
    farm, _, stdout, portals = crawl
    assert {r.host for r in farm.received} == {app.host for app, _ in PORTALS.values()}
    assert "  browser pages        5" in stdout.splitlines()
    for portal in portals.values():  # every page closed once read
        assert portal["stats"]["playwright/page_count/closed"] == portal["stats"]["playwright/page_count"]
    assert sum(p["counts"]["errors"] for p in portals.values()) == 0


def test_without_escalation_plain_scrapy_gets_only_the_challenge(tmp_path):
    with FarmServer([RUISHU_PORTAL]) as farm:
        result = subprocess.run(
            [sys.executable, "-m", "scrapy", "crawl", "trs", "-a", f"start_url=http://{RUISHU_PORTAL.host}/",
             "-s", f"NIANBAO_ARCHIVE_URI={tmp_path}", "-s", f"NIANBAO_PROXY={farm.url}",
             "-s", "NIANBAO_BROWSER_ESCALATION=False"],
            capture_output=True, text=True, timeout=CLI_TIMEOUT, cwd=ROOT, check=False)
    assert result.returncode == 0, result.stderr
    assert [(r.path, r.headers.get("cookie")) for r in farm.received] == [
        ("/robots.txt", None), ("/", f"{RUISHU.issued}={RUISHU_PORTAL.nonce}")]  # the jar holds only the nonce
    assert "'downloader/response_status_count/412': 2" in result.stderr
    assert "cannot fetch start URL" in result.stderr and "nianbao/browser_pages" not in result.stderr
    assert "Starting download handler" not in result.stderr  # Playwright itself never started
    assert not list(Path(tmp_path).glob("reports/*/*.json"))


def test_a_missing_chromium_fails_only_the_pages_that_need_it(tmp_path):
    portal = JsListPortal("www.nochromium.gov.test", reports=2)
    with FarmServer([portal]) as farm:
        result = subprocess.run(
            [sys.executable, "-m", "scrapy", "crawl", "jslist", "-a", f"start_url=http://{portal.host}/",
             "-s", f"NIANBAO_ARCHIVE_URI={tmp_path}", "-s", f"NIANBAO_PROXY={farm.url}"],
            capture_output=True, text=True, timeout=CLI_TIMEOUT, cwd=ROOT, check=False,
            env={**os.environ, "NIANBAO_CHROMIUM": str(tmp_path / "no-chromium")})
    assert result.returncode == 0, result.stderr
    assert f"no Chromium at {tmp_path / 'no-chromium'}: apt-get install chromium" in result.stderr
    assert [r.path for r in farm.received] == ["/robots.txt", "/"]  # the home page still fetched plainly
    assert "'nianbao/fetch_errors': 1" in result.stderr
