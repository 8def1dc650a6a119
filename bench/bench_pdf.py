"""PDF reading cost: nianbao's PDF reader (text and tables from the page geometry) beside bare pypdfium2
text extraction of the same files, per page, and the stats read from them.

Files are generated 2019 and 2021 reports laid out as WPS prints them (``Report.wps_pdf``: merged cells
as spans, 表三 over a page break with its header repeated, page numbers). Timings are in-process (no
child interpreter), best of ``ROUNDS``:
- baseline: ``pypdfium2`` opening the file and taking every page's text (``get_text_range``);
- reader: ``crawler.core.readers.pdf.read_pdf`` (text, character boxes, ruling lines, tables);
- reader + parse_report: the reader's output to stats.
"""

from __future__ import annotations

import random

import pypdfium2 as pdfium

from bench.bench_parse import timed
from crawler.core.parsing import parse_report
from crawler.core.readers.common import Limits
from crawler.core.readers.pdf import read_pdf
from sampleportal.reportgen import generate

FILES_PER_FORMAT = 10
ROUNDS = 3


def _files() -> list[tuple[bytes, dict]]:
    rng = random.Random(2026)
    reports = [generate(rng, fmt) for fmt in ("2019", "2021") for _ in range(FILES_PER_FORMAT)]
    return [(report.wps_pdf(), report.stats) for report in reports]


def _bare_text(body: bytes) -> None:
    pdf = pdfium.PdfDocument(body)
    for page in pdf:
        page.get_textpage().get_text_range()
    pdf.close()


def _reader(body: bytes) -> None:
    read_pdf(body, Limits())


def _parsed(body: bytes) -> None:
    extracted = read_pdf(body, Limits())
    parse_report(extracted.text, extracted.tables)


def run() -> str:
    files = _files()
    bodies = [body for body, _ in files]
    pages = sum(len(pdfium.PdfDocument(body)) for body in bodies)
    # rounds interleaved, so a busy moment of a shared machine hits the three alike
    baseline, reader, parsed = (min(times) for times in zip(*(
        (timed(bodies, _bare_text), timed(bodies, _reader), timed(bodies, _parsed)) for _ in range(ROUNDS)),
        strict=True))
    right = found = 0
    for body, truth in files:
        extracted = read_pdf(body, Limits())
        stats = parse_report(extracted.text, extracted.tables).stats
        found += len(truth)
        right += sum(1 for key, value in truth.items() if key in stats and stats[key] == value)
        assert all(truth.get(key, "absent") == value for key, value in stats.items()), "a wrong number"

    def per_page(seconds: float) -> str:
        return f"{seconds / pages * 1000:.1f} ms"

    return (
        "## PDF reader (bench_pdf)\n\n"
        f"{len(bodies)} generated 2019/2021 reports as WPS-layout PDFs ({pages} pages), one core, in-process, "
        f"best of {ROUNDS}. The reader's stats: {right} of {found} true cells, no wrong number.\n\n"
        "| step | per page | time vs bare pypdfium2 text |\n|---|---:|---:|\n"
        f"| pypdfium2 text only (baseline) | {per_page(baseline)} | 1.00 |\n"
        f"| read_pdf: text + tables from geometry | {per_page(reader)} | {reader / baseline:.2f} |\n"
        f"| read_pdf + parse_report | {per_page(parsed)} | {parsed / baseline:.2f} |\n"
    )


if __name__ == "__main__":
    print(run())
