"""Tables whose cells were glued into running text ("规章000规范性文件898989") read back as grids.

Used only when a document has no other table structure. The text is cut into label runs and value
runs; a value run is split into the row's known number of cells only when exactly one split exists:
each part must read as a number (no leading zeros) or null marker, and for 表三 and 表四 each 总计
(and 法人或其他组织小计) must equal the sum of its parts (a 表三 or 表四 printed without 总计 is not read).
Anything ambiguous is left out, never guessed.
Only the 2019/2021 tables are read this way (pre-2019 labels carry digits of their own).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from crawler.core.cellvalues import read_value
from crawler.core.labels import matchable
from crawler.core.normalize import to_simplified
from crawler.core.stattables import APPLICANT_COLUMNS, REVIEW_COLUMNS
from crawler.core.types import Grid

# Values glued together: signed/decimal numbers with an optional 元/万元, or the null marks / and —.
# A lone 无 is left to the labels: it also opens labels such as 无法提供.
_VALUE_RUN = re.compile(r"(?:[+-]?\d+(?:\.\d+)?(?:万元|元)?|/|—)+")
_LABEL_START = re.compile(r"(?=[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d[.．](?!\d))")
_PART = re.compile(r"^(?:[+-]?(?:0|[1-9]\d*)(?:\.\d+)?(?:万元|元)?|/|—|无)$")
_TABLE2_HEADERS = ("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "本年增/减", "处理决定数量",
                   "采购项目数量", "采购总金额", "本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量",
                   "本年收费金额（单位：万元）")
# Glued rows are kept only under the template's own labels: a local row name cannot be told apart
# from a glued null mark ("行政处罚无行政强制").
_TABLE2_ROWS = frozenset({"规章", "规范性文件", "行政规范性文件", "行政许可", "其他对外管理服务事项", "行政处罚",
                          "行政强制", "行政事业性收费", "政府集中采购"})
_MAX_RUN = 18  # longer digit runs have too many splits to enumerate cheaply; they are left out

Check = Callable[[list[str]], bool]


def glued_grids(text: str) -> tuple[Grid, ...]:
    grids = []
    flat = to_simplified(re.sub(r"\s+", "", text))
    if (start := flat.find("第二十条")) >= 0:
        grids.append(_table2(flat[start:flat.find("本年新收", start) if "本年新收" in flat[start:] else None]))
    if (start := flat.find("本年新收")) >= 0:
        head = flat[max(0, flat.rfind("自然人", 0, start) - 20):start]
        grids.append(_table3(head, flat[start:]))
    if (start := flat.find("未经复议直接起诉")) >= 0:
        grids.append(_table4(flat[flat.rfind("行政复议", 0, start):]))
    return tuple(grid for grid in grids if grid)


def _table2(text: str) -> Grid:
    rows: list[tuple[str, ...]] = []
    for section in re.split(r"(?=第二十条)", text):
        head, _, body = section.partition("信息内容")
        if not body:
            continue
        headers, body = _headers(body)
        rows += [(head,), ("信息内容", *headers)]
        for label, run in _pairs(body):
            values = _unique_split(run, len(headers)) if matchable(label) in _TABLE2_ROWS else None
            if values:
                rows.append((label, *values))
    return tuple(rows)


def _headers(body: str) -> tuple[list[str], str]:
    headers = []
    while found := next((h for h in _TABLE2_HEADERS if body.startswith(h)), None):
        headers.append(found)
        body = body[len(found):]
    return headers, body


def _table3(head: str, body: str) -> Grid:
    columns = [c for c in APPLICANT_COLUMNS if c in head] + (["小计"] if "小计" in head else [])
    if "总计" not in head or len(columns) < len(APPLICANT_COLUMNS):
        return ()  # without the 总计 sums a split is unique too rarely to be trusted
    columns.append("总计")
    n = len(APPLICANT_COLUMNS)

    def sums(parts: list[str]) -> bool:
        numbers = [read_value(p).number for p in parts]
        if any(v is None for v in numbers):
            return False
        return numbers[-1] == sum(numbers[:n]) and ("小计" not in columns or numbers[n] == sum(numbers[1:n]))

    rows: list[tuple[str, ...]] = [tuple(columns)]
    for label, run in _pairs(body):
        labels = [part for part in _LABEL_START.split(label) if part]
        values = _unique_split(run, len(columns), sums)
        rows.append((*labels, *(values or ())))
        if matchable(labels[0]).startswith("结转下年度"):
            break
    return tuple(rows)


def _table4(text: str) -> Grid:
    if "总计" not in text:
        return ()  # without the 总计 sums a split is unique too rarely to be trusted
    width = len(REVIEW_COLUMNS)

    def sums(parts: list[str]) -> bool:
        numbers = [read_value(p).number for p in parts]
        return all(v is not None for v in numbers) and all(
            numbers[g + 4] == sum(numbers[g:g + 4]) for g in range(0, 3 * width, width))

    run = _VALUE_RUN.search(text.rsplit("总计", 1)[-1])
    values = _unique_split(run.group(), 3 * width, sums) if run else None
    return (("行政复议", "行政诉讼", "未经复议直接起诉", *REVIEW_COLUMNS), tuple(values)) if values else ()


def _pairs(body: str) -> list[tuple[str, str]]:
    """(label, value run) pairs; a row ordinal glued to the previous run ("0001.属于") goes to the label.

    Only the last digit moves: 表三 sub-row ordinals run from 1 to 8.
    """
    pairs, pos = [], 0
    for match in _VALUE_RUN.finditer(body):
        run, end = match.group(), match.end()
        if body[end:end + 1] in (".", "．") and run[-1:].isdigit():
            run, end = run[:-1], end - 1
        label = body[pos: match.start()]
        if label:
            pairs.append((label, run))
        pos = end
    return pairs


def _unique_split(run: str, width: int, check: Check | None = None) -> list[str] | None:
    if not run or len(run) > _MAX_RUN or width < 1:
        return None
    found: list[list[str]] = []

    def walk(rest: str, parts: list[str]) -> None:
        if len(found) > 1:
            return
        if len(parts) == width - 1:
            if _PART.match(rest) and (check is None or check([*parts, rest])):
                found.append([*parts, rest])
            return
        for cut in range(1, len(rest) - (width - len(parts) - 1) + 1):
            if _PART.match(rest[:cut]):
                walk(rest[cut:], [*parts, rest[:cut]])

    walk(run, [])
    return found[0] if len(found) == 1 else None
