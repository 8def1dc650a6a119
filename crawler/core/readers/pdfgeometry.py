"""Ruled tables of one PDF page from its geometry: ruling lines and character boxes (pypdfium2).

Word and WPS draw every cell border, as thin filled rectangles or stroked lines. The borders of one
table are the horizontal and vertical lines that touch each other; their distinct positions cut the
table into units, and two neighbouring units are one (merged) cell where no line separates them. Each
character is placed in the cell that holds it, so values land in their column whatever order the
text layer keeps them in, and the empty cells a merged label leaves never shift a row.
"""

from __future__ import annotations

import ctypes
from bisect import bisect_right
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

_TOLERANCE = 2.0  # pt: lines this close are one position; a thin rectangle is one line
_HANGING = "、，。；：！？）》」』”’"  # CJK punctuation Word/WPS let hang past a cell's right border


@dataclass(frozen=True, slots=True)
class Char:
    text: str
    left: float
    right: float
    bottom: float
    top: float

    @property
    def x(self) -> float:
        return (self.left + self.right) / 2

    @property
    def y(self) -> float:
        return (self.bottom + self.top) / 2


@dataclass(frozen=True, slots=True)
class Line:
    at: float  # y of a horizontal line, x of a vertical one
    start: float
    end: float


@dataclass
class PageTable:
    bbox: tuple[float, float, float, float]  # left, bottom, right, top (PDF coordinates, y up)
    rows: list[list[tuple[float, str]]]  # printed rows: (left edge, text) of each cell that starts there


def page_chars(textpage: pdfium.PdfTextPage, text: str) -> list[Char]:
    """Every printed character with its box (characters PDFium generates, such as line breaks, have none)."""
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    refs = [ctypes.byref(v) for v in (left, right, bottom, top)]
    chars = []
    for i, ch in enumerate(text[: textpage.count_chars()]):
        if ch.isspace() or not pdfium_c.FPDFText_GetCharBox(textpage.raw, i, *refs):
            continue
        chars.append(Char(ch, left.value, right.value, bottom.value, top.value))
    return chars


def ruling_lines(page: pdfium.PdfPage) -> tuple[list[Line], list[Line]]:
    """Horizontal and vertical lines drawn on the page: stroked segments and thin rectangles."""
    horizontal: list[Line] = []
    vertical: list[Line] = []
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH]):
        for (x0, y0), (x1, y1) in _edges(obj):
            if abs(y1 - y0) <= _TOLERANCE and abs(x1 - x0) > _TOLERANCE:
                horizontal.append(Line((y0 + y1) / 2, min(x0, x1), max(x0, x1)))
            elif abs(x1 - x0) <= _TOLERANCE and abs(y1 - y0) > _TOLERANCE:
                vertical.append(Line((x0 + x1) / 2, min(y0, y1), max(y0, y1)))
    return _merged(horizontal), _merged(vertical)


def _merged(lines: list[Line]) -> list[Line]:
    """Collinear pieces that touch or overlap as one line (WPS draws each cell's border on its own)."""
    clusters: list[list[Line]] = []
    for line in sorted(lines, key=lambda line: line.at):
        if clusters and line.at - clusters[-1][-1].at <= _TOLERANCE:
            clusters[-1].append(line)
        else:
            clusters.append([line])
    merged: list[Line] = []
    for cluster in clusters:
        at = sum(line.at for line in cluster) / len(cluster)
        pieces: list[Line] = []
        for line in sorted(cluster, key=lambda line: line.start):
            if pieces and line.start <= pieces[-1].end + _TOLERANCE:
                pieces[-1] = Line(at, pieces[-1].start, max(pieces[-1].end, line.end))
            else:
                pieces.append(Line(at, line.start, line.end))
        merged += pieces
    return merged


def _edges(obj: pdfium.PdfObject) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    """A path's straight edges in page coordinates; a thin rectangle becomes its middle line."""
    left, bottom, right, top = obj.get_bounds()
    if right - left <= _TOLERANCE or top - bottom <= _TOLERANCE:
        middle_y, middle_x = (bottom + top) / 2, (left + right) / 2
        if right - left > top - bottom:
            return [((left, middle_y), (right, middle_y))]
        return [((middle_x, bottom), (middle_x, top))]
    matrix = obj.get_matrix()
    raw = obj.raw
    points: list[tuple[tuple[float, float], int, bool]] = []
    x, y = ctypes.c_float(), ctypes.c_float()
    for k in range(pdfium_c.FPDFPath_CountSegments(raw)):
        segment = pdfium_c.FPDFPath_GetPathSegment(raw, k)
        pdfium_c.FPDFPathSegment_GetPoint(segment, ctypes.byref(x), ctypes.byref(y))
        point = (matrix.a * x.value + matrix.c * y.value + matrix.e, matrix.b * x.value + matrix.d * y.value + matrix.f)
        points.append((point, pdfium_c.FPDFPathSegment_GetType(segment),
                       bool(pdfium_c.FPDFPathSegment_GetClose(segment))))
    edges = []
    start = None
    previous = None
    for point, kind, closes in points:
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
            start = point
        elif previous is not None and kind == pdfium_c.FPDF_SEGMENT_LINETO:
            edges.append((previous, point))
        if closes and start is not None:
            edges.append((point, start))
        previous = point
    return edges


def page_tables(horizontal: list[Line], vertical: list[Line], chars: list[Char]) -> list[PageTable]:
    """The ruled tables of a page, top to bottom, with their cells' text."""
    tables = []
    for h_group, v_group in _connected(horizontal, vertical):
        table = _table(h_group, v_group, chars)
        if table is not None:
            tables.append(table)
    return sorted(tables, key=lambda t: -t.bbox[3])


def _connected(horizontal: list[Line], vertical: list[Line]) -> list[tuple[list[Line], list[Line]]]:
    """Lines grouped into tables: a horizontal and a vertical line that touch are in one table."""
    parent = list(range(len(horizontal) + len(vertical)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, h in enumerate(horizontal):
        for j, v in enumerate(vertical):
            if (h.start - 2 * _TOLERANCE <= v.at <= h.end + 2 * _TOLERANCE
                    and v.start - 2 * _TOLERANCE <= h.at <= v.end + 2 * _TOLERANCE):
                parent[root(i)] = root(len(horizontal) + j)
    groups: dict[int, tuple[list[Line], list[Line]]] = {}
    for i, h in enumerate(horizontal):
        groups.setdefault(root(i), ([], []))[0].append(h)
    for j, v in enumerate(vertical):
        groups.setdefault(root(len(horizontal) + j), ([], []))[1].append(v)
    return [group for group in groups.values() if len(group[0]) >= 2 and len(group[1]) >= 2]


def _positions(lines: list[Line]) -> list[float]:
    found: list[float] = []
    for at in sorted(line.at for line in lines):
        if not found or at - found[-1] > _TOLERANCE:
            found.append(at)
    return found


def _covers(lines: list[Line], at: float, point: float) -> bool:
    return any(abs(line.at - at) <= 2 * _TOLERANCE and line.start - _TOLERANCE <= point <= line.end + _TOLERANCE
               for line in lines)


def _table(horizontal: list[Line], vertical: list[Line], chars: list[Char]) -> PageTable | None:
    xs = _positions(vertical)
    ys = _positions(horizontal)[::-1]  # top to bottom
    if len(xs) < 2 or len(ys) < 2:
        return None
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    owner = {(r, k): (r, k) for r in range(n_rows) for k in range(n_cols)}  # unit -> its cell's top-left unit
    for r in range(n_rows):
        middle_y = (ys[r] + ys[r + 1]) / 2
        for k in range(n_cols):
            middle_x = (xs[k] + xs[k + 1]) / 2
            if k and not _covers(vertical, xs[k], middle_y):
                owner[r, k] = owner[r, k - 1]
            elif r and not _covers(horizontal, ys[r], middle_x):
                owner[r, k] = owner[r - 1, k]
    texts: dict[tuple[int, int], list[Char]] = {}
    for char in chars:
        x = char.left + 0.5 if char.text in _HANGING else char.x
        k = bisect_right(xs, x) - 1
        r = n_rows - bisect_right(ys[::-1], char.y)
        if 0 <= k < n_cols and 0 <= r < n_rows:
            texts.setdefault(owner[r, k], []).append(char)
    rows = [[(xs[k], _cell_text(texts.get((r, k), []))) for k in range(n_cols) if owner[r, k] == (r, k)]
            for r in range(n_rows)]
    return PageTable(bbox=(xs[0], ys[-1], xs[-1], ys[0]), rows=rows)


def _cell_text(chars: list[Char]) -> str:
    """A cell's characters as lines, in the order printed; a new line where the baseline drops."""
    lines: list[list[Char]] = []
    for char in chars:
        last = lines[-1][-1] if lines else None
        if last is not None and last.bottom - char.top > -0.5 * (last.top - last.bottom):
            lines.append([char])
        elif lines:
            lines[-1].append(char)
        else:
            lines.append([char])
    return "\n".join("".join(c.text for c in line) for line in lines)
