"""``nianbao parse FILE --json`` prints the stats of one document: a seed text and a generated HTML page."""

from __future__ import annotations

import json
import random

from sampleportal.reportgen import generate
from tests.support.cli import SEEDS, run_cli, seed_truth

TRUTH = seed_truth()


def test_parse_text_file_prints_its_stats():
    result = run_cli("parse", str(SEEDS / "001_5e7b7750513ba6ef.txt"), "--json")
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert (record["format"], record["stats"]) == ("2019", TRUTH["001_5e7b7750513ba6ef.txt"]["stats"])


def test_parse_gbk_html_page_with_word_tables(tmp_path):
    report = generate(random.Random(3), "2021")
    page = report.html(soup=True, split_headers=True).replace("charset='utf-8'", "charset='gbk'")
    path = tmp_path / "report.html"
    path.write_bytes(page.encode("gbk"))
    result = run_cli("parse", str(path), "--json")
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["source"]["encoding"] == "gb18030"
    assert (record["format"], record["stats"]) == ("2021", report.stats)
    assert all(check["ok"] for check in record["checks"])
