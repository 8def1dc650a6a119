"""The Word 97 writer (sampleportal/wordbinary.py) against the real readers: antiword, catdoc, LibreOffice and
the project's DOC reader. The LibreOffice-written DOCs of tests/support/legacy_office.py test that reader on a
foreign writer's files."""

from __future__ import annotations

import hashlib
import os
import random
import re
import struct
import subprocess
import sys
import tempfile

import pytest

from crawler.core.documents import read_document, sniff
from crawler.core.parsing import parse_report
from sampleportal import docfiles
from sampleportal.catalog import seed_document
from sampleportal.reportgen import generate
from sampleportal.seedtext import Paragraph, SeedDocument, Table
from sampleportal.wordbinary import doc_bytes
from tests.support.cli import ROOT, SEEDS

GOLDEN = SeedDocument(
    title="样例县财政局2019年政府信息公开工作年度报告",
    blocks=(
        Paragraph("一、总体情况"),
        # 300 characters without an ASCII space or punctuation: a catdoc filler, the text in two pieces.
        Paragraph("本年度我局认真贯彻落实政府信息公开条例" * 15 + "主动公开政府信息一千二百三十四条"),
        Table(rows=(("信息内容", "本年新制作数量", "对外公开总数量"), ("规章", "0", "3"), ("规范性文件", "12"))),
        Paragraph("二、其他需要报告的事项"),
    ),
)
GOLDEN_SHA256 = "c4b3104c9f74b20371be054b22ba410d6c1db70dafe30703f1eb9fa9116ff5b8"
REPORTS = [(fmt, seed) for fmt in ("pre2019", "2019", "2021") for seed in range(3)]
SEED_NAMES = sorted(p.name for p in SEEDS.glob("*.txt"))


def documents() -> list:
    """Generated reports of each format, the five seeds and the golden document, as pytest params."""
    reports = [pytest.param(generate(random.Random(seed), fmt).document(), id=f"{fmt}-{seed}") for fmt, seed in REPORTS]
    return [*reports, *(pytest.param(seed_document(name), id=name) for name in SEED_NAMES),
            pytest.param(GOLDEN, id="golden")]


def expected_lines(document: SeedDocument, row) -> list[str]:
    """Every paragraph and table row of ``document`` in order; ``row`` prints a row's cells."""
    lines = [document.title] if document.title else []
    for block in document.blocks:
        if isinstance(block, Paragraph):
            lines.append(block.text)
        else:
            lines += [row(cells) for cells in block.padded()]
    return [line.strip() for line in lines if line.strip()]


def converted(program: list[str], body: bytes) -> subprocess.CompletedProcess:
    with tempfile.NamedTemporaryFile(suffix=".doc") as file:
        file.write(body)
        file.flush()
        return subprocess.run([*program, file.name], capture_output=True, text=True, timeout=60, check=True)


@pytest.mark.parametrize("document", documents())
def test_antiword_prints_every_paragraph_and_table_row_in_order(document):
    out = converted(["antiword", "-m", "UTF-8.txt", "-w", "0"], doc_bytes(document)).stdout
    lines = [line.strip() for line in out.splitlines() if line.strip()]
    rows = ["|" + "|".join(cell.strip() for cell in line[1:-1].split("|")) + "|" if line.startswith("|") else line
            for line in lines]
    assert rows == expected_lines(document, lambda cells: "|" + "|".join(cells) + "|")


@pytest.mark.parametrize("document", documents())
def test_catdoc_prints_every_paragraph_and_table_cell_in_order(document):
    """catdoc ends lines at paragraphs and rows and separates cells by tabs, but it reads an empty last cell's
    mark and the row's end mark as a row end followed by a cell: compared here cell by cell, empty ones
    left out. The spaces stored outside the pieces for its UTF-16 guess show in its text."""
    out = converted(["catdoc", "-d", "utf-8", "-w"], doc_bytes(document)).stdout
    expected = "\n".join(expected_lines(document, "\t".join))
    assert cells(out) == cells(expected)


def cells(text: str) -> list[str]:
    return [cell.replace(" ", "") for cell in re.split(r"[\t\n]", text) if cell.strip()]


@pytest.mark.parametrize(("fmt", "seed"), REPORTS)
def test_doc_parses_to_the_stats_of_the_same_docx(fmt, seed):
    report = generate(random.Random(seed), fmt)
    doc, docx = (read_document(docfiles.WRITERS[kind](report.document()), None, f"report.{kind}")
                 for kind in ("doc", "docx"))
    assert (doc.kind, doc.extracted.metadata["converter"]) == ("doc", "antiword")
    assert doc.extracted.tables == docx.extracted.tables
    parsed = [parse_report(d.extracted.text, d.extracted.tables) for d in (doc, docx)]
    assert (parsed[0].format, parsed[0].stats) == (parsed[1].format, parsed[1].stats) == (fmt, report.stats)


@pytest.mark.parametrize("name", SEED_NAMES)
def test_seed_doc_parses_like_its_docx(name):
    document = seed_document(name)
    doc, docx = (read_document(docfiles.WRITERS[kind](document)) for kind in ("doc", "docx"))
    assert doc.extracted.title == docx.extracted.title
    assert parse_report(doc.extracted.text, doc.extracted.tables) == parse_report(docx.extracted.text,
                                                                                  docx.extracted.tables)


def test_libreoffice_opens_the_files_with_the_same_paragraphs_and_cells(tmp_path):
    """LibreOffice's text export prints each paragraph and each cell on a line of its own."""
    cases = {"golden": GOLDEN, "report": generate(random.Random(3), "2021").document(),
             "seed": seed_document("001_5e7b7750513ba6ef.txt")}
    for name, document in cases.items():
        (tmp_path / f"{name}.doc").write_bytes(doc_bytes(document))
    subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--convert-to", "txt:Text:UTF8", "--outdir", str(tmp_path / "txt"),
                    *(str(tmp_path / f"{name}.doc") for name in cases)],
                   capture_output=True, timeout=180, check=True)
    for name, document in cases.items():
        text = (tmp_path / "txt" / f"{name}.txt").read_text(encoding="utf-8-sig")
        expected = "\n".join(expected_lines(document, "\n".join))
        assert non_blank(text) == non_blank(expected), name


def non_blank(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def test_same_document_same_bytes_in_another_process():
    """No clock, randomness or hash order: another interpreter (another hash seed) writes the same bytes."""
    report = generate(random.Random(5), "2019").document()
    script = ("import hashlib, random, sys; from sampleportal.reportgen import generate; "
              "from sampleportal.wordbinary import doc_bytes; "
              "sys.stdout.write(hashlib.sha256(doc_bytes(generate(random.Random(5), '2019').document())).hexdigest())")
    other = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60,
                           cwd=ROOT, env={**os.environ, "PYTHONHASHSEED": "12345"})
    assert doc_bytes(report) == doc_bytes(report)
    assert other.stdout == hashlib.sha256(doc_bytes(report)).hexdigest()


def test_golden_bytes():
    """Any change to what the writer puts in a file shows here; re-pin the hash when it is meant."""
    body = doc_bytes(GOLDEN)
    assert sniff(body) == "doc" and len(body) % 512 == 0
    assert hashlib.sha256(body).hexdigest() == GOLDEN_SHA256


def test_a_tiny_document_is_stored_without_a_mini_stream():
    """Streams are padded to 4096 bytes, so readers take them from the FAT (no mini FAT, no mini stream)."""
    body = doc_bytes(SeedDocument(title=None, blocks=(Paragraph("无。"),)))
    assert struct.unpack_from("<III", body, 56) == (4096, 0xFFFFFFFE, 0)  # cutoff, first mini FAT sector, count
    assert converted(["antiword", "-m", "UTF-8.txt", "-w", "0"], body).stdout.strip() == "无。"
    assert converted(["catdoc", "-d", "utf-8", "-w"], body).stdout.strip() == "无。"
