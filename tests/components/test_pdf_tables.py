"""WPS-layout PDFs (merged cells as spans, 表三 over a page break with its header repeated, page numbers)
read through the real PDF reader: every 表三 cell, 总计 included, is found with its true value."""

from __future__ import annotations

import random

import pytest

from crawler.core.documents import read_document
from crawler.core.parsing import parse_report
from sampleportal.reportgen import generate


@pytest.mark.parametrize(("seed", "fmt", "variants"), [(1, "2021", set()), (2, "2019", set()),
                                                       (3, "2021", {"traditional"})])
def test_wps_pdf_reads_every_table3_cell(seed, fmt, variants):
    report = generate(random.Random(seed), fmt, variants=variants)
    document = read_document(report.wps_pdf(), None, "report.pdf")
    assert int(document.extracted.metadata["pages"]) >= 3  # 表三 does cross a page break
    parsed = parse_report(document.extracted.text, document.extracted.tables)
    table3 = {key: value for key, value in report.stats.items() if key.split("/")[0] in (
        "本年新收政府信息公开申请数量", "上年结转政府信息公开申请数量", "本年度办理结果", "结转下年度继续办理")}
    assert any(key.endswith("/总计") for key in table3)
    assert {key: parsed.stats.get(key) for key in table3} == table3
    assert all(report.stats.get(key, "absent") == value for key, value in parsed.stats.items())
