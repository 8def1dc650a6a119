"""Property tests over generated reports: every rendering parses to the same stats; checks see the truth."""

from __future__ import annotations

import random

import pytest

from crawler.core.checks import cross_year_checks
from crawler.core.documents import read_document
from crawler.core.parsing import parse_report
from sampleportal import docfiles
from sampleportal.reportgen import VARIANTS, generate
from tests.support.parse_eval import INPUT_KINDS, PRECISION_ONLY, kinds_for

SEEDS = range(20)


@pytest.mark.parametrize("fmt", ["pre2019", "2019", "2021"])
@pytest.mark.parametrize("seed", SEEDS)
def test_html_and_flattened_text_parse_to_the_same_stats(fmt, seed):
    report = generate(random.Random(seed), fmt)
    results = {kind: INPUT_KINDS[kind](report) for kind in kinds_for(report)}
    for kind, parsed in results.items():
        if kind in PRECISION_ONLY:  # glued text: what is read is right, ambiguous cells are left out
            assert parsed.stats.items() <= report.stats.items(), kind
        else:
            assert parsed.stats == results["html"].stats, kind
            assert parsed.format == fmt, kind
    assert results["html"].stats == report.stats


@pytest.mark.parametrize("fmt", ["pre2019", "2019", "2021"])
@pytest.mark.parametrize("seed", range(6))
def test_pdf_and_docx_attachments_parse_to_the_same_stats(fmt, seed):
    """The report as a Word-style PDF (table broken over pages, punctuation hanging out of cells) and DOCX."""
    report = generate(random.Random(seed), fmt)
    for kind in ("pdf", "docx"):
        document = read_document(docfiles.WRITERS[kind](report.document()), None, f"report.{kind}")
        assert document.kind == kind
        parsed = parse_report(document.extracted.text, document.extracted.tables)
        assert (parsed.format, parsed.stats) == (fmt, report.stats), kind


@pytest.mark.parametrize("fmt", ["2019", "2021"])
@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_printed_label_variants_keep_the_stats_keys(fmt, variant):
    report = generate(random.Random(11), fmt, variants={variant})
    for kind in kinds_for(report):
        stats = INPUT_KINDS[kind](report).stats
        assert stats.items() <= report.stats.items() if kind in PRECISION_ONLY else stats == report.stats, kind


@pytest.mark.parametrize("fmt", ["2019", "2021"])
@pytest.mark.parametrize("seed", SEEDS)
def test_checks_pass_on_consistent_reports(fmt, seed):
    parsed = INPUT_KINDS["pipe"](generate(random.Random(seed), fmt))
    names = {check["name"] for check in parsed.checks}
    assert names == {"表三 一+二=七+四", "表三 七=一至六之和", "表三 总计=各申请人之和", "表四 总计=四项之和"}
    assert all(check["ok"] for check in parsed.checks)


@pytest.mark.parametrize("fmt", ["2019", "2021"])
def test_an_inconsistent_total_fails_its_checks_and_is_kept(fmt):
    report = generate(random.Random(5), fmt, inconsistent=True)
    parsed = INPUT_KINDS["html"](report)
    failed = {(c["name"], c["scope"]) for c in parsed.checks if not c["ok"]}
    assert failed == {("表三 一+二=七+四", "总计"), ("表三 七=一至六之和", "总计"),
                      ("表三 总计=各申请人之和", "本年度办理结果/总计")}
    bad = next(c for c in parsed.checks if c["name"] == "表三 七=一至六之和" and c["scope"] == "总计")
    assert bad["actual"] == bad["expected"] + 1 == parsed.stats["本年度办理结果/总计/总计"]  # not repaired


def test_cross_year_checks_compare_with_the_previous_record():
    previous = generate(random.Random(1), "2021").stats
    current = dict(generate(random.Random(2), "2021").stats)
    current["上年结转政府信息公开申请数量/自然人"] = previous["结转下年度继续办理/自然人"]
    for row, offset in (("规章", 0), ("行政规范性文件", 1)):
        change = current[f"{row}/本年制发件数"] - current[f"{row}/本年废止件数"]
        current[f"{row}/现行有效件数"] = previous[f"{row}/现行有效件数"] + change + offset
    checks = {(c["name"], c["scope"]): c for c in cross_year_checks(current, previous)}
    assert checks[("跨年 上年结转=上年结转下年", "自然人")]["ok"]
    assert checks[("跨年 现行有效件数", "规章")]["ok"]
    assert not checks[("跨年 现行有效件数", "行政规范性文件")]["ok"]
