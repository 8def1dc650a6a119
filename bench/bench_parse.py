"""Parse throughput: report pages to stats on one core, beside trafilatura's bare extraction of the same pages.

Pages are generated reports (sampleportal.reportgen, the three formats, Word-pasted markup). Three
timings over the same pages, best of ``ROUNDS``:
- baseline: ``trafilatura.extract`` alone (tables included, as nianbao calls it);
- parse step: table grids from the tree plus ``parse_report`` (what this issue adds);
- full: ``extraction.extract`` + ``parse_report``, i.e. page HTML to stats.
"""

from __future__ import annotations

import random
import time

import trafilatura

from crawler.core.extraction import extract, parse_html
from crawler.core.parsing import parse_report
from crawler.core.tables import html_grids
from sampleportal.reportgen import generate

PAGES_PER_FORMAT = 30
ROUNDS = 3


def _pages() -> list[str]:
    rng = random.Random(2024)
    return [generate(rng, fmt).html(soup=True, split_headers=bool(n % 2))
            for fmt in ("pre2019", "2019", "2021") for n in range(PAGES_PER_FORMAT)]


def timed(items: list, work) -> float:
    """Seconds to run ``work`` on every item once."""
    started = time.perf_counter()
    for item in items:
        work(item)
    return time.perf_counter() - started


def _trafilatura(page: str) -> None:
    trafilatura.extract(page, include_tables=True, include_comments=False, include_links=False,
                        favor_recall=True, deduplicate=False)


def _parse_step(page: str) -> None:
    parse_report("", html_grids(parse_html(page)))


def _full(page: str) -> None:
    extracted = extract(page)
    parse_report(extracted.text, extracted.tables)


def run() -> str:
    pages = _pages()
    # rounds interleaved, so a busy moment of a shared machine hits the three alike
    baseline, step, full = (min(times) for times in zip(*(
        (timed(pages, _trafilatura), timed(pages, _parse_step), timed(pages, _full)) for _ in range(ROUNDS)),
        strict=True))
    n = len(pages)
    return (
        "## Parse throughput (bench_parse)\n\n"
        f"{n} generated report pages (pre2019, 2019, 2021; Word-pasted tables), one core, best of {ROUNDS}.\n\n"
        "| step | reports/s | time vs trafilatura bare |\n|---|---:|---:|\n"
        f"| trafilatura.extract alone (baseline) | {n / baseline:.1f} | 1.00 |\n"
        f"| tables + stats (grids, parse_report) | {n / step:.1f} | {step / baseline:.2f} |\n"
        f"| full: extract + parse_report | {n / full:.1f} | {full / baseline:.2f} |\n"
    )


if __name__ == "__main__":
    print(run())
