"""Tables whose row structure was lost, read back from the cells in printed order.

Pages and text exports flatten a table in many ways: one cell per line or per paragraph, ``|`` between
cells with the rows joined into one line, rows wrapped over several lines. What survives is the order of
the cells, and the template's own structure is enough to rebuild the rows: a row is its label cells
followed by its value cells, so a label after a value starts a new row; 表二 rows also start at
``第二十条`` and ``信息内容``; the header of 表三 ends at its first row label (本年新收…), the header of
表四 at its first value. Each statistics table of the 2019/2021 templates becomes one grid of printed
rows, which the readers of ``stattables`` key by label and check by count, as they do for other text.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from crawler.core.cellvalues import read_value
from crawler.core.forms import table2_column
from crawler.core.labels import matchable
from crawler.core.types import Grid

_SPLIT = re.compile(r"\s*(?:\||\n)\s*")
_ITEM = re.compile(r"(第二十[条條]第)")  # a 表二 item heading, also where prose was joined onto it
_MAX_CELL = 60  # a longer "cell" is prose: the table ended before it
_TABLE3_START = re.compile(r"勾稽关系|^申请人情况$|^自然人$")


def stream_grids(text: str) -> tuple[Grid, ...]:
    """表二, 表三 and 表四 rebuilt from the cells of ``text``, when it holds them in printed order."""
    cells = [cell.strip("\u3000\xa0 ") for cell in _SPLIT.split(_ITEM.sub(r"\n\1", text))]
    cells = [cell for cell in cells if cell]
    names = [matchable(cell) for cell in cells]
    grids: list[Grid] = []
    start2 = next((i for i, name in enumerate(names) if name.startswith("第二十条")), None)
    start3 = next((i for i, name in enumerate(names) if _TABLE3_START.search(name)
                   and any(n.startswith("本年新收") for n in names[i:i + 30])), None)
    start4 = next((i for i, name in enumerate(names) if name == "行政复议" and i > (start3 or 0)
                   and "行政诉讼" in names[i + 1:i + 4]), None)
    starts = sorted(s for s in (start2, start3, start4) if s is not None)
    for begin in starts:
        end = min((s for s in starts if s > begin), default=len(cells))
        end = next((k for k in range(begin + 1, end) if len(cells[k]) > _MAX_CELL), end)
        part, part_names = cells[begin:end], names[begin:end]
        if begin == start2:
            grids.append(_rows(part, part_names, _opens_table2_row))
        elif begin == start3:
            first_row = next((k for k, name in enumerate(part_names) if name.startswith("本年新收")), len(part))
            grids.append((tuple(part[:first_row]), *_rows(part[first_row:], part_names[first_row:])))
        else:
            first_value = next((k for k, c in enumerate(part) if read_value(c) is not None), len(part))
            grids.append((tuple(part[:first_value]), *_rows(part[first_value:], part_names[first_value:])))
    return tuple(grid for grid in grids if grid)


def _opens_table2_row(name: str, previous: str) -> bool:
    """表二 rows also start at an item heading, at 信息内容, and at the first row label after the headers."""
    header = table2_column(name) is not None or name == "信息内容"
    return name.startswith("第二十条") or name == "信息内容" or (not header and table2_column(previous) is not None)


def _rows(cells: list[str], names: list[str], opens_row: Callable[[str, str], bool] | None = None) -> Grid:
    """Cells to rows: a label cell after a value cell, or a cell ``opens_row`` accepts, starts a row."""
    rows: list[list[str]] = []
    after_value = True
    for k, (cell, name) in enumerate(zip(cells, names, strict=True)):
        is_value = read_value(cell) is not None
        if not rows or (not is_value and after_value) or (opens_row and opens_row(name, names[k - 1] if k else "")):
            rows.append([])
        rows[-1].append(cell)
        after_value = is_value
    return tuple(tuple(row) for row in rows)
