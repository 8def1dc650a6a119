"""Incremental crawls of the sample portal: conditional GET, look-back paging, state kept in the archive."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from crawler.archive.layout import index_shard_key
from sampleportal.catalog import NEW_YEAR_AGENCIES
from sampleportal.server import SamplePortal
from tests.support.archive import archive_files
from tests.support.cli import HOME, run_cli

COLUMN = "/xxgk/zfxxgknb/"


def crawl(portal: SamplePortal, archive: Path) -> dict:
    """Crawl the portal into ``archive``; the run report of that crawl."""
    before = set(archive.glob("runs/*.json"))
    result = run_cli("crawl", HOME, "--portal", "yangli", "--proxy", portal.url, "--archive", str(archive))
    assert result.returncode == 0, result.stderr
    (run,) = set(archive.glob("runs/*.json")) - before
    return json.loads(run.read_text(encoding="utf-8"))


def test_unchanged_portal_costs_under_five_percent_of_a_full_crawl(tmp_path):
    archive = tmp_path / "archive"
    with SamplePortal() as portal:
        full = crawl(portal, archive)
        before = {key: (archive / key).read_bytes() for key in archive_files(archive)}
        portal.requests.clear()
        again = crawl(portal, archive)
        asked = [path for _, path in portal.requests]
    full_bytes = full["portals"][0]["stats"]["downloader/response_bytes"]
    again_bytes = again["portals"][0]["stats"]["downloader/response_bytes"]
    assert again_bytes <= 0.05 * full_bytes, (again_bytes, full_bytes)
    after = {key: (archive / key).read_bytes() for key in archive_files(archive)}
    changed = {key for key in after if before.get(key) != after[key]}
    # Not even the state or the report index changed: only the run report and the crawl's WARC file (304s).
    assert {key.split("/")[0] for key in changed} == {"runs", "warc"}
    assert len([key for key in changed if key.startswith("runs/")]) == 1
    counts = again["counts"]
    assert counts["records_new"] == 0 and counts["objects_written"] == 0
    assert counts["not_modified"] == counts["pages_fetched"] and counts["unchanged"] > 0
    # The first list page listed only known articles: paging stopped there (NIANBAO_LOOKBACK_PAGES = 1).
    assert COLUMN + "index.html" in asked and COLUMN + "index_1.html" not in asked
    assert again["portals"][0]["stats"]["nianbao/paging_stopped"] == 1


def test_a_new_year_is_archived_and_nothing_else(tmp_path):
    archive = tmp_path / "archive"
    with SamplePortal() as portal:
        crawl(portal, archive)
    before = archive_files(archive)
    with SamplePortal(new_year=2024) as portal:
        run = crawl(portal, archive)
        asked = [path for _, path in portal.requests]
    added = archive_files(archive) - before
    reports = sorted(key for key in added if key.startswith("reports/"))
    titles = {json.loads((archive / key).read_text(encoding="utf-8"))["title"] for key in reports}
    assert titles == {f"{agency}2024年政府信息公开工作年度报告" for agency in NEW_YEAR_AGENCIES}
    assert all(key.startswith("reports/2024/") for key in reports)
    assert len([key for key in added if key.startswith("text/")]) == 3
    # Raw bodies: the three new articles and the first list page that now lists them.
    assert len([key for key in added if key.startswith("raw/")]) == 4
    assert {key.split("/")[0] for key in added} == {"reports", "text", "raw", "runs", "warc", "wet", "index"}
    # The one index shard added is that of an agency with no report before; the others were rewritten.
    assert {key for key in added if key.startswith("index/")} < {index_shard_key(a, "") for a in NEW_YEAR_AGENCIES}
    counts = run["counts"]
    assert (counts["records_new"], counts["records_known"], counts["errors"]) == (3, 0, 0)
    # Page 0 had new articles, page 1 only known ones: the walk stopped before page 2.
    assert COLUMN + "index_1.html" in asked and COLUMN + "index_2.html" not in asked


def test_the_state_in_the_archive_is_all_a_new_machine_needs(tmp_path):
    first, moved = tmp_path / "first", tmp_path / "elsewhere"
    with SamplePortal() as portal:
        crawl(portal, first)
        shutil.copytree(first, moved)
        shutil.rmtree(first)
        run = crawl(portal, moved)
    state = json.loads((moved / "state" / "yangli.json").read_text(encoding="utf-8"))
    assert state["schema"] == "nianbao.state/1" and len(state["known"]) == 18  # 13 articles, 5 attachments
    assert all(entry["etag"] and entry["sha256"] for entry in state["urls"].values())
    assert run["counts"]["not_modified"] == run["counts"]["pages_fetched"] and run["counts"]["records_new"] == 0


def test_state_off_crawls_everything_again(tmp_path):
    archive = tmp_path / "archive"
    with SamplePortal() as portal:
        crawl(portal, archive)
        result = run_cli("crawl", HOME, "--portal", "yangli", "--proxy", portal.url, "--archive", str(archive),
                         "--set", "NIANBAO_CRAWL_STATE=false")
    assert result.returncode == 0, result.stderr
    run = json.loads(max(archive.glob("runs/*.json")).read_text(encoding="utf-8"))
    assert run["counts"]["not_modified"] == 0 and run["counts"]["pages_fetched"] == 24


def test_look_back_of_two_pages_reads_one_more_list_page(tmp_path):
    archive = tmp_path / "archive"
    with SamplePortal() as portal:
        crawl(portal, archive)
        portal.requests.clear()
        result = run_cli("crawl", HOME, "--portal", "yangli", "--proxy", portal.url, "--archive", str(archive),
                         "--set", "NIANBAO_LOOKBACK_PAGES=2")
        asked = [path for _, path in portal.requests]
    assert result.returncode == 0, result.stderr
    assert [path for path in asked if path.startswith(COLUMN + "index")] == [COLUMN + "index.html",
                                                                            COLUMN + "index_1.html"]
