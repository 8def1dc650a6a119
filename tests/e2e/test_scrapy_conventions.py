"""The project behaves as a Scrapy project: feed exports, the settings order, no control port."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from scrapy.crawler import Crawler

from crawler.registry import Portal
from crawler.run.inprocess import crawl_settings, portal_spider
from sampleportal.server import SamplePortal
from spiders.trs import TrsSpider
from tests.support.cli import CLI_TIMEOUT, ROOT, run_cli

USER_SETTINGS = "from crawler.settings import *  # noqa: F403\nNIANBAO_WARC = False\nDOWNLOAD_DELAY = 0.25\n"


def test_feed_export_of_a_scrapy_crawl_is_json(tmp_path):
    out = tmp_path / "out.jsonl"
    with SamplePortal() as portal:
        result = subprocess.run(
            [sys.executable, "-m", "scrapy", "crawl", "trs", "-a", f"start_url={portal.home_url}",
             "-s", f"NIANBAO_ARCHIVE_URI={tmp_path / 'archive'}", "-s", f"NIANBAO_PROXY={portal.url}", "-O", str(out)],
            capture_output=True, text=True, timeout=CLI_TIMEOUT, cwd=ROOT, check=False)
    assert result.returncode == 0, result.stderr
    assert "log_count/ERROR" not in result.stderr, result.stderr[-2000:]
    items = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    records = list((tmp_path / "archive" / "reports").rglob("*.json"))
    assert len(items) >= len(records) == 12
    assert all(len(item["body"]) == 64 and item["url"].startswith("http://") for item in items)
    titles = {item["record"]["title"] for item in items}
    assert "云城区2018年度政府信息公开工作年度报告" in titles
    assert "云城区" in out.read_text(encoding="utf-8")  # UTF-8 as written, not \\u escapes
    assert any(item["page"] for item in items)  # attachments name their article page


def test_settings_order_defaults_project_user_portal_command_line(tmp_path, monkeypatch):
    (tmp_path / "user_settings.py").write_text(USER_SETTINGS, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setenv("SCRAPY_SETTINGS_MODULE", "user_settings")
    settings = crawl_settings("archive", "crawl-1", "INFO", {"CLOSESPIDER_PAGECOUNT": 9})
    assert settings.getbool("NIANBAO_WARC") is False  # the user's module over the project's True
    assert settings.getint("CONCURRENT_ITEMS") == 8  # the project's over Scrapy's 100, the user left it
    assert settings.getbool("REMOTE_CONTROL_ENABLED") is False
    portal = Portal("p", "http://www.p.gov.test/", "110101", ("p.gov.test",),
                    overrides={"download_delay": 2.0, "max_pages": 3})
    crawler = Crawler(portal_spider(TrsSpider, portal), settings)
    assert crawler.settings.getfloat("DOWNLOAD_DELAY") == 2.0  # the portal's override over the user's 0.25
    assert crawler.settings.getint("CLOSESPIDER_PAGECOUNT") == 9  # -s over the portal's 3


def test_user_settings_module_switches_warc_off_in_a_real_crawl(tmp_path):
    (tmp_path / "user_settings.py").write_text(USER_SETTINGS, encoding="utf-8")
    env = {"SCRAPY_SETTINGS_MODULE": "user_settings",
           "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT), os.environ.get("PYTHONPATH", "")])}
    with SamplePortal() as portal:
        result = run_cli("crawl", portal.home_url, "--proxy", portal.url, "--archive", str(tmp_path / "a"), env=env)
    assert result.returncode == 0, result.stderr
    archive = Path(tmp_path / "a")
    assert list((archive / "reports").rglob("*.json")) and not (archive / "warc").exists()
