"""Scoring of parsed stats against known truth, shared by the parse gate tests.

A parsed key is correct when the truth has it with the same value (null included), wrong when
the truth has another value or no such key; a truth key not parsed is missed.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from crawler.core.documents import read_document
from crawler.core.extraction import extract
from crawler.core.parsing import Parsed, parse_report
from sampleportal import docfiles
from sampleportal.reportgen import VARIANTS, Report, generate

REPORTS_PER_FORMAT = 15
FORMATS = ("pre2019", "2019", "2021")


def _html(report: Report, **options: bool) -> Parsed:
    extracted = extract(report.html(**options))
    return parse_report(extracted.text, extracted.tables)


INPUT_KINDS: dict[str, Callable[[Report], Parsed]] = {
    "html": _html,
    "html-word-split": lambda r: _html(r, soup=True, split_headers=True),
    "pipe": lambda r: parse_report(r.pipe_text()),
    "tab": lambda r: parse_report(r.tab_text()),
    "cell-lines": lambda r: parse_report(r.cell_lines_text()),
    "flat-pipes": lambda r: parse_report(r.flat_pipes_text()),
    "cell-paragraphs": lambda r: parse_report(r.cell_paragraphs_text()),
    "glued": lambda r: parse_report(r.glued_text()),
}


def _read_attachment(body: bytes, kind: str) -> Parsed:
    document = read_document(body, None, f"report.{kind}")
    return parse_report(document.extracted.text, document.extracted.tables)


def _attachment(kind: str) -> Callable[[Report], Parsed]:
    return lambda report: _read_attachment(docfiles.WRITERS[kind](report.document()), kind)


# Attachment renderings, read by the real readers in their child process (slower: the gate only).
ATTACHMENT_KINDS: dict[str, Callable[[Report], Parsed]] = {kind: _attachment(kind) for kind in ("pdf", "docx", "doc")}
ATTACHMENT_KINDS["pdf-wps"] = lambda r: _read_attachment(r.wps_pdf(), "pdf")
# Input kinds scored for precision only: their recall is bounded by how many splits are unique.
PRECISION_ONLY = frozenset({"glued"})


@dataclass
class Score:
    correct: int = 0
    wrong: int = 0
    missed: int = 0

    def add(self, truth: dict, parsed: dict) -> None:
        for key, value in parsed.items():
            if key in truth and truth[key] == value and type(truth[key]) is type(value):
                self.correct += 1
            else:
                self.wrong += 1
        self.missed += sum(1 for key in truth if key not in parsed)

    @property
    def precision(self) -> float:
        return self.correct / ((self.correct + self.wrong) or 1)

    @property
    def recall(self) -> float:
        return self.correct / ((self.correct + self.missed) or 1)


def generated_reports() -> Iterator[Report]:
    """``REPORTS_PER_FORMAT`` of each format; tabled formats get a random set of printed variants."""
    for n, fmt in enumerate(FORMATS):
        rng = random.Random(1000 + n)
        for k in range(REPORTS_PER_FORMAT):
            variants = set(rng.sample(sorted(VARIANTS), k % 3)) if fmt != "pre2019" else set()
            yield generate(rng, fmt, variants=variants)


def kinds_for(report: Report) -> list[str]:
    tabled = report.format != "pre2019"  # the cell-order readers rebuild the 2019/2021 tables only
    only = {"glued": tabled, "flat-pipes": tabled, "cell-paragraphs": tabled}
    return [kind for kind in INPUT_KINDS if only.get(kind, True)]
