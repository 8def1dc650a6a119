"""Report documents as the files portals attach: PDF, DOCX, DOC, XLSX and XLS bytes built from text.

Generated at startup (and by the tests), never committed as binaries. PDFs use reportlab's built-in
CID font STSong-Light, so Chinese text needs no font file; tables are drawn with ruling lines, as
Word and WPS export them, so a PDF reader can find their cells. DOC (Word 97) comes from the project's own
writer, ``wordbinary.py``.
"""

from __future__ import annotations

import re
import zipfile
from io import BytesIO

import docx
import openpyxl
import xlwt
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph as PdfParagraph
from reportlab.platypus import SimpleDocTemplate, Spacer
from reportlab.platypus import Table as PdfTable

from sampleportal.seedtext import Paragraph, SeedDocument
from sampleportal.wordbinary import doc_bytes

FONT = "STSong-Light"
_ZIP_TIME = (2020, 1, 1, 0, 0, 0)
_CORE_DATES = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def _deterministic_zip(data: bytes) -> bytes:
    """An Office file's zip with fixed entry times and core dates: the same document gives the same bytes."""
    source = zipfile.ZipFile(BytesIO(data))
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            body = source.read(entry)
            if entry.filename == "docProps/core.xml":
                body = _CORE_DATES.sub(rb"\g<1>2020-01-01T00:00:00Z\g<3>", body)
            target.writestr(zipfile.ZipInfo(entry.filename, _ZIP_TIME), body, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _lines(document: SeedDocument) -> list[str]:
    return [document.title or "", *(b.text for b in document.blocks if isinstance(b, Paragraph))]


def pdf_bytes(document: SeedDocument) -> bytes:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    body = ParagraphStyle("body", fontName=FONT, fontSize=10.5, leading=15, wordWrap="CJK")
    heading = ParagraphStyle("title", parent=body, fontSize=15, leading=22, alignment=1)
    small = ParagraphStyle("cell", parent=body, fontSize=7, leading=9)
    width = A4[0] - 2 * 72  # SimpleDocTemplate's default one-inch margins
    story: list = [PdfParagraph(_escape(document.title or ""), heading), Spacer(1, 8)]
    for block in document.blocks:
        if isinstance(block, Paragraph):
            story.append(PdfParagraph(_escape(block.text), body))
        else:
            rows = block.padded()
            cells = [[PdfParagraph(_escape(cell), small) for cell in row] for row in rows]
            style = [("GRID", (0, 0), (-1, -1), 0.5, "black"), ("LEFTPADDING", (0, 0), (-1, -1), 1),
                     ("RIGHTPADDING", (0, 0), (-1, -1), 1)]
            story.append(PdfTable(cells, colWidths=[width / len(rows[0])] * len(rows[0]), style=style))
    out = BytesIO()
    SimpleDocTemplate(out, pagesize=A4, title=document.title or "", invariant=True).build(story)
    return out.getvalue()


def scanned_pdf_bytes(pages: int = 2) -> bytes:
    """An image-only PDF, like a scanned report: pages carry a picture and no text layer."""
    out = BytesIO()
    sheet = canvas.Canvas(out, pagesize=A4, invariant=True)
    picture = Image.new("L", (200, 280), color=235)
    for _ in range(pages):
        sheet.drawInlineImage(picture, 50, 100, width=480, height=680)
        sheet.showPage()
    sheet.save()
    return out.getvalue()


def docx_bytes(document: SeedDocument) -> bytes:
    word = docx.Document()
    word.add_heading(document.title or "", level=1)
    for block in document.blocks:
        if isinstance(block, Paragraph):
            word.add_paragraph(block.text)
        else:
            rows = block.padded()
            table = word.add_table(rows=len(rows), cols=len(rows[0]))
            for r, row in enumerate(rows):
                for c, cell in enumerate(row):
                    table.cell(r, c).text = cell
    out = BytesIO()
    word.save(out)
    return _deterministic_zip(out.getvalue())


def _sheet_rows(document: SeedDocument) -> list[list[str]]:
    """A report laid out on one sheet: the title and paragraphs one per row, tables as cell rows."""
    rows = [[document.title or ""]]
    for block in document.blocks:
        rows.extend([[block.text]] if isinstance(block, Paragraph) else block.padded())
    return rows


def xlsx_bytes(document: SeedDocument) -> bytes:
    book = openpyxl.Workbook()
    for row in _sheet_rows(document):
        book.active.append(row)
    out = BytesIO()
    book.save(out)
    return _deterministic_zip(out.getvalue())


def xls_bytes(document: SeedDocument) -> bytes:
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("年报")
    for r, row in enumerate(_sheet_rows(document)):
        for c, cell in enumerate(row):
            sheet.write(r, c, cell)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


WRITERS = {"pdf": pdf_bytes, "docx": docx_bytes, "doc": doc_bytes, "xlsx": xlsx_bytes, "xls": xls_bytes}
