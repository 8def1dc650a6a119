"""DOCX with python-docx, XLSX with openpyxl, XLS with xlrd: text plus tables as grids."""

from __future__ import annotations

from io import BytesIO

import docx
import openpyxl
import xlrd
from docx.table import Table
from docx.text.paragraph import Paragraph

from crawler.core.readers.common import (
    Limits,
    UnreadableDocument,
    check_zip,
    grid_text,
    normalize_grid,
)
from crawler.core.texthead import guess_title
from crawler.core.types import Extracted, Grid


def read_docx(body: bytes, limits: Limits) -> Extracted:
    check_zip(body, limits).close()
    try:
        document = docx.Document(BytesIO(body))
    except Exception as exc:  # python-docx raises bare KeyError/ValueError on malformed parts
        raise UnreadableDocument(f"unreadable DOCX: {type(exc).__name__}: {exc}") from exc
    blocks: list[str] = []
    tables: list[Grid] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            blocks.append(block.text)
        elif isinstance(block, Table):
            grid = normalize_grid([[cell.text for cell in row.cells] for row in block.rows])
            tables.append(grid)
            blocks.append(grid_text(grid))
    text = "\n".join(b for b in blocks if b.strip())
    core_title = (document.core_properties.title or "").strip()
    return Extracted(title=guess_title(text) or core_title or None, text=text, tables=tuple(tables))


def read_xlsx(body: bytes, limits: Limits) -> Extracted:
    check_zip(body, limits).close()
    try:
        book = openpyxl.load_workbook(BytesIO(body), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types on malformed workbooks
        raise UnreadableDocument(f"unreadable XLSX: {type(exc).__name__}: {exc}") from exc
    sheets = {ws.title: _capped(ws.iter_rows(values_only=True), limits) for ws in book.worksheets}
    book.close()
    return _sheets_extracted(sheets)


def read_xls(body: bytes, limits: Limits) -> Extracted:
    try:
        book = xlrd.open_workbook(file_contents=body, on_demand=True)
    except Exception as exc:  # xlrd raises XLRDError, CompDocError, struct.error ...
        raise UnreadableDocument(f"unreadable XLS: {type(exc).__name__}: {exc}") from exc
    sheets = {}
    for index in range(book.nsheets):
        sheet = book.sheet_by_index(index)
        sheets[sheet.name] = _capped((sheet.row_values(r) for r in range(sheet.nrows)), limits)
    book.release_resources()
    return _sheets_extracted(sheets)


def _capped(rows, limits: Limits) -> Grid:
    kept = []
    for number, row in enumerate(rows):
        if number >= limits.max_rows:
            raise UnreadableDocument(f"sheet has more than {limits.max_rows} rows")
        kept.append([_cell(value) for value in row])
    return normalize_grid(kept)


def _cell(value: object) -> object:
    """Whole floats as integers: spreadsheets store 12 as 12.0."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _sheets_extracted(sheets: dict[str, Grid]) -> Extracted:
    tables = tuple(grid for grid in sheets.values() if any(any(row) for row in grid))
    text = "\n".join(grid_text(grid) for grid in tables)
    title = guess_title(text.replace("\t", "\n"))  # a sheet's title is one cell of its first rows
    return Extracted(title=title, text=text, metadata={"sheets": ",".join(sheets)}, tables=tables)
