"""PDF text and tables with pdfplumber. Image-only pages (scans) are read by tesseract when it is
installed, up to ``Limits.max_ocr_pages``; the rest are counted for the needs_ocr flag."""

from __future__ import annotations

from io import BytesIO

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
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
        if len(pdf.pages) > limits.max_pages:
            raise UnreadableDocument(f"PDF has {len(pdf.pages)} pages, over the {limits.max_pages} limit")
        texts, tables, scanned, recognized = [], [], 0, 0
        for page in pdf.pages:
            text = page.extract_text() or ""
            grids = [normalize_grid(rows) for rows in page.extract_tables()]
            tables.extend(grid for grid in grids if grid)
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



def _ocr_page(page: pdfplumber.page.Page, limits: Limits) -> str:
    png = BytesIO()
    page.to_image(resolution=ocr.RESOLUTION).original.save(png, format="PNG")
    return ocr.recognize(png.getvalue(), limits.timeout_s)
