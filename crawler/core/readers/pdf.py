"""PDF text and tables with pdfplumber. Image-only pages (scans) are read by tesseract when it is
installed, up to ``Limits.max_ocr_pages``; the rest are counted for the needs_ocr flag."""

from __future__ import annotations

import re
from io import BytesIO

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException

from crawler.core.extraction import Extracted
from crawler.core.readers import ocr
from crawler.core.readers.common import Limits, UnreadableDocument, guess_title

MIN_CHARS_PER_PAGE = 20  # fewer on a page with images: a scan


def read_pdf(body: bytes, limits: Limits) -> Extracted:
    try:
        pdf = pdfplumber.open(BytesIO(body))
    except PdfminerException as exc:  # pdfplumber wraps pdfminer's error as its first argument
        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError):
            raise UnreadableDocument(f"password-protected PDF ({type(cause).__name__})") from exc
        raise UnreadableDocument(f"broken or truncated PDF: {type(cause).__name__}: {cause}") from exc
    with pdf:
        if len(pdf.pages) > limits.max_pages:
            raise UnreadableDocument(f"PDF has {len(pdf.pages)} pages, over the {limits.max_pages} limit")
        texts, scanned, recognized = [], 0, 0
        tables: list[list[_Row]] = []
        ends_page: tuple[float, float] | None = None  # x extent of a table running to the bottom of its page
        for page in pdf.pages:
            text = page.extract_text() or ""
            found = page.find_tables()
            for n, table in enumerate(found):
                rows = _placed_rows(table)
                if not rows:
                    continue
                continued = n == 0 and tables and ends_page and _same_extent(ends_page, table.bbox)
                if continued and _alone_above(page, table):
                    tables[-1] += _without_repeated_header(tables[-1], rows)  # one table broken over a page
                else:
                    tables.append(rows)
            ends_page = (found[-1].bbox[0], found[-1].bbox[2]) if found and _alone_below(page, found[-1]) else None
            if len(text.strip()) < MIN_CHARS_PER_PAGE and page.images:
                if recognized < limits.max_ocr_pages and ocr.available():
                    text = _ocr_page(page, limits) or text
                    recognized += 1
                if len(text.strip()) < MIN_CHARS_PER_PAGE:
                    scanned += 1
            texts.append(text)
        info = {str(k): str(v) for k, v in (pdf.metadata or {}).items() if isinstance(v, str) and v.strip()}
        metadata = {f"pdf:{key}": value for key, value in info.items()}
        metadata.update(pages=str(len(pdf.pages)), image_only_pages=str(scanned), ocr_pages=str(recognized))
    text = "\n".join(t for t in texts if t.strip())
    grids = tuple(_grid(rows) for rows in tables)
    return Extracted(title=guess_title(text) or info.get("Title"), text=text, metadata=metadata, tables=grids)



_HANGING = "、，。；：！？）》」』”’"


def _hanging_punctuation_back(row: tuple[str, ...]) -> tuple[str, ...]:
    """Word and WPS let CJK punctuation hang past a cell's right border (the default 允许标点溢出边界);
    pdfplumber then reads it as the first line of the next cell. Return it to the cell it ends."""
    cells = list(row)
    for i in range(1, len(cells)):
        head, newline, rest = cells[i].partition("\n")
        if newline and len(head) == 1 and head in _HANGING and cells[i - 1]:
            cells[i - 1], cells[i] = cells[i - 1] + head, rest
    return tuple(cells)


_Row = list[tuple[float, str]]  # (left edge, text) of each cell of a printed row


def _placed_rows(table: pdfplumber.table.Table) -> list[_Row]:
    """The table's rows as cells with their left edges, so parts of a table cut by a page break, whose
    merged cells differ, are put back on one set of columns (``_grid``)."""
    rows = []
    for row, texts in zip(table.rows, table.extract(), strict=False):
        texts = _hanging_punctuation_back(tuple("" if t is None else str(t).strip() for t in texts))
        rows.append([(box[0], text) for box, text in zip(row.cells, texts, strict=False) if box is not None])
    return [row for row in rows if row]


def _same_extent(extent: tuple[float, float], bbox: tuple[float, float, float, float]) -> bool:
    return abs(extent[0] - bbox[0]) < 3 and abs(extent[1] - bbox[2]) < 3


def _without_repeated_header(before: list[_Row], rows: list[_Row]) -> list[_Row]:
    """The continuation's rows without the header rows Word/WPS repeat at the top of the next page."""
    def texts(row: _Row) -> list[str]:
        return [text for _, text in row if text]

    n = 0
    while n < min(len(rows), len(before)) and texts(rows[n]) and texts(rows[n]) == texts(before[n]):
        n += 1
    return rows[n:]


def _grid(rows: list[_Row]) -> tuple[tuple[str, ...], ...]:
    """Rows placed on the columns of every left edge in the table (edges within 6 pt are one column);
    a merged cell's text is in its first column, the columns it covers are empty."""
    edges: list[float] = []
    for x in sorted(x for row in rows for x, _ in row):
        if not edges or x - edges[-1] > 6:
            edges.append(x)
    grid = []
    for row in rows:
        cells = [""] * len(edges)
        for x, text in row:
            cells[min(range(len(edges)), key=lambda k: abs(edges[k] - x))] = text
        grid.append(tuple(cells))
    return tuple(grid)


def _alone_above(page: pdfplumber.page.Page, table: pdfplumber.table.Table) -> bool:
    """No text between the top of the page and the table but a running header or page number."""
    return _furniture_only(page.crop((0, 0, page.width, table.bbox[1])).extract_text() or "")


def _alone_below(page: pdfplumber.page.Page, table: pdfplumber.table.Table) -> bool:
    """No text between the table and the bottom of the page but a page number ("- 3 -", "第 3 页")."""
    return _furniture_only(page.crop((0, table.bbox[3], page.width, page.height)).extract_text() or "")


_PAGE_NUMBER = re.compile(r"^[-—–\s]*(?:第\s*)?\d+(?:\s*页)?(?:\s*/\s*共?\s*\d+\s*页?)?[-—–\s]*$")


def _furniture_only(text: str) -> bool:
    return all(_PAGE_NUMBER.match(line) for line in text.splitlines() if line.strip())


def _ocr_page(page: pdfplumber.page.Page, limits: Limits) -> str:
    png = BytesIO()
    page.to_image(resolution=ocr.RESOLUTION).original.save(png, format="PNG")
    return ocr.recognize(png.getvalue(), limits.timeout_s)
