"""The seed parser recovers the three flattened table shapes and drops the source portal's chrome."""

from __future__ import annotations

import pytest

from sampleportal.seedtext import Paragraph, Table, parse_seed
from tests.support.cli import SEEDS


def tables(name: str) -> list[Table]:
    doc = parse_seed((SEEDS / name).read_text(encoding="utf-8"))
    return [b for b in doc.blocks if isinstance(b, Table)]


def test_pipe_rows_keep_row_structure():
    found = tables("001_5e7b7750513ba6ef.txt")
    assert [len(t.rows) for t in found] == [18, 26, 4]
    assert found[0].rows[2] == ("规章", "0", "0", "0")
    assert found[2].rows[3] == ("0",) * 15


def test_pipe_cells_regroup_into_three_columns():
    (table,) = tables("002_5ec431ede201274a.txt")
    assert table.rows[0] == ("统 计 指 标", "单位", "统计数")
    assert table.rows[2] == ("(一)主动公开政府信息数 (不同渠道和方式公开相同信息计1条)", "条", "3000")
    assert all(len(row) == 3 for row in table.rows)


def test_tab_cells_split_rows_on_blank_lines():
    (table,) = tables("003_c2e2148ac72f28cc.txt")
    assert table.rows[1] == ("统\xa0计\xa0指\xa0标", "单位", "统计数")  # no-break spaces as printed
    assert ("（一）主动公开政府信息数（不同渠道和方式公开相同信息计1条）", "条", "975") in table.rows


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("000_a548a34bccc868de.txt", "北京市密雲區人民政府2017年政府信息公開工作年度報告"),
        ("001_5e7b7750513ba6ef.txt", None),
        ("004_b722d12b70247cc9.txt", "云城区2018年度政府信息公开工作年度报告"),
    ],
)
def test_title_and_chrome(name, title):
    doc = parse_seed((SEEDS / name).read_text(encoding="utf-8"))
    assert doc.title == title
    texts = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    assert not any(t.startswith(("当前位置", "分享", "字號", "TOP", "发布时间", "已歸檔")) for t in texts)


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_office_attachments_are_the_same_bytes_whenever_built(kind, monkeypatch):
    """Archives of two sample-portal runs must match byte for byte, so no build time may leak in."""
    import time as time_module

    from sampleportal import docfiles

    document = parse_seed((SEEDS / "001_5e7b7750513ba6ef.txt").read_text(encoding="utf-8"))
    first = docfiles.WRITERS[kind](document)
    later = time_module.time() + 86400 * 400
    monkeypatch.setattr(time_module, "time", lambda: later)
    assert docfiles.WRITERS[kind](document) == first
