"""A parse worker killed mid-crawl (a real SIGKILL): it is replaced, the document it held is read again
once, in a process of its own, and recorded unreadable only when that one dies too; every other document
of the crawl is archived."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

from sampleportal.farm.server import FarmServer
from tests.support.archive import records
from tests.support.cli import CLI_TIMEOUT, ROOT
from tests.support.hostile import BIG_TITLE, HostilePortal, big_page, farm_reports, html
from tests.support.processes import descendants, resident_bytes

HEAVY = 200 * 1024 * 1024  # a worker reading the big page grows past this; one reading a report stays far below


def crawl_killing_heavy_workers(home: str, proxy: str, archive) -> tuple[subprocess.CompletedProcess, int]:
    """Crawl ``home``; SIGKILL every process under the crawl whose memory passes HEAVY. Returns the kills."""
    process = subprocess.Popen([sys.executable, "-m", "crawler.run.cli", "crawl", home, "--proxy", proxy,
                                "--archive", str(archive)], cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    killed: set[int] = set()
    deadline = time.monotonic() + CLI_TIMEOUT
    while process.poll() is None and time.monotonic() < deadline:
        for pid in descendants(process.pid):
            if pid not in killed and resident_bytes(pid) > HEAVY:
                os.kill(pid, signal.SIGKILL)
                killed.add(pid)
        time.sleep(0.05)
    stdout, stderr = process.communicate(timeout=30)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr), len(killed)


def test_a_killed_worker_costs_only_its_own_document(tmp_path):
    reports = farm_reports(12)
    pages = {"/nb/big.html": html(big_page()), **{f"/nb/{n}.html": page for n, (_, page) in enumerate(reports)}}
    titles = {"/nb/big.html": BIG_TITLE, **{f"/nb/{n}.html": item["title"] for n, (item, _) in enumerate(reports)}}
    hostile = HostilePortal(pages, titles)
    with FarmServer([hostile]) as server:
        result, kills = crawl_killing_heavy_workers(hostile.home, server.url, tmp_path / "archive")
    assert result.returncode == 0, result.stderr[-3000:]
    (run,) = [json.loads(p.read_text(encoding="utf-8")) for p in (tmp_path / "archive").glob("runs/*.json")]
    stats = run["portals"][0]["stats"]
    assert kills == 2  # the shared worker reading the big page, then the process reading it alone
    assert stats["nianbao/documents_retried"] >= 1 and stats["nianbao/unreadable_documents"] == 1
    assert f"unreadable document http://{hostile.host}/nb/big.html: its parse worker died reading it, twice" \
        in result.stderr
    archived = {r["source"]["url"]: r for r in records(tmp_path / "archive")}
    for n, (report, _) in enumerate(reports):
        record = archived[f"http://{hostile.host}/nb/{n}.html"]
        assert record["is_report"] and record["year"] == report["year"] and record["stats"] == report["stats"]
