"""The portal farm on its own: deterministic, lazy, conditional GET, faults, a new year, the manifest CLI."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest

from crawler.core.encoding import decode
from sampleportal.farm.app import Reply, Request
from sampleportal.farm.farmfile import build_apps, crawler_registry, fault_plan, load_entries
from sampleportal.farm.faults import FaultPlan, Faults
from sampleportal.farm.hanweb import COLUMN_ID, UNIT_ID, WEB_ID
from sampleportal.farm.server import FarmServer
from spiders.fingerprint import fingerprint
from tests.support.cli import ROOT
from tests.support.farm import farm_apps

TIMEOUT = 10


def get(app, url: str, method: str = "GET", body: bytes = b""):
    path, _, query = url.split(app.host, 1)[1].partition("?")
    return app.handle(Request(method, app.host, path, query, {}, body))


def pages_of(app) -> Iterator[str]:
    for item in app.manifest():
        yield item["url"]
        yield from item.get("parts", ())
    yield from app.lookalikes()


def opener(farm: FarmServer) -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(urllib.request.ProxyHandler({"http": farm.url}))


def status(open_: urllib.request.OpenerDirector, url: str, headers: dict[str, str] | None = None) -> int:
    try:
        with open_.open(urllib.request.Request(url, headers=headers or {}), timeout=TIMEOUT) as reply:
            return reply.status
    except urllib.error.HTTPError as error:
        return error.code


def test_same_seed_same_bytes_other_seed_other_reports():
    first, again, other = farm_apps(), farm_apps(), farm_apps(seed=8)
    for a, b in zip(first, again, strict=True):
        urls = list(pages_of(a))
        assert [get(a, u).body for u in urls] == [get(b, u).body for u in urls]
    assert {m["url"] for a in first for m in a.manifest()} != {m["url"] for a in other for m in a.manifest()}


def test_publishing_a_new_year_keeps_every_older_page():
    old, new = farm_apps(years=range(2016, 2023)), farm_apps(years=range(2016, 2024))
    for before, after in zip(old, new, strict=True):
        old_items = {m["url"]: m for m in before.manifest()}
        new_items = {m["url"]: m for m in after.manifest()}
        assert old_items.items() <= new_items.items()
        assert {m["year"] for m in new_items.values()} - {m["year"] for m in old_items.values()} == {2023}
        for url in pages_of(before):
            assert get(before, url).body == get(after, url).body, url


def test_every_family_is_told_by_its_home_page():
    for app in farm_apps():
        home = get(app, f"http://{app.host}/")
        assert fingerprint(decode(home.body, dict(home.headers)["Content-Type"]).text) == app.family


def test_farm_of_100k_pages_starts_in_seconds_and_serves_any_page():
    started = time.perf_counter()
    apps = farm_apps(units=1200, years=range(2008, 2025))
    elapsed = time.perf_counter() - started
    entries = sum(len(app.world.entries) for app in apps)
    assert entries >= 100_000 and elapsed < 30, (entries, elapsed)
    for app in apps:
        oldest = min((e for e in app.world.entries if e.role == "report"), key=lambda e: (e.year, e.id))
        assert get(app, app.url(app.report_path(oldest))).status == 200


def test_hanweb_rows_come_from_dataproxy_by_get_and_post():
    (app,) = [a for a in farm_apps() if a.family == "hanweb"]
    query = f"columnid={COLUMN_ID}&unitid={UNIT_ID}&webid={WEB_ID}&startrecord=1&endrecord=15&perpage=15"
    by_get = get(app, f"http://{app.host}/module/web/jpage/dataproxy.jsp?{query}")
    by_post = get(app, f"http://{app.host}/module/web/jpage/dataproxy.jsp", "POST", query.encode())
    assert by_get.body == by_post.body and by_get.body.count(b"<record>") == 15
    column = get(app, f"http://{app.host}/col/col{COLUMN_ID}/index.html").body
    assert b"/art/" not in column  # the column page itself lists nothing


@pytest.fixture
def farm() -> Iterator[FarmServer]:
    apps = farm_apps(units=2, years=range(2020, 2022))
    plan = FaultPlan(per_host={"www.hexi.gov.test": Faults(errors=1.0), "www.baiyun.gov.test": Faults(resets=1.0),
                               "www.nanhai.gov.test": Faults(throttle=1.0, delay=0.2)})
    with FarmServer(apps, plan) as server:
        yield server


def test_conditional_get_answers_304(farm):
    open_ = opener(farm)
    url = "http://www.qingshan.gov.test/xxgk/zfxxgknb/index.html"
    with open_.open(url, timeout=TIMEOUT) as reply:
        etag, modified = reply.headers["ETag"], reply.headers["Last-Modified"]
    assert etag and modified
    assert status(open_, url, {"If-None-Match": etag}) == 304
    assert status(open_, url, {"If-Modified-Since": modified}) == 304
    assert status(open_, url, {"If-None-Match": '"stale"'}) == 200
    assert status(open_, url, {"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"}) == 200


def test_faults_hit_once_then_the_page_is_served(farm):
    open_ = opener(farm)
    assert status(open_, "http://www.hexi.gov.test/") in (500, 503)
    assert status(open_, "http://www.hexi.gov.test/") == 200
    with pytest.raises((ConnectionResetError, urllib.error.URLError)):
        open_.open("http://www.baiyun.gov.test/", timeout=TIMEOUT)
    assert status(open_, "http://www.baiyun.gov.test/") == 200
    started = time.perf_counter()
    with pytest.raises(urllib.error.HTTPError) as throttled:
        open_.open("http://www.nanhai.gov.test/", timeout=TIMEOUT)
    assert throttled.value.code == 429 and throttled.value.headers["Retry-After"] == "1"
    assert time.perf_counter() - started >= 0.2  # the slow portal
    assert status(open_, "http://www.nanhai.gov.test/") == 200


def test_unknown_hosts_get_404_and_are_logged(farm):
    assert status(opener(farm), "http://www.elsewhere.test/x") == 404
    assert ("www.elsewhere.test", "/x") in farm.requests


def test_manifest_cli_writes_every_report(tmp_path):
    out = tmp_path / "manifest.jsonl"
    command = [sys.executable, "-m", "sampleportal.farm", "--units", "2", "--years", "2019-2021",
               "--manifest", str(out)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=ROOT, check=False)
    assert result.returncode == 0, result.stderr
    items = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    expected = sum(1 for app in farm_apps(units=2, years=range(2019, 2022), browser=True) for _ in app.manifest())
    assert len(items) == expected and result.stdout.startswith(f"{expected} reports")
    assert all({"url", "portal", "unit", "year", "format", "kind"} <= set(item) for item in items)
    assert all(item["stats"] for item in items if item["format"] != "seed")


def test_farm_file_faults_override_the_command_line_ones():
    entries = [{"host": "a.test", "faults": {"errors": 1.0}}, {"host": "b.test"}]
    plan = fault_plan(entries, Faults(delay=0.5, seed=4))
    assert plan.faults("a.test") == Faults(errors=1.0, seed=4) and plan.faults("b.test") == Faults(delay=0.5, seed=4)
    assert plan.fault("a.test", "/x") in (500, 503) and plan.fault("a.test", "/x") is None


class OnePagePortal:
    """A portal built elsewhere (not a FarmPortal): the PortalApp contract is all the farm needs."""

    def __init__(self, config) -> None:
        self.host = config.host

    def handle(self, request: Request) -> Reply:
        return Reply(200, b"<html>js only</html>", (("Content-Type", "text/html"),))

    def manifest(self) -> Iterator[dict]:
        yield {"url": f"http://{self.host}/", "portal": "one", "unit": "x", "year": 2020, "format": "2021",
               "kind": "html"}


def test_any_portal_app_joins_the_farm_through_the_farm_file():
    entries = [*load_entries(browser=False),
               {"name": "one", "host": "www.one.gov.test", "app": "tests.e2e.test_farm:OnePagePortal"}]
    apps = build_apps(entries, 7, 2, range(2020, 2022))
    with FarmServer(apps) as server:
        assert status(opener(server), "http://www.one.gov.test/anything") == 200
    assert 'name = "one"' in crawler_registry(entries)


class CountingApp:
    """A portal whose replies say how many times it was asked: a memo hit must not ask it again."""

    host = "www.counting.gov.test"

    def __init__(self) -> None:
        self.calls = 0

    def handle(self, request):
        self.calls += 1
        return Reply(200, f"{request.path}?{request.query} {request.headers.get('cookie', '')} #{self.calls}".encode(),
                     (("Content-Type", "text/plain"),))

    def manifest(self):
        return iter(())


def test_reply_memo_serves_a_rendered_reply_again_and_keeps_within_its_budget():
    app = CountingApp()
    with FarmServer([app], memo_bytes=40) as farm:
        open_ = opener(farm)

        def body(path: str, cookie: str = "") -> bytes:
            request = urllib.request.Request(f"http://{app.host}{path}", headers={"Cookie": cookie} if cookie else {})
            with open_.open(request, timeout=TIMEOUT) as reply:
                return reply.read()

        first = body("/a?x=1")
        assert body("/a?x=1") == first == b"/a?x=1  #1" and app.calls == 1
        assert body("/a?x=2") == b"/a?x=2  #2"  # another query, another reply
        assert body("/a?x=1", "pass=1") == b"/a?x=1 pass=1 #3"  # behind a challenge the cookie decides
        # 40 bytes hold three or four replies of about ten: the oldest was dropped, so it is rendered again.
        body("/b"), body("/c")
        assert farm.memo_held <= 40 and body("/a?x=1") == b"/a?x=1  #6"
    uncached = CountingApp()
    with FarmServer([uncached]) as farm:
        for _ in range(2):
            opener(farm).open(f"http://{uncached.host}/a", timeout=TIMEOUT).read()
    assert uncached.calls == 2 and not farm.memo
