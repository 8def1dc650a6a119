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
from reportlab.platypus import PageBreak, SimpleDocTemplate, Spacer
from reportlab.platypus import Paragraph as PdfParagraph
from reportlab.platypus import Table as PdfTable

from crawler.core.cellvalues import read_value
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


def wps_pdf_bytes(title: str, tables: list[tuple[str, list[list[str]], list[tuple[int, int, int, int]]]]) -> bytes:
    """A report PDF laid out as WPS and Word print the templates: merged cells are real spans (text once,
    the covered cells empty), long tables break over pages with their header rows repeated on the next
    page, and every page has a "- N -" page number at its foot. ``tables`` are (heading, grid with a merged
    cell's text in its top-left corner, merged cells as (row, column, last row, last column)), as
    ``reportgen.spanned`` gives them."""
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    body = ParagraphStyle("body", fontName=FONT, fontSize=10.5, leading=15, wordWrap="CJK")
    small = ParagraphStyle("cell", parent=body, fontSize=8, leading=10)
    width = A4[0] - 2 * 72
    story: list = [PdfParagraph(_escape(title), ParagraphStyle("title", parent=body, fontSize=15, leading=22,
                                                                 alignment=1))]
    story += [PdfParagraph("本年度政府信息公开工作稳步推进，各项制度得到落实。" * 3, body) for _ in range(8)]
    for heading, grid, merged in tables:
        spans = [("SPAN", (c0, r0), (c1, r1)) for r0, c0, r1, c1 in merged]
        story.append(PdfParagraph(_escape(heading), body))
        header = next((r for r, row in enumerate(grid) if any(_is_number(t) for t in row)), 0)
        split = _break_row(grid)
        parts = [(grid, spans)] if split is None else _split_table(grid, spans, header, split)
        for n, (part, part_spans) in enumerate(parts):
            if n:
                story.append(PageBreak())
            cells = [[PdfParagraph(_escape(text), small) for text in row] for row in part]
            style = [("GRID", (0, 0), (-1, -1), 0.5, "black"), *part_spans]
            story.append(PdfTable(cells, colWidths=[width / len(part[0])] * len(part[0]), style=style,
                                  repeatRows=header if 0 < header < len(part) // 2 else 0))
    out = BytesIO()

    def page_number(pdf: canvas.Canvas, _doc: object) -> None:
        pdf.setFont(FONT, 9)
        pdf.drawCentredString(A4[0] / 2, 36, f"- {pdf.getPageNumber()} -")

    SimpleDocTemplate(out, pagesize=A4, title=title, invariant=True).build(
        story, onFirstPage=page_number, onLaterPages=page_number)
    return out.getvalue()


def _is_number(text: str) -> bool:
    value = read_value(text)
    return value is not None and value.number is not None


def _break_row(grid: list[list[str]]) -> int | None:
    """Where WPS would break 表三 over a page in this layout: before the second sub-row of （四）无法提供."""
    rows = [r for r, row in enumerate(grid) if any(t.startswith("（四）") for t in row)]
    return rows[0] + 1 if rows and rows[0] + 1 < len(grid) else None


def _split_table(grid: list[list[str]], spans: list[tuple], header: int, split: int) -> list[tuple[list, list]]:
    """The table cut before row ``split``; the part on the next page repeats the ``header`` rows. A merged
    cell cut by the break is two cells, its text divided between them ("（四）无" above, "法提供" below)."""
    top = [list(row) for row in grid[:split]]
    bottom = [list(row) for row in grid[:header]] + [list(row) for row in grid[split:]]
    top_spans, bottom_spans = [], []
    for kind, (c0, r0), (c1, r1) in spans:
        if r1 < split:
            top_spans.append((kind, (c0, r0), (c1, r1)))
            if r1 < header:
                bottom_spans.append((kind, (c0, r0), (c1, r1)))
        elif r0 >= split:
            bottom_spans.append((kind, (c0, r0 - split + header), (c1, r1 - split + header)))
        else:
            top_spans.append((kind, (c0, r0), (c1, split - 1)))
            bottom_spans.append((kind, (c0, header), (c1, header + r1 - split)))
            text = grid[r0][c0]
            cut = len(text) - 3 if c0 else len(text)  # the level-1 label stays whole above the break
            top[r0][c0], bottom[header][c0] = text[:cut], text[cut:]
    return [(top, [s for s in top_spans if s[1] != s[2]]), (bottom, [s for s in bottom_spans if s[1] != s[2]])]


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
