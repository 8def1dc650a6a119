"""Progress of a crawl: a live rich table on a terminal, a plain line per portal every N seconds without one."""

from __future__ import annotations

import json
import os
import pty
import re
import select
import subprocess
import sys

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from crawler.extensions.progress import RunProgress
from sampleportal.server import SamplePortal
from spiders.trs import TrsSpider
from tests.support.cli import CLI_TIMEOUT, ROOT, run_cli

_LINE = re.compile(r"progress: (?P<name>[^:]+): (?P<pages>\d+) pages, (?P<docs>\d+) documents, [\d.]+ pages/s, \d+ s")


def test_without_a_terminal_a_line_per_portal_and_in_total(tmp_path):
    with SamplePortal() as portal:
        result = run_cli("crawl", portal.home_url, "--proxy", portal.url, "--archive", str(tmp_path / "a"),
                         "-s", "NIANBAO_PROGRESS_INTERVAL=0")
    assert result.returncode == 0, result.stderr
    lines = [match.groupdict() for match in _LINE.finditer(result.stderr)]
    assert {line["name"] for line in lines} == {"www.yangli.gov.test", "all portals"}
    last = {line["name"]: (int(line["pages"]), int(line["docs"])) for line in lines}
    (run,) = [json.loads(p.read_text(encoding="utf-8")) for p in (tmp_path / "a" / "runs").glob("*.json")]
    stats = run["portals"][0]["stats"]
    counted = (stats["downloader/response_count"], stats["item_scraped_count"])
    assert last["www.yangli.gov.test"] == last["all portals"] == counted == (24, 13)
    assert "\r" not in result.stdout + result.stderr


def test_on_a_terminal_a_live_table(tmp_path):
    """The CLI under a real pseudo-terminal: rich draws the table on stderr, and redraws it."""
    with SamplePortal() as portal:
        leader, follower = pty.openpty()
        process = subprocess.Popen(
            [sys.executable, "-m", "crawler.run.cli", "crawl", portal.home_url, "--proxy", portal.url,
             "--archive", str(tmp_path / "a")], cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=follower, env={**os.environ, "TERM": "xterm", "COLUMNS": "120"})
        os.close(follower)
        shown = b""
        while True:  # read the terminal until the crawl ends (bounded by the CLI's timeout)
            ready, _, _ = select.select([leader], [], [], CLI_TIMEOUT)
            if not ready:
                break
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the crawl closed the terminal
                break
            if not chunk:
                break
            shown += chunk
        assert process.wait(timeout=CLI_TIMEOUT) == 0
        os.close(leader)
    screen = shown.decode("utf-8", "replace")
    assert "all portals" in screen and "www.yangli.gov.test" in screen
    assert re.search(r"24 pages\s+13 documents", screen)
    assert "\x1b[" in screen  # drawn with terminal control sequences, not printed as log lines
    assert "progress:" not in screen


def test_off_by_default_for_scrapy_crawl_and_a_bad_mode_is_refused():
    with pytest.raises(NotConfigured):
        RunProgress.from_crawler(get_crawler(TrsSpider))
    with pytest.raises(ValueError, match="NIANBAO_PROGRESS='fancy'"):
        RunProgress.from_crawler(get_crawler(TrsSpider, settings_dict={"NIANBAO_PROGRESS": "fancy"}))
