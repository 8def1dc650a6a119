"""A report's text and table grids to ``format``, ``sections``, ``stats``, ``cells`` and ``checks``.

Grids come from the document's structure (HTML tables, later PDF/DOCX cells); a plain-text document
has its tables read back from the text (``texttables``), or failing that from cells glued into the
text (``glued``); each source is tried only when the one before holds no statistics table. Each grid
is recognised by its labels (``stattables.kind``); the format is the template of the tables
actually used, never the year. A report without statistics tables gets the narrative figures of ``narrative``,
one of the 2019 templates without 表三 the 表三 totals its sentences state.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from crawler.core import stattables
from crawler.core.cellstream import stream_grids
from crawler.core.checks import run_checks
from crawler.core.glued import glued_grids
from crawler.core.narrative import TABLE3_KEYS, narrative_stats
from crawler.core.texttables import text_grids
from crawler.core.types import Grid

_HEADING = re.compile(r"^\s*([一二三四五六])、(.{2,40})$")
# Words each section heading of the 2019/2021 outline must contain, so table rows such as
# "四、结转下年度继续办理" are not taken for headings.
_HEADING_WORDS = {"一": "", "二": "公开", "三": "申请", "四": "复议|诉讼", "五": "问题|改进|不足", "六": "其他|事项"}
_ORDER = "一二三四五六"


@dataclass(frozen=True, slots=True)
class Parsed:
    format: str
    sections: list[dict[str, str]] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)
    cells: list[dict[str, Any]] = field(default_factory=list)
    checks: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def parse_report(text: str, grids: tuple[Grid, ...] = ()) -> Parsed:
    warnings: list[str] = []
    kinds = _chosen_tables(text, grids)
    fmt = detect_format(kinds)
    found: list[stattables.Cell] = []
    for kind, grid in kinds:
        found += _read(kind, grid, fmt, warnings)
    stats: dict[str, Any] = {}
    cells: list[dict[str, Any]] = []
    for cell in found:
        if cell.key in stats:
            warnings.append(f"{cell.table} {cell.key} printed twice, first kept")
            continue
        stats[cell.key] = cell.value.number
        if not cell.value.plain:
            entry = {"table": cell.table, "row": cell.row, "col": cell.col, "raw": cell.value.raw}
            cells.append(entry | ({"unit": cell.value.unit} if cell.value.unit else {}))
    if not found:
        stats = dict(narrative_stats(text))
    elif fmt in ("2019", "2021") and all(kind != "表三" for kind, _ in kinds):
        # 表二 printed, 表三 not (cut off, or an image): its totals as the sentences state them
        stats |= {key: value for key, value in narrative_stats(text).items() if key in TABLE3_KEYS}
    table_text = {cell.strip() for _, grid in kinds for row in grid for cell in row}
    return Parsed(format=fmt, sections=sections(text, table_text), stats=stats, cells=cells, checks=run_checks(stats),
                  warnings=warnings)


def _read(kind: str, grid: Grid, fmt: str, warnings: list[str]) -> list[stattables.Cell]:
    if kind == "表二":
        return stattables.table2(grid, fmt, warnings)
    if kind == "表三":
        return stattables.table3(grid, warnings)
    if kind == "表四":
        return stattables.table4(grid, warnings)
    return stattables.stat_table(grid, warnings)


def _chosen_tables(text: str, grids: tuple[Grid, ...]) -> list[tuple[str, Grid]]:
    """Each kind of table from the source that reads most cells of it: the document's own grids, then
    tables kept in the text as rows, then cells in printed order (``cellstream``), then glued cells. A
    later source is tried only while a kind is missing or its reading skipped rows (warned)."""
    sources: tuple[Callable[[], tuple[Grid, ...]], ...] = (
        lambda: grids, lambda: text_grids(text), lambda: stream_grids(text), lambda: glued_grids(text))
    best: dict[str, tuple[int, bool, list[Grid]]] = {}  # kind: (cells read, warned, grids)
    for source in sources:
        if "统计表" in best or ({"表二", "表三", "表四"} <= best.keys() and not any(w for _, w, _ in best.values())):
            break
        known = _known_tables(source())
        fmt = detect_format(known)
        read: dict[str, tuple[int, bool, list[Grid]]] = {}
        for kind, grid in known:
            warnings: list[str] = []
            count = len(_read(kind, grid, fmt, warnings))
            before = read.get(kind, (0, False, []))
            read[kind] = (before[0] + count, before[1] or bool(warnings), [*before[2], grid])
        for kind, entry in read.items():
            if entry[0] > best.get(kind, (0,))[0]:
                best[kind] = entry
    return [(kind, grid) for kind, (_, _, kind_grids) in best.items() for grid in kind_grids]


def _known_tables(grids: tuple[Grid, ...]) -> list[tuple[str | None, Grid]]:
    """The grids that are statistics tables, with their kind; empty when none is (layout tables only)."""
    return [(kind, grid) for grid in grids if (kind := stattables.kind(grid))]


def detect_format(kinds: list[tuple[str | None, Grid]]) -> str:
    for kind, grid in kinds:
        if kind == "表二" and (fmt := stattables.table2_format(grid)):
            return fmt
    for kind, grid in kinds:
        if kind == "表三":
            later = any(stattables.OUTCOMES_2021_ONLY in "".join(row) for row in grid)
            return "2021" if later else "2019"
    if any(kind == "统计表" for kind, _ in kinds):
        return "pre2019"
    return "unknown"


def report_format(table_format: str, year: int | None) -> tuple[str, str | None]:
    """The record's format and how it was decided (``table`` | ``year``): a report of 2008–2018 is
    pre2019 whatever it prints (no national template existed); a later one takes the template of its
    tables, else its year's (2019–2020: 2019, 2021 on: 2021); ``unknown`` with neither."""
    if year is not None and year <= 2018:
        return "pre2019", "table" if table_format == "pre2019" else "year"
    if table_format != "unknown":
        return table_format, "table"
    if year is None:
        return "unknown", None
    return ("2019" if year <= 2020 else "2021"), "year"


def sections(text: str, table_text: set[str] | frozenset[str] = frozenset()) -> list[dict[str, str]]:
    """The 一 … 六 sections in order, each with its text up to the next; table cells are never headings."""
    found: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        match = _HEADING.match(line)
        expected = _ORDER[len(found)] if len(found) < len(_ORDER) else None
        heading = match and match.group(1) == expected and line.strip() not in table_text
        if heading and re.search(_HEADING_WORDS[expected], match.group(2)):
            found.append((line.strip(), []))
        elif found:
            found[-1][1].append(line)
    return [{"heading": heading, "text": "\n".join(body).strip()} for heading, body in found]
