"""Bounded parsing (issue "nothing lost"): hostile HTML cannot take a parse worker's memory or time, and a
page that would is recorded unreadable with its reason while the rest of the crawl goes on."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from sampleportal.farm.server import FarmServer
from tests.support.archive import records
from tests.support.cli import ROOT, run_cli
from tests.support.hostile import BIG_TITLE, HostilePortal, big_page, farm_reports, html

BOMB_TITLE = "2023年政府信息公开工作年度报告"


def span_bomb(cells: int) -> str:
    """``cells`` cells of rowspan=200 colspan=200: 40,000 grid positions each."""
    row = '<td rowspan="200" colspan="200">x</td>' * cells
    return f"<html><head><title>{BOMB_TITLE}</title></head><body><table><tr>{row}</tr></table></body></html>"


@pytest.fixture(scope="module")
def portal():
    ((item, good),) = farm_reports(1)
    pages = {"/nb/good.html": good, "/nb/big.html": html(big_page()),
             "/nb/bomb.html": html(span_bomb(400))}
    titles = {"/nb/good.html": item["title"], "/nb/big.html": BIG_TITLE, "/nb/bomb.html": BOMB_TITLE}
    return item, HostilePortal(pages, titles)


def crawl(portal: HostilePortal, archive: Path, *settings: str):
    with FarmServer([portal]) as server:
        result = run_cli("crawl", portal.home, "--proxy", server.url, "--archive", str(archive),
                         *(arg for setting in settings for arg in ("-s", setting)))
    (run,) = [json.loads(p.read_text(encoding="utf-8")) for p in archive.glob("runs/*.json")]
    return result, run


def test_a_page_over_the_memory_bound_is_unreadable_and_the_crawl_goes_on(portal, tmp_path):
    item, hostile = portal
    result, run = crawl(hostile, tmp_path / "archive", "NIANBAO_MAX_PARSE_MEMORY=100000000")
    assert result.returncode == 0, result.stderr[-3000:]
    assert run["portals"][0]["stats"]["nianbao/unreadable_documents"] == 1
    reason = "html parsing needed more than 100000000 bytes"
    assert f"unreadable document http://{hostile.host}/nb/big.html: {reason}" in result.stderr
    by_url = {r["source"]["url"]: r for r in records(tmp_path / "archive")}
    good = by_url[f"http://{hostile.host}/nb/good.html"]
    assert good["is_report"] and good["year"] == item["year"] and good["stats"] == item["stats"]
    assert f"http://{hostile.host}/nb/bomb.html" in by_url  # read, its grid cut short


def test_a_page_over_the_time_bound_is_unreadable_and_the_crawl_goes_on(portal, tmp_path):
    """The big page takes seconds to parse (11 s here); the bound is 2 s, far above a report page's."""
    item, hostile = portal
    result, _ = crawl(hostile, tmp_path / "archive", "NIANBAO_READER_TIMEOUT=2")
    assert result.returncode == 0, result.stderr[-3000:]
    assert f"unreadable document http://{hostile.host}/nb/big.html: html parsing timed out after 2s" in result.stderr
    good = next(r for r in records(tmp_path / "archive") if r["source"]["url"].endswith("/nb/good.html"))
    assert good["is_report"] and good["stats"] == item["stats"]


def _address_space(limit: int):
    return lambda: resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def test_a_span_bomb_parses_in_bounded_memory(tmp_path):
    """14 KB of rowspan=200 colspan=200 cells asked 2.3 GB; the grid is capped, the page read within 1 GiB."""
    page = tmp_path / "bomb.html"
    page.write_text(span_bomb(400), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "crawler.run.cli", "parse", str(page), "--json"], cwd=ROOT,
                            capture_output=True, text=True, timeout=120, preexec_fn=_address_space(1 << 30))
    assert result.returncode == 0, result.stderr[-2000:]
    assert json.loads(result.stdout)["title"] == BOMB_TITLE
