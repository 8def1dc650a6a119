"""Scanned report PDFs for the OCR tests: report lines drawn as pixels (WenQuanYi Zen Hei), no text layer."""

from __future__ import annotations

from io import BytesIO

from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"  # Debian fonts-wqy-zenhei, installed by .ci/run
LINES_PER_PAGE = 18


def scanned_report_pdf(lines: list[str]) -> bytes:
    font = ImageFont.truetype(FONT, 34)
    out = BytesIO()
    sheet = canvas.Canvas(out, pagesize=A4, invariant=True)
    for start in range(0, len(lines), LINES_PER_PAGE):
        picture = Image.new("L", (1240, 1754), 255)
        draw = ImageDraw.Draw(picture)
        for row, line in enumerate(lines[start : start + LINES_PER_PAGE]):
            draw.text((90, 110 + row * 84), line, font=font, fill=0)
        sheet.drawInlineImage(picture, 0, 0, width=A4[0], height=A4[1])
        sheet.showPage()
    sheet.save()
    return out.getvalue()
