"""PDF text and tables with pypdfium2 (PDFium). Tables are read from the page geometry (ruling lines and
character boxes, ``pdfgeometry``). Image-only pages (scans) are read by tesseract when it is installed,
up to ``Limits.max_ocr_pages``; the rest are counted for the needs_ocr flag."""

from __future__ import annotations

import re
from io import BytesIO

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from crawler.core.readers import ocr
from crawler.core.readers.common import Limits, UnreadableDocument
from crawler.core.readers.pdfgeometry import Char, PageTable, page_chars, page_tables, ruling_lines
from crawler.core.texthead import guess_title
from crawler.core.types import Extracted

MIN_CHARS_PER_PAGE = 20  # fewer on a page with images: a scan
_Row = list[tuple[float, str]]  # (left edge, text) of each cell of a printed row


def read_pdf(body: bytes, limits: Limits) -> Extracted:
    try:
        pdf = pdfium.PdfDocument(body)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise UnreadableDocument(f"password-protected PDF ({exc})") from exc
        raise UnreadableDocument(f"broken or truncated PDF: {exc}") from exc
    try:
        if len(pdf) > limits.max_pages:
            raise UnreadableDocument(f"PDF has {len(pdf)} pages, over the {limits.max_pages} limit")
        texts, scanned, recognized = [], 0, 0
        tables: list[list[_Row]] = []
        ends_page: tuple[float, float] | None = None  # x extent of a table running to the bottom of its page
        for page in pdf:
            textpage = page.get_textpage()
            raw_text = textpage.get_text_range()
            chars = page_chars(textpage, raw_text)  # indexed as PDFium's text, line ends still "\r\n"
            text = raw_text.replace("\r\n", "\n").replace("\r", "\n")
            found = page_tables(*ruling_lines(page), chars) if chars else []
            for n, table in enumerate(found):
                continued = n == 0 and tables and ends_page and _same_extent(ends_page, table.bbox)
                if continued and _furniture_only(_text_beside(chars, table, above=True)):
                    tables[-1] += _without_repeated_header(tables[-1], table.rows)  # one table over a page break
                else:
                    tables.append(table.rows)
            last = found[-1] if found else None
            below = last is not None and _furniture_only(_text_beside(chars, last, above=False))
            ends_page = (last.bbox[0], last.bbox[2]) if last is not None and below else None
            if len(text.strip()) < MIN_CHARS_PER_PAGE and _has_images(page):
                if recognized < limits.max_ocr_pages and ocr.available():
                    text = _ocr_page(page, limits) or text
                    recognized += 1
                if len(text.strip()) < MIN_CHARS_PER_PAGE:
                    scanned += 1
            texts.append(text)
        info = {str(k): str(v) for k, v in pdf.get_metadata_dict(skip_empty=True).items() if str(v).strip()}
        pages = len(pdf)
    finally:
        pdf.close()
    metadata = {f"pdf:{key}": value for key, value in info.items()}
    metadata.update(pages=str(pages), image_only_pages=str(scanned), ocr_pages=str(recognized))
    text = "\n".join(t for t in texts if t.strip())
    grids = tuple(_grid(rows) for rows in tables)
    return Extracted(title=guess_title(text) or info.get("Title"), text=text, metadata=metadata, tables=grids)


def _has_images(page: pdfium.PdfPage) -> bool:
    return next(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]), None) is not None


def _text_beside(chars: list[Char], table: PageTable, above: bool) -> str:
    """The page's text above (or below) the table, as lines."""
    _, bottom, _, top = table.bbox
    outside = [c for c in chars if (c.y > top if above else c.y < bottom)]
    lines: dict[int, list[Char]] = {}
    for char in outside:
        lines.setdefault(round(char.y / 4), []).append(char)
    return "\n".join("".join(c.text for c in sorted(line, key=lambda c: c.left)) for line in lines.values())


_PAGE_NUMBER = re.compile(r"^[-—–\s]*(?:第\s*)?\d+(?:\s*页)?(?:\s*[/，,]?\s*共?\s*\d+\s*页?)?[-—–\s]*$")


def _furniture_only(text: str) -> bool:
    """Nothing but page numbers ("- 3 -", "第 3 页")."""
    return all(_PAGE_NUMBER.match(line) for line in text.splitlines() if line.strip())


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
    """Rows placed on the columns of every left edge in the table (edges within 6 pt are one column:
    parts of one table on two pages sit a few points apart); a merged cell's text is in its first
    column, the columns it covers are empty."""
    edges: list[float] = []
    for x in sorted(x for row in rows for x, _ in row):
        if not edges or x - edges[-1] > 6:
            edges.append(x)
    grid = []
    for row in rows:
        cells = [""] * len(edges)
        for x, text in row:
            cells[min(range(len(edges)), key=lambda k: abs(edges[k] - x))] = text.strip()
        grid.append(tuple(cells))
    return tuple(grid)


def _ocr_page(page: pdfium.PdfPage, limits: Limits) -> str:
    png = BytesIO()
    page.render(scale=ocr.RESOLUTION / 72).to_pil().save(png, format="PNG")
    return ocr.recognize(png.getvalue(), limits.timeout_s)
