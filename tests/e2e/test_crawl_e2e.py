"""End to end: the sample portal (real HTTP on 127.0.0.1) crawled by Scrapy into a local archive."""

from __future__ import annotations

import hashlib
import json
import re

import pytest

from crawler.archive.warcfiles import host_label
from crawler.core.parsing import report_format
from sampleportal.site import SAMPLE_HOST
from tests.support.archive import archive_files, records
from tests.support.cli import HOME, SEEDS, run_cli, seed_truth

# Which report each seed is, and its reporting year (the seeds are real reports: docs/SAMPLE_PORTAL.md).
EXPECTED_REPORTS = {"密雲區": 2017, "蓬溪县": 2019, "阿拉山口市": 2016, "陶然亭街道": 2017, "云城区": 2018}
# The attachment-only articles of sampleportal/catalog.py: agency → (year, file type, article page).
EXPECTED_ATTACHMENTS = {
    "样例县财政局": (2019, "pdf", "202003/t20200320_1049410.html"),
    "样例县教育局": (2020, "docx", "202101/t20210128_1049420.html"),
    "样例县城关镇人民政府": (2018, "xls", "201903/t20190305_1049430.html"),
    "样例县卫生健康局": (2021, "xlsx", "202201/t20220130_1049440.html"),
    "样例县水利局": (2015, "pdf", "201603/t20160330_1049450.html"),
}
# Lines of seed 000 that were its source portal's chrome, not report text.
SEED_000_CHROME = ("日期:", "分享:", "字號:", "您訪問的連結即將離開", "已歸檔")


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture
def crawled(sample_portal, tmp_path):
    archive = tmp_path / "archive"
    result = run_cli("crawl", HOME, "--proxy", sample_portal.url, "--archive", str(archive))
    assert result.returncode == 0, result.stderr
    return sample_portal, archive, result


def test_exactly_the_five_seed_reports_and_five_attachment_reports(crawled):
    _, archive, _ = crawled
    reports = [r for r in records(archive) if r["is_report"]]
    seeds = [r for r in reports if r["source"]["kind"] == "html"]
    found = {}
    for record in seeds:
        (name,) = [n for n in EXPECTED_REPORTS if n in record["title"]]
        found[name] = record["year"]
    assert len(seeds) == 5 and found == EXPECTED_REPORTS
    attached = {r["agency"]: (r["year"], r["source"]["kind"], r["source"]["page_url"]) for r in reports
                if r["source"]["page_url"]}
    assert attached == {agency: (year, kind, HOME + "xxgk/zfxxgknb/" + page)
                        for agency, (year, kind, page) in EXPECTED_ATTACHMENTS.items()}
    assert len(reports) == 10


def test_attachment_reports_carry_the_file_text_and_the_page_context(crawled):
    _, archive, _ = crawled
    (pdf,) = [r for r in records(archive) if r["agency"] == "样例县财政局"]
    assert pdf["source"]["url"].endswith("/xxgk/zfxxgknb/202003/P0202003201049410.pdf")
    assert pdf["title"] == "样例县财政局2019年政府信息公开工作年度报告"  # the page's title
    assert pdf["published"] == "2020-03-20"  # the page's 发布日期
    assert "本年度共收到政府信息公开申请" in pdf["text"] and "附件" not in pdf["text"]
    assert not pdf["source"]["needs_ocr"]
    (scan,) = [r for r in records(archive) if r["agency"] == "样例县水利局"]
    assert scan["source"]["needs_ocr"] and scan["text"] == ""
    assert scan["parser"]["warnings"] == ["needs_ocr: 2 image-only page(s), no text layer", "no main text extracted"]


def test_attachment_only_pages_are_not_records(crawled):
    _, archive, _ = crawled
    urls = {r["source"]["url"] for r in records(archive)}
    assert not any(HOME + "xxgk/zfxxgknb/" + page in urls for _, _, page in EXPECTED_ATTACHMENTS.values())
    run = json.loads(next(archive.glob("runs/*.json")).read_text(encoding="utf-8"))
    assert run["portals"][0]["stats"]["nianbao/attachment_only_pages"] == 5


def test_republished_copy_is_merged_into_also_seen_at(crawled):
    _, archive, _ = crawled
    (taoranting,) = [r for r in records(archive) if "陶然亭" in (r["title"] or "")]
    urls = {taoranting["source"]["url"], *taoranting["also_seen_at"]}
    assert urls == {
        HOME + "xxgk/zfxxgknb/201801/t20180126_1048455.html",
        HOME + "xxgk/zfxxgknb/202203/t20220310_1049301.html",
    }
    assert taoranting["year"] == 2017  # the 2022 re-posting date is not the report year


def test_lookalikes_recorded_not_dropped(crawled):
    _, archive, _ = crawled
    lookalikes = {r["title"]: r for r in records(archive) if not r["is_report"]}
    assert set(lookalikes) == {"关于印发样例县2020年政务公开工作要点的函", "样例县2019年国民经济和社会发展统计公报"}
    assert all(r["parser"]["verdict_reason"] for r in lookalikes.values())


def test_gbk_page_text_equals_its_seed(crawled):
    _, archive, _ = crawled
    (miyun,) = [r for r in records(archive) if "密雲區" in (r["title"] or "")]
    assert miyun["source"]["content_type"] == "text/html"  # charset only in <meta>
    assert (miyun["source"]["declared_charset"], miyun["source"]["encoding"]) == ("gb2312", "gb18030")
    seed_lines = (SEEDS / "000_a548a34bccc868de.txt").read_text(encoding="utf-8").splitlines()
    body = [line for line in seed_lines[1:] if not line.strip().startswith(SEED_000_CHROME)]
    assert squeeze(miyun["text"]) == squeeze("\n".join(body))


def test_raw_bodies_and_texts_are_archived_under_design_keys(crawled):
    _, archive, _ = crawled
    for record in records(archive):
        key = record["source"]["raw_key"]
        assert re.fullmatch(r"raw/sha256/([0-9a-f]{2})/([0-9a-f]{2})/\1\2[0-9a-f]{60}", key)
        assert hashlib.sha256((archive / key).read_bytes()).hexdigest() == record["source"]["raw_sha256"]
        assert (archive / "text" / f"{record['report_id']}.txt").read_text(encoding="utf-8") == record["text"]


def test_only_the_portal_host_is_requested(crawled):
    portal, _, _ = crawled
    hosts = {host for host, _ in portal.requests}
    assert hosts == {SAMPLE_HOST}
    assert ("www.yangli.gov.test", "/robots.txt") in portal.requests


def test_second_crawl_adds_nothing_but_its_run_report(crawled):
    portal, archive, first = crawled
    before = archive_files(archive)
    second = run_cli("crawl", HOME, "--proxy", portal.url, "--archive", str(archive))
    assert second.returncode == 0, second.stderr
    added = archive_files(archive) - before
    (run_key,) = [key for key in added if key.startswith("runs/")]
    crawl_id = run_key.removeprefix("runs/").removesuffix(".json")
    # Besides its run report, only the crawl's WARC file: requests and revisits (tests/e2e/test_warc_crawl.py).
    name = f"warc/{crawl_id}/nianbao-{crawl_id}-00000-{host_label()}"
    assert added - {run_key} == {f"{name}.warc.gz", f"{name}.index.jsonl"}
    assert "nothing new archived" in second.stdout
    assert "nothing new archived" not in first.stdout
    run = json.loads((archive / run_key).read_text(encoding="utf-8"))
    # Every page answered 304: the 13 articles and attachments seen are known, none is parsed again.
    assert run["counts"]["objects_written"] == 0 and run["counts"]["records_new"] == 0
    assert run["counts"]["not_modified"] == run["counts"]["pages_fetched"] and run["counts"]["unchanged"] > 0


def test_pengxi_stats_archived_by_the_crawl_equal_the_seed_truth(crawled):
    """Seed 001 served as real HTML tables, crawled, parsed in the pipeline: the 2019 tables' numbers."""
    _, archive, _ = crawled
    truth = seed_truth()
    (pengxi,) = [r for r in records(archive) if "蓬溪县" in (r["title"] or "")]
    assert pengxi["format"] == "2019"
    assert pengxi["stats"] == truth["001_5e7b7750513ba6ef.txt"]["stats"]
    amount = {"table": "表二", "row": "政府集中采购", "col": "采购总金额", "raw": "4.651万元", "unit": "万元"}
    assert pengxi["cells"] == [amount]
    assert pengxi["checks"] and all(check["ok"] for check in pengxi["checks"])
    assert list(pengxi)[list(pengxi).index("published") + 1:][:6] == ["signed", "format", "sections", "stats", "cells",
                                                                     "checks"]


def test_every_crawled_seed_report_has_its_hand_checked_stats(crawled):
    _, archive, _ = crawled
    truth = seed_truth()
    by_title = {"密雲區": "000", "蓬溪县": "001", "阿拉山口市": "002", "陶然亭街道": "003", "云城区": "004"}
    names = {name[:3]: name for name in truth}
    reports = [r for r in records(archive) if r["is_report"] and any(t in r["title"] for t in by_title)]
    for record in reports:
        (number,) = [n for title, n in by_title.items() if title in record["title"]]
        expected = truth[names[number]]  # format: the tables' template, else the year's
        assert (record["format"], record["stats"]) == (report_format(expected["format"], record["year"])[0],
                                                       expected["stats"]), number
    assert len(reports) == 5
