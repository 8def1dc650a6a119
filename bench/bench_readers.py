"""Cost of reading each document type, and of the child process that guards every binary read.

Baseline: the same reader called in-process (no timeout, no memory cap). The ratio is what the
isolation in ``crawler.core.documents`` costs per document; HTML (read in-process) is the reference
for the types themselves.
"""

from __future__ import annotations

import time
from statistics import median

from crawler.core.documents import Limits, read_document
from crawler.core.readers.worker import read
from sampleportal import docfiles
from sampleportal.catalog import seed_document
from sampleportal.site import build_site

ROUNDS = 5


def _median_time(action) -> float:
    times = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return median(times)


def run() -> str:
    seed = seed_document("001_5e7b7750513ba6ef.txt")  # 蓬溪: about 2,700 characters and 3 tables
    page = next(r for path, r in build_site().items() if path.endswith("t20200120_1048702.html"))
    html = _median_time(lambda: read_document(page.body, page.content_type))
    limits = Limits()
    rows = [f"| html (reference) | {html * 1000:.0f} ms | — | 1.0 | — |"]
    for kind, writer in sorted(docfiles.WRITERS.items()):
        body = writer(seed)
        direct = _median_time(lambda body=body, kind=kind: read(kind, body, limits))
        child = _median_time(lambda body=body: read_document(body))
        rows.append(f"| {kind} | {direct * 1000:.0f} ms | {child * 1000:.0f} ms | {child / html:.1f} |"
                    f" {child / direct:.1f} |")
    return "\n".join([
        "## Document readers (bench/bench_readers.py)",
        "",
        f"The 蓬溪 seed as each file type, median of {ROUNDS} reads. `in-process` calls the reader directly;",
        "`guarded` is `read_document`, which runs it in a warm child interpreter (crawler/core/readers/pool.py)",
        "with a timeout and a memory cap; before the pool each read started its own child (about 430 ms).",
        "",
        "| type | in-process | guarded | guarded / html | guarded / in-process |",
        "|---|---|---|---|---|",
        *rows,
    ])
