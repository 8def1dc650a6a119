"""HTML tables to grids, text tables to grids, and cell values."""

from __future__ import annotations

import random

import pytest

from crawler.core.cellvalues import read_value
from crawler.core.extraction import extract, parse_html
from crawler.core.parsing import parse_report
from crawler.core.tables import html_grids
from crawler.core.texttables import text_grids
from sampleportal.reportgen import generate


def grids(html: str):
    return html_grids(parse_html(f"<html><body>{html}</body></html>"))


def test_rowspan_and_colspan_are_expanded():
    (grid,) = grids("<table><tr><td rowspan=2>a</td><td colspan=2>b</td></tr><tr><td>1</td><td>2</td></tr></table>")
    assert grid == (("a", "b", "b"), ("a", "1", "2"))


def test_word_pasted_soup_and_br_inside_cells():
    cell = ('<td><p class=MsoNormal><span style="font-size:10pt"><font face=宋体>商业<br>企业</font></span>'
            "</p><p class=MsoNormal><span lang=EN-US>&nbsp;</span></p></td>")
    (grid,) = grids(f"<table><tr>{cell}<td><span>1</span><span>2</span></td></tr></table>")
    assert grid == (("商业 企业", "12"),)


def test_layout_table_around_the_real_table_is_skipped():
    html = "<table><tr><td>layout<table><tr><td>x</td><td>1</td></tr></table></td></tr></table>"
    assert grids(html) == ((("x", "1"),),)


def test_extract_fills_tables_but_not_with_the_info_table():
    page = ("<html><body><table><tr><td>索引号：</td><td>123</td></tr></table>"
            "<p>正文第一段足够长的报告文字。</p><table><tr><td>规章</td><td>3</td></tr></table></body></html>")
    assert extract(page).tables == ((("规章", "3"),),)


def test_text_tables_in_three_shapes():
    pipe = "说明\n规章 | 0 | 1 |\n行政规范性文件 | 2 | 3 |\n"
    tab = "\t统计指标\n\t单位\n\n\t收到申请数\n\t件\n"
    lines = "统计指标 |\n统计数 |\n一、主动公开情况 |\n3 |\n"
    assert text_grids(pipe) == ((("规章", "0", "1"), ("行政规范性文件", "2", "3")),)
    assert text_grids(tab) == ((("统计指标", "单位"), ("收到申请数", "件")),)
    assert text_grids(lines) == ((("统计指标", "统计数"), ("一、主动公开情况", "3")),)


@pytest.mark.parametrize(("raw", "number", "unit", "plain"), [
    ("0", 0, None, True), ("+1036", 1036, None, False), ("-3", -3, None, True),
    ("251000元", 251000, "元", False), ("4.651万元", 4.651, "万元", False), ("１２", 12, None, False),
    ("1,234", 1234, None, False), ("81.23", 81.23, None, True),
])
def test_numbers_keep_sign_unit_and_raw(raw, number, unit, plain):
    value = read_value(raw)
    assert (value.number, value.unit, value.raw, value.plain) == (number, unit, raw, plain)


@pytest.mark.parametrize("raw", ["", "/", "—", "-", "空", "无", "／", "——"])
def test_null_markers_are_null_not_zero(raw):
    value = read_value(raw)
    assert value.number is None and value.raw == raw


def test_labels_are_not_values():
    assert read_value("规章") is None and read_value("1.属于国家秘密") is None


def test_a_page_with_only_a_layout_table_falls_back_to_its_text_table():
    text = "统计指标 | 单位 | 统计数 |\n（一）收到申请数 | 件 | 3 |\n"
    assert parse_report(text, ((("首页", "导航"),),)).stats == {"收到申请数": 3}


def test_table3_header_cells_split_over_two_rows():
    report = generate(random.Random(4), "2019")
    table3 = next(g for g in extract(report.html()).tables if any("自然人" in c for c in g[1]))
    corner, names = table3[2][:4], table3[2][4:]
    halves = [(name[:2], name[2:]) if len(name) > 2 else (name[:1], name[1:]) for name in names[:-1]]
    split = (*table3[:2], (*corner, *(a for a, _ in halves), names[-1]), (*corner, *(b for _, b in halves), names[-1]))
    grid = (*split, *table3[3:])
    assert "商业企业" not in {c for row in grid for c in row}
    parsed = parse_report("", (grid,))
    assert {k: v for k, v in report.stats.items() if k.startswith(("本年", "上年", "结转"))} == parsed.stats


def test_cells_in_printed_order_are_put_back_in_rows():
    """One cell per line between pipe lines, as a portal's text export gives a 2021 表二 and 表三."""
    cells = ["第二十条第（一）项", "信息内容", "本年制发件数", "本年废止件数", "现行有效件数", "规章", "0", "1", "6",
             "行政规范性文件", "2", "0", "9", "第二十条第（五）项", "信息内容", "本年处理决定数量", "行政许可", "12",
             "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况", "自然人",
             "法人或其他组织", "总计", "商业", "企业", "科研机构", "社会公益组织", "法律服务机构", "其他",
             "一、本年新收政府信息公开申请数量", "3", "1", "0", "0", "0", "0", "4"]
    stats = parse_report("\n|\n".join(cells) + "\n|\n").stats
    assert stats["规章/现行有效件数"] == 6 and stats["行政规范性文件/本年制发件数"] == 2
    assert stats["行政许可/本年处理决定数量"] == 12
    assert stats["本年新收政府信息公开申请数量/商业企业"] == 1 and stats["本年新收政府信息公开申请数量/总计"] == 4
    flat = parse_report("二、主动公开政府信息情况 " + " | ".join(cells) + " |").stats  # one paragraph
    assert flat == stats


def test_a_table3_row_with_a_cell_missing_is_left_out_with_a_warning():
    cells = ["申请人情况", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计",
             "一、本年新收政府信息公开申请数量", "3", "1", "0", "0", "0", "4",
             "二、上年结转政府信息公开申请数量", "0", "0", "0", "0", "0", "0", "0"]
    parsed = parse_report("\n".join(cells))
    assert not any(key.startswith("本年新收") for key in parsed.stats)
    assert parsed.stats["上年结转政府信息公开申请数量/总计"] == 0
    assert any("本年新收" in warning for warning in parsed.warnings)
