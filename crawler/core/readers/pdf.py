"""PDF text and tables with pdfplumber. Image-only pages (scans) are read by tesseract when it is
installed, up to ``Limits.max_ocr_pages``; the rest are counted for the needs_ocr flag."""

from __future__ import annotations

from io import BytesIO

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdftypes import resolve1
from pdfplumber.utils.exceptions import PdfminerException

from crawler.core.extraction import Extracted
from crawler.core.readers import ocr
from crawler.core.readers.common import Limits, UnreadableDocument, guess_title, normalize_grid

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
        if (declared := _declared_pages(pdf)) is not None and declared > limits.max_pages:  # before building pages
            raise UnreadableDocument(f"PDF declares {declared} pages, over the {limits.max_pages} limit")
        if len(pdf.pages) > limits.max_pages:
            raise UnreadableDocument(f"PDF has {len(pdf.pages)} pages, over the {limits.max_pages} limit")
        texts, tables, scanned, recognized = [], [], 0, 0
        ends_page = False  # the last table so far runs to the bottom of its page
        for page in pdf.pages:
            text = page.extract_text() or ""
            found = page.find_tables()
            for n, table in enumerate(found):
                grid = tuple(_hanging_punctuation_back(row) for row in normalize_grid(table.extract()))
                if not grid:
                    continue
                if n == 0 and ends_page and tables and _width(tables[-1]) == _width(grid) and _alone_above(page, table):
                    tables[-1] = tables[-1] + grid  # a table broken over a page break is one table
                else:
                    tables.append(grid)
            ends_page = bool(found) and _alone_below(page, found[-1])
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
    return Extracted(title=guess_title(text) or info.get("Title"), text=text, metadata=metadata, tables=tuple(tables))



def _declared_pages(pdf: pdfplumber.PDF) -> int | None:
    """The page count the document's page tree declares (/Count), read without building a page."""
    try:
        return int(resolve1(resolve1(pdf.doc.catalog["Pages"])["Count"]))
    except Exception:  # a damaged or odd tree: len(pdf.pages) decides
        return None


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


def _width(grid: tuple[tuple[str, ...], ...]) -> int:
    return max(len(row) for row in grid)


def _alone_above(page: pdfplumber.page.Page, table: pdfplumber.table.Table) -> bool:
    """No text between the top of the page and the table."""
    return not (page.crop((0, 0, page.width, table.bbox[1])).extract_text() or "").strip()


def _alone_below(page: pdfplumber.page.Page, table: pdfplumber.table.Table) -> bool:
    """No text between the table and the bottom of the page."""
    return not (page.crop((0, table.bbox[3], page.width, page.height)).extract_text() or "").strip()


def _ocr_page(page: pdfplumber.page.Page, limits: Limits) -> str:
    png = BytesIO()
    page.to_image(resolution=ocr.RESOLUTION).original.save(png, format="PNG")
    return ocr.recognize(png.getvalue(), limits.timeout_s)
