"""Tables kept in plain text, read back as grids.

Three flattened shapes are recognised (all seen in real report texts):

* pipe rows: one table row per line, cells separated by ``|`` (two or more pipes on the line);
* pipe cells: one cell per line ending in `` |``; the row width is the number of header cells before
  the first cell that opens with a Chinese ordinal (``一、``);
* tab cells: one cell per line starting with a tab, rows separated by blank lines.

Rows are as printed: cells merged in the source appear once, so rows may differ in length.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from crawler.core.types import Grid

_ORDINAL = re.compile(r"^[一二三四五六七八九十]+、")


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Table:
    rows: tuple[tuple[str, ...], ...]

    def padded(self) -> list[list[str]]:
        """The rows padded with empty cells to the widest one, as a file format with a fixed width needs."""
        width = max(len(row) for row in self.rows)
        return [[*row, *[""] * (width - len(row))] for row in self.rows]


Block = Paragraph | Table


def text_grids(text: str) -> tuple[Grid, ...]:
    """Every table found in ``text``, as printed rows."""
    return tuple(block.rows for block in text_blocks(text.splitlines()) if isinstance(block, Table))


def text_blocks(lines: list[str]) -> list[Block]:
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.count("|") >= 2:
            j = _run_end(lines, i, lambda s: s.count("|") >= 2)
            blocks.append(_pipe_rows(lines[i:j]))
        elif line.rstrip().endswith("|"):
            j = _run_end(lines, i, lambda s: s.rstrip().endswith("|") and s.count("|") == 1)
            blocks.append(_pipe_cells(lines[i:j]))
        elif line.startswith("\t"):
            j = _run_end(lines, i, lambda s: s.startswith("\t") or not s.strip())
            blocks.append(_tab_cells(lines[i:j]))
        else:
            j = i + 1
            if line.strip():
                blocks.append(Paragraph(_clean(line)))
        i = j
    return blocks


def _run_end(lines: list[str], start: int, belongs) -> int:
    end = start
    while end < len(lines) and belongs(lines[end]):
        end += 1
    return end


def _clean(cell: str) -> str:
    return cell.strip().strip("\u3000\xa0 ").strip()


def _pipe_rows(lines: list[str]) -> Table:
    rows = []
    for line in lines:
        cells = [_clean(c) for c in line.split("|")]
        while cells and not cells[-1]:
            cells.pop()
        rows.append(tuple(cells))
    return Table(tuple(rows))


def _pipe_cells(lines: list[str]) -> Table:
    cells = [_clean(line.rstrip()[:-1]) for line in lines]
    width = next((k for k, cell in enumerate(cells) if _ORDINAL.match(cell)), len(cells)) or 1
    return Table(tuple(tuple(cells[k : k + width]) for k in range(0, len(cells), width)))


def _tab_cells(lines: list[str]) -> Table:
    rows: list[tuple[str, ...]] = []
    current: list[str] = []
    for line in [*lines, ""]:
        if line.startswith("\t"):
            current.append(_clean(line))
        elif current:
            rows.append(tuple(current))
            current = []
    return Table(tuple(row for row in rows if any(row)))
