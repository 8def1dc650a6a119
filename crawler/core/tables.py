"""HTML ``<table>`` elements to ``Grid``s: rowspan/colspan expanded, Word-pasted markup flattened.

A spanned cell's text is repeated in every grid position it covers, so every row of a grid has the
same length and a column index means the same column in every row.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from lxml import html as lxml_html

from crawler.core import xpaths

if TYPE_CHECKING:  # extraction imports this module to fill Extracted.tables
    from crawler.core.extraction import Grid

_SPACE = re.compile(r"[\s\u3000\xa0]+")
_MAX_SPAN = 200  # guards against colspan="9999" in hand-made pages


def html_grids(tree: lxml_html.HtmlElement) -> tuple[Grid, ...]:
    """Every innermost table of the tree that has at least one non-empty cell."""
    grids = (table_grid(table) for table in xpaths.LEAF_TABLES(tree))
    return tuple(grid for grid in grids if any(cell for row in grid for cell in row))


def table_grid(table: lxml_html.HtmlElement) -> Grid:
    placed: dict[tuple[int, int], str] = {}
    for r, row in enumerate(xpaths.TABLE_ROWS(table)):
        c = 0
        for cell in xpaths.ROW_CELLS(row):
            while (r, c) in placed:
                c += 1
            text = cell_text(cell)
            for dr in range(_span(cell, "rowspan")):
                for dc in range(_span(cell, "colspan")):
                    placed.setdefault((r + dr, c + dc), text)
            c += _span(cell, "colspan")
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
