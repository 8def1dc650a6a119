"""The browser starts lazily on whatever event loop scrapy-playwright runs its pages on: also with its
threaded loop (``_PLAYWRIGHT_THREADED_LOOP``, the Windows default), where a launch on the reactor's loop
left Playwright on one loop and its pages on another (crawler/engine/browser.py). Real Chromium."""

from __future__ import annotations

import json

import pytest

from sampleportal.farm.jsportal import JsListPortal
from sampleportal.farm.server import FarmServer
from tests.support.archive import records
from tests.support.cli import run_cli

pytestmark = pytest.mark.browser  # real Chromium

PORTAL = JsListPortal("www.jsloop.gov.test", reports=3, seed=31)
REGISTRY = f'[[portal]]\nname = "jsloop"\nhome = "http://{PORTAL.host}/"\nregion_code = "999990"\nfamily = "jslist"\n'


@pytest.mark.parametrize("threaded", [False, True])
def test_a_js_list_is_rendered_on_the_loop_its_pages_use(tmp_path, threaded):
    (tmp_path / "portals.toml").write_text(REGISTRY, encoding="utf-8")
    archive = tmp_path / "archive"
    with FarmServer([PORTAL]) as farm:
        result = run_cli("crawl", "--registry", str(tmp_path / "portals.toml"), "--proxy", farm.url,
                         "--archive", str(archive), "--set", f"_PLAYWRIGHT_THREADED_LOOP={threaded}")
    assert result.returncode == 0, result.stdout + result.stderr
    stats = json.loads(next(archive.glob("runs/*.json")).read_text(encoding="utf-8"))["portals"][0]["stats"]
    assert stats["nianbao/browser_pages"] == stats["playwright/page_count"] == PORTAL.page_count
    assert "nianbao/fetch_errors" not in stats
    assert len([r for r in records(archive) if r["is_report"]]) == 3
