"""Every document type to text and tables, through the real readers (and the real antiword/catdoc)."""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter

import pytest
from reportlab.pdfgen import canvas

from crawler.core.documents import Limits, UnreadableDocument, read_document, sniff
from crawler.core.texthead import guess_title
from sampleportal import docfiles
from sampleportal.catalog import seed_document
from sampleportal.seedtext import Paragraph, SeedDocument, Table
from tests.eval.gate import char_f1
from tests.support.legacy_office import doc_bytes
from tests.support.scans import scanned_report_pdf

SEED = seed_document("001_5e7b7750513ba6ef.txt")
SMALL = SeedDocument(
    title="样例县财政局2019年政府信息公开工作年度报告",
    blocks=(
        Paragraph("一、总体情况"),
        Paragraph("本年度主动公开政府信息1234条，收到申请12件。"),
        Table(rows=(("信息内容", "本年新制作数量", "对外公开总数量"), ("规章", "0", "3"), ("规范性文件", "12", "89"))),
    ),
)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("kind", sorted(docfiles.WRITERS))
def test_each_type_is_sniffed_from_its_bytes_alone(kind):
    assert sniff(docfiles.WRITERS[kind](SMALL)) == kind


@pytest.mark.parametrize("kind", sorted(docfiles.WRITERS))
def test_seed_text_comes_back_from_every_type(kind):
    document = read_document(docfiles.WRITERS[kind](SEED))
    assert document.kind == kind and not document.needs_ocr
    text, expected = squeeze(document.extracted.text), squeeze(SEED.body_text())
    if kind == "pdf":  # wrapped table cells interleave in PDF text: same characters, paragraphs intact
        assert Counter(text) == Counter(expected)
        assert all(squeeze(b.text) in text for b in SEED.blocks if isinstance(b, Paragraph))
    else:
        assert text == expected


@pytest.mark.parametrize("kind", sorted(docfiles.WRITERS))
def test_tables_come_back_as_grids(kind):
    document = read_document(docfiles.WRITERS[kind](SMALL))
    rows = {tuple(squeeze(c) for c in row if c) for grid in document.extracted.tables for row in grid}
    assert ("规范性文件", "12", "89") in rows and ("规章", "0", "3") in rows


@pytest.mark.parametrize("kind", ["pdf", "docx"])
def test_title_is_the_documents_first_lines(kind):
    assert read_document(docfiles.WRITERS[kind](SMALL)).extracted.title == SMALL.title


def test_split_title_lines_are_joined():
    assert guess_title("样例县2019年政府信息公开\n工作年度报告\n一、总体情况") == "样例县2019年政府信息公开工作年度报告"


def test_scanned_pdf_is_flagged_needs_ocr():
    document = read_document(docfiles.scanned_pdf_bytes(pages=3))
    assert document.needs_ocr and document.extracted.text == ""
    assert document.warnings == ("needs_ocr: 3 image-only page(s), no text layer",)


def test_password_protected_pdf_gives_a_reason():
    out = io.BytesIO()
    sheet = canvas.Canvas(out, encrypt="secret")
    sheet.drawString(72, 720, "report")
    sheet.save()
    with pytest.raises(UnreadableDocument, match="password-protected PDF"):
        read_document(out.getvalue())


def test_truncated_pdf_gives_a_reason():
    body = docfiles.pdf_bytes(SMALL)
    with pytest.raises(UnreadableDocument, match="broken or truncated PDF"):
        read_document(body[: len(body) // 3])


def test_docx_zip_bomb_is_refused_before_opening():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<w:document/>" + b" " * (30 * 1024 * 1024))
    body = out.getvalue()
    assert len(body) < 100_000 and sniff(body) == "docx"
    with pytest.raises(UnreadableDocument, match="zip expands"):
        read_document(body)
    with pytest.raises(UnreadableDocument, match="uncompressed bytes, over"):
        read_document(body, limits=Limits(max_unzipped_bytes=1024 * 1024))


def test_oversized_body_is_refused_unread():
    with pytest.raises(UnreadableDocument, match="over the 1000-byte limit"):
        read_document(b"%PDF-1.4" + b"0" * 2000, limits=Limits(max_bytes=1000))


def test_page_limit():
    with pytest.raises(UnreadableDocument, match="pages, over the 1 limit"):
        read_document(docfiles.scanned_pdf_bytes(pages=2), limits=Limits(max_pages=1))


def test_reader_time_limit_ends_a_slow_read():
    big = SeedDocument(title="x", blocks=tuple(Paragraph("政府信息公开" * 40) for _ in range(400)))
    with pytest.raises(UnreadableDocument, match=r"timed out after 0\.2s"):
        read_document(docfiles.pdf_bytes(big), limits=Limits(timeout_s=0.2))


def test_garbage_with_an_office_name_gives_a_reason():
    with pytest.raises(UnreadableDocument, match="unreadable DOC/WPS"):
        read_document(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, name="report.doc")


@pytest.mark.parametrize(
    ("body", "content_type", "name", "kind"),
    [
        (b"<!DOCTYPE html><html><body>x</body></html>", None, "a.pdf", "html"),  # error page under a .pdf name
        (b"\xef\xbb\xbf<html><p>x</p></html>", None, None, "html"),
        ("一、总体情况\n本年度".encode("gbk"), "text/plain", None, "txt"),
        ("一、总体情况".encode(), None, "r.txt", "txt"),
        (b"junk %PDF-1.7 rest", "application/octet-stream", "download.jsp", "pdf"),
    ],
)
def test_sniff_trusts_bytes_then_headers_then_names(body, content_type, name, kind):
    assert sniff(body, content_type, name) == kind


def test_gbk_text_file_decodes():
    document = read_document("样例县2019年政府信息公开工作年度报告\n一、总体情况".encode("gbk"), name="r.txt")
    assert document.kind == "txt" and document.extracted.title == "样例县2019年政府信息公开工作年度报告"
    assert document.encoding.encoding == "gb18030"


def test_empty_body():
    with pytest.raises(UnreadableDocument, match="empty body"):
        read_document(b"  \n")


@pytest.mark.parametrize("name", ["report.doc", "report.wps", None])
def test_word97_file_reads_through_antiword(name):
    body = doc_bytes(SMALL)
    assert sniff(body, None, name) == "doc"
    document = read_document(body, name=name)
    assert document.extracted.metadata["converter"] == "antiword"
    assert document.extracted.title == SMALL.title
    assert "本年度主动公开政府信息1234条，收到申请12件。" in document.extracted.text
    for cell in ("本年新制作数量", "规范性文件", "89"):
        assert cell in document.extracted.text


def test_seed_text_comes_back_from_doc():
    text = read_document(doc_bytes(SEED)).extracted.text
    assert Counter(squeeze(text).replace("|", "")) == Counter(squeeze(SEED.body_text()))


def test_reader_memory_cap_turns_exhaustion_into_a_reason():
    body = docfiles.pdf_bytes(SMALL)
    assert read_document(body).extracted.text  # readable under the default cap
    # PDFium (C++) aborts when an allocation fails: the child dies and the pool starts a fresh one. (The reader
    # process imports no HTML parsing since Grid and Extracted moved to core/types: it reads this PDF in 48 MiB.)
    with pytest.raises(UnreadableDocument, match=r"pdf reader (failed|died)"):
        read_document(body, limits=Limits(max_memory_bytes=32 * 1024 * 1024))
    assert read_document(body).extracted.text


def test_scanned_report_is_read_by_ocr():
    lines = [SMALL.title, "一、总体情况", "本年度主动公开政府信息1234条，收到申请12件。", "二、主动公开政府信息情况"]
    document = read_document(scanned_report_pdf(lines))
    assert not document.needs_ocr
    assert document.warnings == ("ocr: 1 image-only page(s) read by tesseract; check the numbers",)
    assert document.extracted.title == SMALL.title
    text = squeeze(document.extracted.text)
    assert "主动公开政府信息1234条" in text and "收到申请12件" in text  # the numbers survive exactly
    assert char_f1("".join(lines), text) > 0.95  # OCR may add a stray mark (seen: “)


def test_ocr_page_limit_leaves_the_rest_flagged():
    lines = [f"第{n}页 政府信息公开工作年度报告" for n in range(40)]  # three pages
    document = read_document(scanned_report_pdf(lines), limits=Limits(max_ocr_pages=1))
    assert document.needs_ocr
    assert document.extracted.metadata["ocr_pages"] == "1"
    assert document.warnings == ("needs_ocr: 2 image-only page(s), no text layer",)
