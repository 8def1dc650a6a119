"""Crawl throughput on the portal farm, against bare Scrapy fetching the same URLs; peak memory as the farm grows.

The farm (all five families) runs in this process; each crawl runs in a child process whose peak RSS
is read from ``wait4``. Throughput: the full pipeline (``nianbao crawl --registry``: spiders, robots,
raw capture, extraction, classification, parsing, dedup, archive) on the smallest farm, then bare
Scrapy GETting the URL list the pipeline requested (from the farm's log), same per-portal concurrency,
no middlewares or pipelines of ours; between them the same crawl with the item pipelines off. Memory:
the crawler and the farm as the farm grows; crawls of the bigger farms stop after ``PAGE_CAP``
responses per portal (``max_pages``), so they measure the cost of a bigger site map and frontier, not
of a longer crawl.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sampleportal.farm.farmfile import build_apps, crawler_registry, load_entries
from sampleportal.farm.server import FarmServer

ROOT = Path(__file__).resolve().parent.parent
YEARS = range(2008, 2025)
SIZES = (("1k", 12), ("10k", 120), ("100k", 1200))  # units per portal; 17 years, 5 portals
PAGE_CAP = 400  # responses per portal in the memory runs of the bigger farms
TIME_BUDGET = 900.0  # seconds; sizes not started by then are reported as not run


def _child(args: list[str]) -> tuple[float, int, str]:
    """Run a child; its wall time, peak RSS (MiB) and stdout."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        child = subprocess.Popen(args, cwd=ROOT, stdout=out, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    if child.returncode not in (0, 1):
        raise RuntimeError(f"{args[2:4]} exited {child.returncode}: {text[-500:]}")
    return time.perf_counter() - started, usage.ru_maxrss // 1024, text


def _pages(stdout: str) -> int:
    return int(next(line.split()[-1] for line in stdout.splitlines() if "pages fetched" in line))


# Bare Scrapy has no AutoThrottle; ours is on by default (politeness, docs/OPERATIONS.md) and, with its
# target concurrency of 1, alone doubles a crawl's time on the farm. The compared crawls switch it off, so
# the rows differ only in the work done per page; the last row shows the default, throttled crawl.
UNTHROTTLED = ("-s", "AUTOTHROTTLE_ENABLED=false")


def _crawl(farm: FarmServer, work: Path, name: str, cap: int | None, *options: str) -> tuple[float, int, int]:
    registry = work / f"{name}.toml"
    entries = load_entries(browser=False)  # bare Scrapy, the baseline, cannot pass a challenge
    registry.write_text(crawler_registry(entries, {"max_pages": cap} if cap else None), encoding="utf-8")
    seconds, rss, out = _child([sys.executable, "-m", "crawler.cli", "crawl", "--registry", str(registry),
                                "--archive", str(work / f"archive-{name}{'-'.join(options)}"), "--proxy", farm.url,
                                *options])
    return seconds, rss, _pages(out)


def _throughput(farm: FarmServer, work: Path, pages: int, seconds: float) -> str:
    """Table rows: the full crawl just run, the same crawl without item pipelines, bare Scrapy on its URLs."""
    urls = work / "urls.txt"
    urls.write_text("".join(f"http://{host}{path}\n" for host, path in farm.requests), encoding="utf-8")
    registry = work / "1k.toml"
    crawl_s, _, crawl_out = _child([sys.executable, "-m", "bench.crawl_only", str(registry),
                                    str(work / "archive-crawl-only"), farm.url])
    bare_s, _, bare_out = _child([sys.executable, "-m", "bench.bare_scrapy", str(urls), farm.url])
    polite_s, _, polite_pages = _crawl(farm, work, "1k-polite", None)
    runs = (("full pipeline (`nianbao crawl`, AutoThrottle off)", pages, seconds),
            ("crawl only: item pipelines off, AutoThrottle off", int(crawl_out.split()[-1]), crawl_s),
            ("bare Scrapy, same URLs (baseline)", int(bare_out.split()[-1]), bare_s),
            ("full pipeline with the default AutoThrottle (for context)", polite_pages, polite_s))
    bare = runs[2][1] / bare_s
    return "\n".join(f"| {name} | {n} | {s:.1f} | {n / s:.1f} | {n / s / bare:.2f} |" for name, n, s in runs)


def _farm_rss() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def run() -> str:
    started = time.perf_counter()
    rows, throughput = [], ""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for label, units in SIZES:
            if time.perf_counter() - started > TIME_BUDGET:
                rows.append(f"| {label} | {units} | — | — | — | — | not run: over the {TIME_BUDGET:.0f} s budget |")
                continue
            built = time.perf_counter()
            apps = build_apps(load_entries(browser=False), 7, units, YEARS)
            build_s = time.perf_counter() - built
            entries = sum(len(app.world.entries) for app in apps)
            full = label == SIZES[0][0]
            with FarmServer(apps) as farm:
                seconds, rss, pages = _crawl(farm, work, label, None if full else PAGE_CAP, *UNTHROTTLED)
                if full:
                    throughput = _throughput(farm, work, pages, seconds)
            crawl = "all" if full else f"first {pages}"
            rows.append(f"| {label} | {units} | {entries:,} | {build_s:.1f} s | {crawl} | {rss} MiB | "
                        f"{_farm_rss()} MiB |")
    return "\n".join([
        "## Crawling the portal farm (bench/bench_crawl.py)",
        "",
        "The five HTTP-family portals (docs/FARM.md; the browser portals are left out: bare Scrapy cannot pass"
        " their challenges), years 2008–2024. Throughput on the smallest farm: the",
        "full pipeline against bare Scrapy GETting the same URLs in the same run (same per-portal concurrency;",
        "the farm renders pages and builds PDF/Office files on request in this process, for all three rows).",
        "The second row is the same crawl with the item pipelines off (bench/crawl_only.py): what is left of",
        "the gap after it is the parse step, which bench_parse measures on its own. AutoThrottle is off in the",
        "compared rows (bare Scrapy has none); the last row is the default, polite crawl, for context.",
        "",
        "| crawl | responses | seconds | pages/s | pages/s vs bare |",
        "|---|---:|---:|---:|---:|",
        throughput,
        "",
        f"Peak RSS as the farm grows (crawls of the bigger farms stop after {PAGE_CAP} responses per portal;",
        "the crawler's figure is its largest single process — the crawl process or one of the parse workers",
        "it starts (NIANBAO_EXTRACT_PROCESSES, one per CPU), each about that size at most; the farm's figure",
        "is this process's peak so far, so it only grows):",
        "",
        "| farm | units/portal | entries | farm start | pages crawled | crawler peak RSS | farm peak RSS |",
        "|---|---:|---:|---:|---|---:|---:|",
        *rows,
    ])
