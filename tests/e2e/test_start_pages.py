"""Start pages of every kind: a crawl archives the reports whether its registry entry points at a home
page, a 信息公开 hub or a 年报 list. Two real pages (read from ../shared at test time, served at their
original URLs), then farm portals registered by an inner page, with no family (fingerprinted)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from sampleportal.farm.farmfile import build_apps, crawler_registry, load_entries
from sampleportal.farm.portal import CENTRAL
from sampleportal.farm.server import FarmServer
from spiders.fingerprint import fingerprint
from spiders.gkmlpt import gkml_config, platform_root, post_count
from tests.support.archive import records
from tests.support.captured import Site, capture, html, list_page, report_page
from tests.support.cli import run_cli
from tests.support.farm import missing_reports


def crawl(tmp_path: Path, sites: list, start: str, *options: str) -> tuple[list[dict], set[str]]:
    with FarmServer(sites) as server:
        result = run_cli("crawl", start, "--archive", str(tmp_path / "archive"), "--proxy", server.url, *options)
        asked = {f"http://{host}{target}" for host, target in server.requests}
    assert result.returncode in (0, 1), result.stdout + result.stderr
    return records(tmp_path / "archive"), asked


def test_a_real_trs_report_list_as_the_start_page(tmp_path):
    body, about = capture("trs_ordos_egb_xxgknb_index")
    assert fingerprint(body.decode("utf-8")) == "trs"
    start = about["original_url"]
    site = Site("egb.ordos.gov.cn")
    site.add(start, html(body))
    for report in about["expected_reports"]:
        site.add(report["url"], report_page(report["title"], report["year"], "鄂尔多斯市人民政府",
                                            date.fromisoformat(report["posted"])))
    archived, asked = crawl(tmp_path, [site], start)
    assert set(about["pager"]["next_pages"]) <= asked  # page 2, from the page's countPage script
    reports = {r["source"]["url"] for r in archived if r["is_report"]}
    assert reports == set(about["expected_links"])


def test_a_real_information_hub_as_the_start_page(tmp_path):
    body, about = capture("hub_handan_zfxxgkzn")
    assert fingerprint(body.decode("utf-8")) == "trs"  # its SiteIDCode meta is every government site's
    start = about["original_url"]
    (column,) = about["expected_links"]
    article = column + "202301/t20230130_1.html"
    site = Site("hdzfxxgk.hd.gov.cn")
    site.add(start, html(body))
    title = "邯郸市2022年政府信息公开工作年度报告"
    site.add(column, list_page("政府信息公开年报", {"./202301/t20230130_1.html": title}))
    site.add(article, report_page(title, 2022, "邯郸市人民政府", date(2023, 1, 30)))
    archived, asked = crawl(tmp_path, [site], start)
    assert column in asked
    assert [r["source"]["url"] for r in archived if r["is_report"]] == [article]


def test_gkmlpt_config_as_real_pages_write_it():
    page = "<script>window._CONFIG = {SID: '755001', TREE: [{id: 5, name: '信息公开年报', children: []},]};</script>"
    assert gkml_config(page) == {"SID": "755001", "TREE": [{"id": 5, "name": "信息公开年报", "children": []}]}
    assert gkml_config('<script>window._CONFIG = {"SID": "1"};</script>') == {"SID": "1"}
    assert gkml_config("<script>window._CONFIG = {SID: </script>") == {}
    assert post_count({"classify": {"post_count": 41}, "articles": []}) == 41
    assert post_count({"total": 7}) == 7 and post_count({}) == 0
    assert platform_root("/zqhjj/gkmlpt/index") == "/zqhjj" and platform_root("/gkmlpt/index") == ""


# (farm portal, the inner page its registry entry gives as home, farm options)
INNER = [
    ("qingshan", "/xxgk/zfxxgknb/index.html", {}),  # TRS: the 年报 list itself
    ("qingshan", "/xxgk/index.html", {}),  # TRS: the 信息公开 hub
    ("baiyun", "/xxgk/gknb/index.shtml", {}),  # UCAP: the 年报 list
    ("hexi", "/col/col4711/index.html", {}),  # Hanweb: the 年报 column (rows from its jpage script)
    ("rongkun", "/list.aspx?cid=8&page=1", {}),  # query-string list
    ("nanhai", "/zqhjj/gkmlpt/index", {"subpath": "/zqhjj"}),  # gkmlpt of a department, under a subpath
]


@pytest.mark.parametrize(("name", "path", "options"), INNER, ids=[f"{n}{p}" for n, p, _ in INNER])
def test_farm_portals_registered_by_an_inner_page(tmp_path, name, path, options):
    (entry,) = [{**e, **options} for e in load_entries(browser=False) if e["name"] == name]
    entry.pop("family")
    apps = build_apps([entry], seed=7, units=3, years=range(2019, 2022))
    registry = crawler_registry([entry]).replace(f'home = "http://{entry["host"]}/"',
                                                 f'home = "http://{entry["host"]}{path}"')
    (tmp_path / "r.toml").write_text(registry, encoding="utf-8")
    with FarmServer(apps) as server:
        result = run_cli("crawl", "--registry", str(tmp_path / "r.toml"), "--archive", str(tmp_path / "a"),
                         "--proxy", server.url)
    assert result.returncode == 0, result.stdout + result.stderr
    (run,) = [json.loads(p.read_text(encoding="utf-8")) for p in (tmp_path / "a").glob("runs/*.json")]
    assert run["portals"][0]["start_url"] == f"http://{entry['host']}{path}"
    central = [m for m in apps[0].manifest() if m["level"] in CENTRAL]
    assert central and missing_reports(central, records(tmp_path / "a")) == []
