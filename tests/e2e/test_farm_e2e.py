"""End to end: the whole portal farm (five CMS families, real HTTP on 127.0.0.1) crawled through
``nianbao crawl --registry`` into an archive, checked against the farm's ground-truth manifest."""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from urllib.parse import urlsplit

import pytest

from sampleportal.farm.farmfile import load_entries
from sampleportal.farm.portal import FarmPortal
from sampleportal.farm.server import FarmServer
from sampleportal.farm.trs import OFFSITE_LINK, OFFSITE_TARGET
from tests.support.archive import records
from tests.support.cli import run_cli
from tests.support.farm import farm_apps, missing_reports, urls_of, write_registry

pytestmark = [pytest.mark.browser, pytest.mark.slow]  # real Chromium; the whole farm crawled for the module

FAMILIES = ("trs", "hanweb", "ucap", "gkmlpt", "querystring")


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    """The whole farm, the portals behind challenges and JavaScript included, crawled in one run."""
    apps = farm_apps(browser=True)
    root = tmp_path_factory.mktemp("farm")
    registry = write_registry(root / "farm-registry.toml", browser=True)
    with FarmServer(apps) as farm:
        result = run_cli("crawl", "--registry", str(registry), "--archive", str(root / "archive"), "--proxy", farm.url)
        requests = list(farm.requests)
    assert result.returncode == 0, result.stdout + result.stderr
    manifest = [item for app in apps for item in app.manifest()]
    (run,) = [json.loads(p.read_text(encoding="utf-8")) for p in (root / "archive").glob("runs/*.json")]
    return apps, manifest, records(root / "archive"), requests, run


def http_portals(apps):
    """The five HTTP-family portals (FarmPortal), without those that need a browser."""
    return [app for app in apps if isinstance(app, FarmPortal)]


def test_the_farm_has_seven_families(crawled):
    apps, _, _, _, _ = crawled
    families = {entry["name"]: entry["family"] for entry in load_entries()}
    assert len(apps) == 8 and {*FAMILIES, "jslist"} <= set(families.values())
    assert {type(app).__name__ for app in apps} >= {"ChallengePortal", "JsListPortal"}
    archived_by = {r["source"]["portal"] for r in crawled[2] if r["is_report"]}
    assert archived_by == {entry["name"] for entry in load_entries()}  # no portal's reports are another's copies


def test_the_browser_renders_only_the_pages_that_need_it(crawled):
    apps, _, _, _, run = crawled
    pages = {portal["portal"]: portal["counts"]["browser_pages"] for portal in run["portals"]}
    js = next(app for app in apps if type(app).__name__ == "JsListPortal")
    # One challenge page on each WAF portal (its cookie then serves plain requests), the JS list pages.
    assert pages == {**{app.config.name: 0 for app in http_portals(apps)},
                     "ruishu": 1, "jiasule": 1, "jslist": js.page_count}
    assert run["counts"]["browser_pages"] == 2 + js.page_count


def test_every_manifest_report_is_archived_as_a_report(crawled):
    _, manifest, archived, _, _ = crawled
    assert len(manifest) > 100
    assert missing_reports(manifest, archived) == []


@pytest.mark.parametrize("family", FAMILIES)
def test_each_family_spider_finds_all_its_portal_reports(crawled, family):
    apps, _, archived, requests, _ = crawled
    (app,) = [a for a in http_portals(apps) if a.family == family]
    manifest = list(app.manifest())
    kinds = Counter(item["kind"] for item in manifest)
    assert set(kinds) == {"html", "pdf", "docx", "doc", "xls", "xlsx"} and any("moved_from" in m for m in manifest)
    assert {item["format"] for item in manifest} == {"pre2019", "2019", "2021", "seed"}
    assert missing_reports(manifest, archived) == []
    own = [r for r in archived if r["source"]["portal"] == app.config.name]
    assert {r["source"]["kind"] for r in own if r["is_report"]} == set(kinds)
    assert any(host == app.host and path == "/robots.txt" for host, path in requests)


def test_no_lookalike_or_broken_page_is_archived_as_a_report(crawled):
    apps, manifest, archived, _, _ = crawled
    lookalikes = {url for app in apps for url in app.lookalikes()}
    by_url = {url: r for r in archived for url in urls_of(r)}
    assert lookalikes <= set(by_url), "every look-alike is recorded, not dropped"
    assert not [url for url in lookalikes if by_url[url]["is_report"]]
    truth = {u for m in manifest for u in (m["url"], m.get("moved_from"), *m.get("parts", ())) if u}
    assert not [r["source"]["url"] for r in archived if r["is_report"] and not urls_of(r) & truth]


def test_only_registry_hosts_are_requested_even_through_redirects(crawled):
    apps, _, _, requests, _ = crawled
    hosts = {host for host, _ in requests}
    assert hosts == {app.host for app in apps}
    assert ("www.qingshan.gov.test", OFFSITE_LINK) in requests  # it answered 301 to another host …
    assert urlsplit(OFFSITE_TARGET).hostname not in hosts  # … which was never asked


def test_traps_are_not_walked(crawled):
    _, _, _, requests, _ = crawled
    paths = [path for _, path in requests]
    assert not [p for p in paths if p.startswith("/xxgk/rili/")]  # robots.txt disallows the calendar
    assert not [p for p in paths if "order=" in p or "&t=" in p]  # re-sorted copies of the lists
    pages = [p for host, p in requests if host == "www.rongkun.gov.test" and p.startswith("/list.aspx")]
    assert len(pages) == len(set(pages)) <= 4  # "下一页" past the end is not followed
    http_hosts = {app.host for app in http_portals(crawled[0])}
    # Nothing fetched over and over (a WAF portal's robots.txt is asked plain, by Chromium, and again).
    assert max(Counter(r for r in requests if r[0] in http_hosts).values()) <= 2


def test_republished_report_is_one_record_with_both_urls(crawled):
    _, manifest, archived, _, _ = crawled
    copies = [m["url"] for m in manifest if m.get("seed") == "003_c2e2148ac72f28cc.txt"]
    assert len(copies) == 2 and len({urlsplit(u).hostname for u in copies}) == 2
    (record,) = [r for r in archived if set(copies) & urls_of(r)]
    assert set(copies) <= urls_of(record) and record["is_report"] and record["year"] == 2017


def test_encodings_are_decoded_as_served(crawled):
    _, _, archived, _, _ = crawled
    pages = [r for r in archived if r["is_report"] and r["source"]["kind"] == "html"]  # error pages are UTF-8
    rongkun = [r for r in pages if r["source"]["portal"] == "rongkun"]
    assert rongkun and all(r["source"]["declared_charset"] == "gb2312" for r in rongkun)
    assert any("镕堃县" in (r["title"] or "") for r in rongkun)
    hexi = [r for r in pages if r["source"]["portal"] == "hexi"]
    assert hexi and all(r["source"]["content_type"] == "text/html; charset=GBK" for r in hexi)
    labels = {(r["source"]["content_type"], r["source"]["declared_charset"], r["source"]["encoding"])
              for r in pages if r["source"]["portal"] in ("baiyun", "nanhai")}
    assert ("text/html", "gb2312", "utf-8") in labels  # UTF-8 bytes declaring gb2312 in <meta> only
    assert ("text/html", None, "utf-8") in labels  # undeclared
    assert not [r for r in archived if r["source"]["replacement_share"]]


def test_long_articles_are_joined_into_one_record_with_all_their_numbers(crawled):
    _, manifest, archived, _, _ = crawled
    split = [m for m in manifest if m.get("parts")]
    assert split
    by_url = {r["source"]["url"]: r for r in archived}
    for item in split:
        record = by_url[item["url"]]
        assert [part["url"] for part in record["source"]["continued"]] == item["parts"]
        assert record["stats"] == item["stats"], item["url"]  # the tables of every page, read as one
        assert not set(item["parts"]) & set(by_url)  # no page of it is a record of its own


def test_the_farm_archive_verifies_and_reparses_to_itself(crawled, tmp_path):
    _, _, archived, _, run = crawled
    archive = tmp_path / "archive"
    shutil.copytree(run["archive"], archive)
    verified = run_cli("verify", "--archive", str(archive))
    assert verified.returncode == 0 and verified.stdout.strip().endswith(" 0 problems"), verified.stdout
    # Check 5 now sees every year at once; the crawl saw only the years archived before each report.
    first = run_cli("reparse", "--archive", str(archive))
    rewritten = int(re.search(r"(\d+) rewritten, 0 moved to a new key, 0 merged, 0 failed", first.stdout).group(1))
    history = [json.loads(p.read_text(encoding="utf-8")) for p in archive.glob("history/**/*.json")]
    assert rewritten == len(history)
    for old in history:
        new = json.loads((archive / "reports" / str(old["year"]) / f"{old['report_id']}.json").read_text("utf-8"))
        assert {k: v for k, v in new.items() if k != "checks"} == {k: v for k, v in old.items() if k != "checks"}
        assert all(check in new["checks"] for check in old["checks"]) and len(new["checks"]) > len(old["checks"])
    again = run_cli("reparse", "--archive", str(archive))  # nothing left to change
    assert f": {len(archived)} unchanged, 0 rewritten, 0 moved to a new key, 0 merged, 0 failed" in again.stdout
