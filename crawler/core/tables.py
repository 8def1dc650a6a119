"""HTML ``<table>`` elements to ``Grid``s: rowspan/colspan expanded, Word-pasted markup flattened.

A spanned cell's text is repeated in every grid position it covers, so every row of a grid has the
same length and a column index means the same column in every row.
"""

from __future__ import annotations

import re

from lxml import html as lxml_html

from crawler.core import xpaths
from crawler.core.types import Grid

_SPACE = re.compile(r"[\s\u3000\xa0]+")
_MAX_SPAN = 200  # guards against colspan="9999" in hand-made pages
# Grid positions per page, all tables together: spans multiply (a 3.7 KB page of rowspan=200 colspan=200
# cells asked for 6 million), a real report's tables hold a few thousand. Past it a table is cut short.
MAX_GRID_CELLS = 200_000


def html_grids(tree: lxml_html.HtmlElement) -> tuple[Grid, ...]:
    """Every innermost table of the tree that has at least one non-empty cell (MAX_GRID_CELLS in all)."""
    grids, budget = [], MAX_GRID_CELLS
    for table in xpaths.LEAF_TABLES(tree):
        grid = table_grid(table, budget)
        budget -= sum(map(len, grid))
        if any(cell for row in grid for cell in row):
            grids.append(grid)
    return tuple(grids)


def table_grid(table: lxml_html.HtmlElement, max_cells: int = MAX_GRID_CELLS) -> Grid:
    """The table's grid, its rows cut where the grid would pass ``max_cells`` positions."""
    placed: dict[tuple[int, int], str] = {}
    height = width = 0
    for r, row in enumerate(xpaths.TABLE_ROWS(table)):
        c = 0
        for cell in xpaths.ROW_CELLS(row):
            while (r, c) in placed:
                c += 1
            text, rows, cols = cell_text(cell), _span(cell, "rowspan"), _span(cell, "colspan")
            if max(height, r + rows) * max(width, c + cols) > max_cells:
                return _dense(placed, r)
            for dr in range(rows):
                for dc in range(cols):
                    placed.setdefault((r + dr, c + dc), text)
            c += cols
            height, width = max(height, r + rows), max(width, c)
    return _dense(placed)


def _dense(placed: dict[tuple[int, int], str], before_row: int | None = None) -> Grid:
    """The placed cells as equal-length rows (only the rows above ``before_row`` when given)."""
    if before_row is not None:
        placed = {(r, c): text for (r, c), text in placed.items() if r < before_row}
    if not placed:
        return ()
    height = 1 + max(r for r, _ in placed)
    width = 1 + max(c for _, c in placed)
    return tuple(tuple(placed.get((r, c), "") for c in range(width)) for r in range(height))


def cell_text(cell: lxml_html.HtmlElement) -> str:
    """The cell's text with <br>, <p> and span/font soup joined; runs of whitespace become one space."""
    for br in cell.iter("br"):
        br.tail = " " + (br.tail or "")
    return _SPACE.sub(" ", "".join(cell.itertext())).strip()


def _span(cell: lxml_html.HtmlElement, name: str) -> int:
    value = re.sub(r"\D", "", cell.get(name) or "")
    return min(max(int(value), 1), _MAX_SPAN) if value else 1
