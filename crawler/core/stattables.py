"""Readers for the statistics tables of each template, one ``Grid`` in, keyed values out.

Every reader finds its columns and rows by label, never by position alone, so grids with spans
expanded (HTML) and grids of printed rows (text, where merged cells appear once) read the same.
Each returns ``Cell``s in table order; the caller builds ``stats`` and ``cells`` from them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from crawler.core.cellvalues import Value, read_value
from crawler.core.forms import APPLICANTS as APPLICANT_COLUMNS
from crawler.core.forms import (
    REVIEW_COLUMNS,
    REVIEW_GROUPS,
    SUBTOTAL,
    is_table3_label,
    numbered_sub_row,
    table2_column,
    table2_truncated_columns,
    table3_label,
)
from crawler.core.labels import key_part, matchable, split_ordinal, squeeze
from crawler.core.types import Grid

TABLE3_TOP = ("本年新收政府信息公开申请数量", "上年结转政府信息公开申请数量", "本年度办理结果", "结转下年度继续办理")
OUTCOMES_2021_ONLY = "申请人无正当理由逾期不补正"
HEADERS_2021 = frozenset({"本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量"})
_TABLE3_HEAD = re.compile(r"勾稽关系|^申请人情况$|^自然人$")
HEADERS_2019 = frozenset({"本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "处理决定数量"})


@dataclass(frozen=True, slots=True)
class Cell:
    table: str
    row: str
    col: str
    value: Value

    @property
    def key(self) -> str:
        return f"{self.row}/{self.col}" if self.col else self.row


def kind(grid: Grid) -> str | None:
    """Which table this is: 表二, 表三, 表四, 统计表 (pre-2019), or None."""
    texts = {matchable(cell) for row in grid for cell in row if cell}
    joined = "|".join(texts)
    if "本年新收" in joined and "自然人" in texts:
        return "表三"
    if "未经复议直接起诉" in joined:
        return "表四"
    if "第二十条" in joined and "信息内容" in texts:
        return "表二"
    if texts & {"统计指标", "指标名称"} and texts & {"单位", "计量单位"}:
        return "统计表"
    return None


def _split_row(row: tuple[str, ...]) -> tuple[list[str], list[Value]]:
    """Leading label cells (span copies merged) and the value cells after them."""
    labels: list[str] = []
    for i, cell in enumerate(row):
        value = read_value(cell)
        if value is not None and (cell.strip() or labels):
            return labels, [read_value(c) or Value(None, c) for c in row[i:]]
        if cell.strip() and (not labels or squeeze(labels[-1]) != squeeze(cell)):
            labels.append(cell)
    return labels, []


def _fit(values: list[Value], width: int) -> list[Value] | None:
    """Drop the empty padding cells of text exports; None when the row does not have ``width`` values."""
    values = list(values)
    while len(values) > width and not values[-1].raw.strip():
        values.pop()
    return values if len(values) == width else None


def table3(grid: Grid, warnings: list[str]) -> list[Cell]:
    start = next((r for r, row in enumerate(grid) if any(matchable(c).startswith("本年新收") for c in row)), None)
    if start is None:
        return []
    headers = {matchable(c) for row in grid[:start] for c in row} | set(_stacked_headers(grid[:start]))
    headers |= {matchable(a + b) for row in grid[:start] for a, b in pairwise(row)}  # "商业" "企业" one cell a line
    columns = [c for c in APPLICANT_COLUMNS if c in headers]
    if any("小计" in h for h in headers):
        columns.append(SUBTOTAL)
    if headers & {"总计", "合计"}:
        columns.append("总计")
    positions = _column_positions(grid, start, columns)
    cells: list[Cell] = []
    path: list[str] = []
    joined = _joined_labels(grid[start:], positions[0]) if positions else []
    for r, row in enumerate(grid[start:]):
        if positions:
            labels = joined[r]
            values = [read_value(row[j]) if j < len(row) else None for j in positions]
            fitted = values if all(v is not None for v in values) else None
        else:
            labels, values = _split_row(row)
            fitted = _fit(values, len(columns))
        for label in _unwrapped(labels):
            level, _ = split_ordinal(label)
            name = table3_label(key_part(label, drop_note=True))
            if level == 3 and not is_table3_label(name) and len(path) > 1:
                name = numbered_sub_row(path[1], _ordinal_number(label), name) or name
            if level is None:
                level = 1 if name in TABLE3_TOP else 2 if path[:1] == ["本年度办理结果"] else 1
            path = [*path[: level - 1], name]
        if values and fitted is None:
            warnings.append(f"表三 row {'/'.join(path)}: {len(values)} values for {len(columns)} columns, skipped")
        for col, value in zip(columns, fitted or [], strict=False):
            cells.append(Cell("表三", "/".join(path), col, value))
    return cells


def _unwrapped(labels: list[str]) -> list[str]:
    """Labels with the lines of a wrapped label joined: a piece without an ordinal continues the label
    before it when that one's parenthesis is still open or the two make a form label."""
    joined: list[str] = []
    for label in labels:
        previous = joined[-1] if joined else ""
        if previous and split_ordinal(label)[0] is None and (
                previous.count("（") + previous.count("(") > previous.count("）") + previous.count(")")
                or is_table3_label(key_part(previous + label, drop_note=True))):
            joined[-1] = previous + label
        else:
            joined.append(label)
    return joined


def _ordinal_number(label: str) -> int:
    digits = re.match(r"[（(]?(\d+)", squeeze(label))
    return int(digits.group(1)) if digits else 0


def _column_positions(grid: Grid, start: int, columns: list[str]) -> list[int] | None:
    """Each column's index in a rectangular grid (HTML with spans expanded, PDF and DOCX cells), when the
    header names every column at one index of its own; None for grids of printed rows (text)."""
    if len({len(row) for row in grid}) != 1:
        return None
    found = _stacked_headers(grid[:start])
    positions = [found.get(name) for name in columns]
    if None in positions or positions != sorted(set(positions)):
        return None
    return positions


def _joined_labels(rows: Grid, first_value: int) -> list[list[str]]:
    """Each row's label cells before the values, span copies merged. A label cell split over two rows
    ("（四）无" above "法提供", across a page break) is joined in both rows when only the join is a form label."""
    cells = [[cell.strip() for cell in row[:first_value]] for row in rows]
    for j in range(first_value):
        filled = [r for r, row in enumerate(cells) if j < len(row) and row[j]]
        for r1, r2 in pairwise(filled):
            top, rest = cells[r1][j], cells[r2][j]
            joined = top + rest
            if (split_ordinal(rest)[0] is None and not is_table3_label(key_part(top, drop_note=True))
                    and is_table3_label(key_part(joined, drop_note=True))):
                cells[r1][j] = cells[r2][j] = joined
    labels: list[list[str]] = []
    for row in cells:
        merged: list[str] = []
        for cell in row:
            if cell and (not merged or squeeze(merged[-1]) != squeeze(cell)):
                merged.append(cell)
        labels.append(merged)
    return labels


def _stacked_headers(rows: Grid) -> dict[str, int]:
    """Column names, with their first index, whose cell may be split over header rows ("商业" above "企业"),
    read down each column."""
    found: dict[str, int] = {}
    for j in range(max((len(row) for row in rows), default=0)):
        parts: list[str] = []
        for row in rows:
            part = matchable(row[j]) if j < len(row) else ""
            if part and (not parts or parts[-1] != part):
                parts.append(part)
        for name in (*APPLICANT_COLUMNS, "总计", SUBTOTAL):
            if "".join(parts).endswith(name) or (name == SUBTOTAL and "小计" in "".join(parts[-1:])):
                found.setdefault(name, j)
    return found


def table2(grid: Grid, fmt: str, warnings: list[str]) -> list[Cell]:
    cells: list[Cell] = []
    headers: list[tuple[int, str]] = []
    for row in grid:
        first = matchable(row[0]) if row else ""
        if "第二十条" in first or _TABLE3_HEAD.search(first):
            headers = []  # a new item, or 表三 printed in the same block of text
        elif first == "信息内容" or (not first and _table2_header_row(row)):
            headers = _table2_headers(row, warnings)
        elif headers and first and read_value(row[0]) is None:
            label = _table2_row(key_part(row[0]), fmt)
            values = [read_value(row[j]) if j < len(row) else None for j, _ in headers]
            if not any(values):
                continue  # a heading or label row without values (text after the table)
            if any(v is None for v in values) or _values_after(row, headers[-1][0]):
                warnings.append(f"表二 row {label}: cells do not fit its {len(headers)} columns, skipped")
                continue
            cells += [Cell("表二", label, col, value) for (_, col), value in zip(headers, values, strict=True)]
    if not cells:
        warnings.append("表二 found but no rows read")
    return cells


def _values_after(row: tuple[str, ...], last: int) -> bool:
    """Values printed right of the last column (a row of text that does not fit); span copies don't count."""
    return any(read_value(row[j]) is not None and row[j].strip() and row[j] != row[j - 1]
               for j in range(last + 1, len(row)))


def _table2_headers(row: tuple[str, ...], warnings: list[str]) -> list[tuple[int, str]]:
    """(index, column key) of each header cell in the form's spelling. Names cut short in the file are
    restored from the form (two equal neighbours are then two columns, not a span copy); a section whose
    columns are still not the form's is left out with a warning."""
    for found in ([(j, key_part(c)) for j, c in enumerate(row) if j and c.strip() and c != row[j - 1]],
                  [(j, key_part(c)) for j, c in enumerate(row) if j and c.strip()]):
        names = [table2_column(name) for _, name in found]
        if all(names):
            return list(zip([j for j, _ in found], names, strict=True))
        restored = table2_truncated_columns([name for _, name in found])
        if restored:
            return list(zip([j for j, _ in found], restored, strict=True))
    warnings.append(f"表二 columns {'|'.join(c for c in row[1:] if c.strip())} are not the form's, section skipped")
    return []


def _table2_header_row(row: tuple[str, ...]) -> bool:
    """A header row whose 信息内容 cell came out empty (a PDF table continued on the next page)."""
    names = [c for c in row[1:] if c.strip()]
    return bool(names) and all(table2_column(name) for name in names)


def _table2_row(label: str, fmt: str) -> str:
    if label in ("规范性文件", "行政规范性文件"):
        return "行政规范性文件" if fmt == "2021" else "规范性文件"
    return label


def table2_format(grid: Grid) -> str | None:
    texts = {key_part(c) for row in grid for c in row}
    if texts & HEADERS_2021 and not texts & HEADERS_2019:
        return "2021"
    if texts & HEADERS_2019:
        return "2019"
    return None


def table4(grid: Grid, warnings: list[str]) -> list[Cell]:
    has_total = any(matchable(c) == "总计" for row in grid for c in row)
    columns = REVIEW_COLUMNS if has_total else REVIEW_COLUMNS[:4]
    width = len(columns) * len(REVIEW_GROUPS)
    for row in grid:
        labels, values = _split_row(row)
        fitted = _fit(values, width) if not labels else None
        if fitted:
            return [Cell("表四", group, col, fitted[g * len(columns) + c])
                    for g, group in enumerate(REVIEW_GROUPS) for c, col in enumerate(columns)]
    warnings.append(f"表四 found but no row of {width} values")
    return []


def stat_table(grid: Grid, warnings: list[str]) -> list[Cell]:
    """Pre-2019 统计表, national (统计指标|单位|统计数) or local (指标名称|计量单位|本年度|历年累计)."""
    head = next((r for r, row in enumerate(grid) if {matchable(c) for c in row} & {"统计指标", "指标名称"}), None)
    if head is None:
        return []
    names = [matchable(c) for c in grid[head]]
    unit = _column(names, ("单位", "计量单位"))
    current = _column(names, ("统计数", "本年度", "本年", "数量", "本年数"))
    cumulative = _column(names, ("历年累计", "累计"))
    if unit is None or current is None:
        warnings.append("统计表 without a unit or value column")
        return []
    cells: list[Cell] = []
    seen: set[str] = set()
    path: list[str] = []
    for row in grid[head + 1:]:
        if not row or read_value(row[0]) is not None:
            continue
        level, name = split_ordinal(row[0])
        if level is not None:
            path = [*path[: level - 1], name]
        wanted = [(current, "")] + ([(cumulative, "历年累计")] if cumulative is not None else [])
        values = [(col, read_value(row[j]) if j < len(row) else Value(None, "")) for j, col in wanted]
        if _is_dash(row[unit] if unit < len(row) else "") and all(v is None or v.number is None for _, v in values):
            continue  # a section heading row such as "一、主动公开情况 | —— | ——"
        if name in seen and len(path) > 1:  # 被依法纠错数 under both 行政复议 and 行政诉讼
            name = f"{path[-2]}/{name}" if path[-1] == name else f"{path[-1]}/{name}"
        if name in seen:
            warnings.append(f"统计表 indicator {name} printed twice, second kept out")
            continue
        seen.add(name)
        for col, value in values:
            cells.append(Cell("统计表", name, col, value or Value(None, row[current])))
    return cells


def _column(names: list[str], wanted: tuple[str, ...]) -> int | None:
    return next((j for j, name in enumerate(names) if name in wanted), None)


def _is_dash(text: str) -> bool:
    return squeeze(text).strip("—-－/") == ""
