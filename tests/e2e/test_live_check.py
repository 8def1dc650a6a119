"""``nianbao portals check --live`` against the farm: five real counties of 湖州市, one per case — a home
that redirects, a footer 网站标识码 of the prefecture, a portal that moved domain, a challenge portal
(blocked, not an error) and a host that never answers — then a crawl that starts where the check found
the moved portal."""

from __future__ import annotations

import json

import pytest

from crawler.registry import Portal, portal_entry
from crawler.run.livecheck import checked_portals, site_id_flag
from sampleportal.farm.farmfile import build_apps, fault_plan, regional_entries
from sampleportal.farm.faults import Faults
from sampleportal.farm.server import FarmServer
from storage import open_storage
from tests.support.archive import records
from tests.support.cli import run_cli
from tests.support.farm import missing_reports

WUXING, NANXUN, DEQING, CHANGXING, ANJI = "330502", "330503", "330521", "330522", "330523"
OLD_DEQING = "www.old330521.gov.test"


def farm_entries() -> list[dict]:
    trs, hanweb, ucap, _, rongkun = regional_entries([WUXING, NANXUN, DEQING, CHANGXING, ANJI])
    trs |= {"site_id": "3305020001", "home_redirect": "/index.html"}
    hanweb |= {"site_id": "3305000003"}  # the prefecture's code: a fallback to 湖州's own portal
    ucap |= {"site_id": "3305210001"}
    rongkun |= {"faults": {"resets": 1.0}}  # every first request reset: no answer
    challenge = {"name": CHANGXING, "host": f"www.c{CHANGXING}.gov.test", "region_code": CHANGXING,
                 "app": "sampleportal.farm.challenge:challenge_portal", "challenge": "ruishu"}
    moved = {"name": "old-deqing", "host": OLD_DEQING, "app": "sampleportal.farm.moves:MovedHost",
             "moved_to": ucap["host"]}
    return [trs, hanweb, ucap, challenge, rongkun, moved]


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    root = tmp_path_factory.mktemp("live")
    entries = farm_entries()
    homes = {e["region_code"]: e["host"] for e in entries if "region_code" in e} | {DEQING: OLD_DEQING}
    registry = root / "r.toml"
    registry.write_text("\n".join(portal_entry(Portal(code, f"http://{host}/", code, (host,)))
                                  for code, host in homes.items()), encoding="utf-8")
    apps = build_apps(entries, seed=7, units=2, years=range(2020, 2022))
    with FarmServer(apps, fault_plan(entries, Faults())) as farm:
        check = run_cli("portals", "check", "--live", "--registry", str(registry), "--region", "湖州市",
                        "--archive", str(root / "a"), "--proxy", farm.url, "--timeout", "10")
        crawl = run_cli("crawl", "--registry", str(registry), "--region", DEQING, "--archive", str(root / "a"),
                        "--proxy", farm.url)
    manifest = [m for app in apps for m in app.manifest() if m["portal"] == DEQING]
    return root, check, crawl, manifest


def test_each_case_is_told_apart(checked):
    root, check, _, _ = checked
    assert check.returncode == 1, check.stderr  # the host that never answers
    rows = {line.split("\t")[0]: line.split("\t")[1:] for line in check.stdout.splitlines()}
    assert rows[WUXING] == ["redirected", "200", f"http://www.c{WUXING}.gov.test/index.html", "trs", "3305020001", "-"]
    assert rows[NANXUN] == ["ok", "200", f"http://www.c{NANXUN}.gov.test/", "hanweb", "3305000003", "prefecture"]
    assert rows[DEQING] == ["moved", "200", f"http://www.c{DEQING}.gov.test/", "ucap", "3305210001", "-"]
    assert rows[CHANGXING][:2] == ["blocked", "412"]
    assert rows[ANJI][:2] == ["unreachable", "None"]
    assert len(rows) == 5 and "1 blocked" in check.stderr and "1 unreachable" in check.stderr
    saved = json.loads((root / "a" / "state" / "checks" / f"{DEQING}.json").read_text(encoding="utf-8"))
    assert saved["answers"][0]["redirects"] == [f"http://{OLD_DEQING}/"]


def test_a_later_crawl_starts_where_the_portal_moved(checked):
    root, _, crawl, manifest = checked
    assert crawl.returncode == 0, crawl.stdout + crawl.stderr
    runs = [json.loads(p.read_text(encoding="utf-8")) for p in (root / "a").glob("runs/*.json")]
    (portal,) = runs[0]["portals"]
    assert portal["start_url"] == f"http://www.c{DEQING}.gov.test/"
    assert manifest and missing_reports(manifest, records(root / "a")) == []
    (deqing,) = checked_portals([Portal(DEQING, f"http://{OLD_DEQING}/", DEQING, (OLD_DEQING,))],
                                open_storage(str(root / "a")))
    assert deqing.family == "ucap" and deqing.allowed_domains == (OLD_DEQING, f"www.c{DEQING}.gov.test")


def test_site_id_flags():
    assert site_id_flag("3305020001", "330502") is None
    assert site_id_flag("3305000003", "330503") == "prefecture"
    assert site_id_flag("3301060001", "330502") == "other region"
    assert site_id_flag("1101030001", "110101") is None  # 崇文区's old code, now 东城区
    assert site_id_flag("9999990001", "330502") == "not a region code"
    assert site_id_flag(None, "330502") is None
