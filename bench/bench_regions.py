"""A crawl over hundreds of portals registered under real region codes: peak RSS and time per portal as the
portal count grows (100, 300, 1,000), recall against the farm's manifest.

The farm (``farmfile.regional_entries``: the five HTTP family portals in turn, one per county code in the
national registry's order) runs in this process; each crawl is ``nianbao crawl --registry …`` in a child
process whose peak RSS comes from ``wait4``. The baseline is the smallest run: the other rows are ratios
to its time per portal and its peak RSS. A last row runs the middle size with every portal's crawler
started at once (``NIANBAO_PORTALS_AT_ONCE`` = the portal count), as runs did before portals were queued.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from crawler.regions import divisions
from sampleportal.farm.farmfile import build_apps, crawler_registry, regional_entries
from sampleportal.farm.server import FarmServer

ROOT = Path(__file__).resolve().parent.parent
COUNTS = (100, 300, 1000)
UNITS, YEARS = 1, range(2020, 2022)  # per portal: the government's two reports, a look-alike a year
AT_ONCE = 8  # NIANBAO_PORTALS_AT_ONCE's default
PER_PROCESS = 100  # NIANBAO_PORTALS_PER_PROCESS's default
WHY = [  # measured outside this bench (a sampled crawl process, one batch into two archives), not rerun by it
    "Where the memory goes. Crawled in one process, the crawl process's peak RSS grows with the portals",
    "(the last row). Sampled inside it every 2 s over 1,000 portals (glibc `mallinfo2`,",
    "`sys._debugmallocstats`, `/proc/self/smaps_rollup`): the malloc heap in use stayed at 21–24 MiB and",
    "Python's object arenas grew from 58 to 65 MiB, while the heap's free but kept memory grew from 1 to",
    "12 MiB. Three causes, told apart by measurements:",
    "",
    "- The crawlers run: crawling the same 100 portals five times over in one process (archive and index",
    "  constant) still grew its anonymous memory from 86 to 95 MiB over 430 portal crawls, Python's arenas",
    "  flat: a fragmented heap (a `malloc_trim` after each portal and `MALLOC_ARENA_MAX=2` slowed it without",
    "  stopping it). This part batches remove: a child returns all its memory when it exits, and the",
    "  crawl process itself, which only merges portal reports, stays under 90 MiB.",
    "- The report index, before it was sharded: every crawl process loaded the whole index",
    "  (`index/reports.json`) and serialized it whole at each save; the index of this 1,000-portal archive",
    "  (3,990 records) added 7 MiB to a process and 8 MiB more while saved, and the batch children peaked",
    "  at 116 rising to 148 MiB. A process now reads only the index shards of the agencies it meets",
    "  (crawler/archive/index.py): with copies still merged one at a time, the children rose from 115 to",
    "  131 MiB.",
    "- Copies merged one at a time: before batching, the last 100 portals crawled alone peaked at 117",
    "  MiB into two empty archives and at 134 and 135 MiB into the archive of the first 900. The farm",
    "  posts two look-alike texts on every portal, so their two records gather every portal's URL (999 at",
    "  1,000 portals), and each copy met was merged by reading and rewriting its whole record in a thread;",
    "  with those two records' `also_seen_at` emptied first, the crawl into the big archive peaked at 117",
    "  MiB. Copies now wait in memory and go into their record in one write per flush",
    "  (crawler/archive/copies.py: at most every `NIANBAO_STATE_SAVE_INTERVAL` and at the end of each",
    "  batch child). The same measurement after: 117 and 116 MiB into empty archives, 118 and 118 MiB",
    "  into the 900-portal archive.",
    "",
    "Time per portal: the CPU column is the steadier one, as the machine (2 cores) is shared with other",
    "work; each batch child costs its start (Python, Scrapy, its parse workers).",
]
OPTIONS = ("-s", "AUTOTHROTTLE_ENABLED=false", "-s", "NIANBAO_WARC=false")


def _peaks(pid: int, seen: dict[int, tuple[str, int]]) -> None:
    """Record the peak RSS (VmHWM, MiB) of ``pid`` and of every process under it, by role."""
    for child in _children(pid):
        _peaks(child, seen)
    try:
        status = Path(f"/proc/{pid}/status").read_text()
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return
    if not command:  # a zombie: its figures are gone, keep the last ones
        return
    hwm = next((int(line.split()[1]) // 1024 for line in status.splitlines() if line.startswith("VmHWM")), 0)
    role = "batch" if "crawler.run.portalbatches" in command else "crawl" if "crawler.run.cli" in command else "other"
    seen[pid] = (role, max(hwm, seen.get(pid, (role, 0))[1]))


def _children(pid: int) -> list[int]:
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return []
    found = []
    for task in tasks:
        with contextlib.suppress(OSError):
            found += [int(c) for c in Path(f"/proc/{pid}/task/{task}/children").read_text().split()]
    return found


def _crawl(registry: Path, archive: Path, proxy: str, *options: str) -> tuple[float, dict[str, int], dict]:
    """Wall seconds, peak RSS (MiB) of the crawl process ("crawl"), of its largest batch child ("batch") and
    of the whole tree (``wait4``: the largest of all, parse workers included), and the run report."""
    started = time.perf_counter()
    seen: dict[int, tuple[str, int]] = {}
    with tempfile.TemporaryFile() as out:
        child = subprocess.Popen([sys.executable, "-m", "crawler.run.cli", "crawl", "--registry", str(registry),
                                  "--archive", str(archive), "--proxy", proxy, *OPTIONS, *options],
                                 cwd=ROOT, stdout=out, stderr=subprocess.DEVNULL)
        while True:  # sampled every 0.2 s: a child's peak in its last moments can be missed, wait4's cannot
            _peaks(child.pid, seen)
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            time.sleep(0.2)
        if os.waitstatus_to_exitcode(status) not in (0, 1):
            out.seek(0)
            raise RuntimeError(f"crawl exited {status}: {out.read().decode('utf-8', 'replace')[-500:]}")
    (report,) = [json.loads(p.read_text(encoding="utf-8")) for p in archive.glob("runs/*.json")]
    peaks = {role: max((mib for r, mib in seen.values() if r == role), default=0) for role in ("crawl", "batch")}
    batches = [mib for role, mib in seen.values() if role == "batch"]  # in the order they started
    cpu = usage.ru_utime + usage.ru_stime  # the whole tree's: batch children and parse workers are waited for
    return (time.perf_counter() - started, {**peaks, "tree": usage.ru_maxrss // 1024, "batches": batches, "cpu": cpu},
            report)


def _recall(archive: Path, manifest: list[dict]) -> tuple[int, int]:
    reported: set[str] = set()
    for path in archive.glob("reports/*/*.json"):
        record = json.loads(path.read_text(encoding="utf-8"))
        if record["is_report"]:
            source = record["source"]
            reported |= {source["url"], source["final_url"], *record["also_seen_at"]}
    return sum(1 for item in manifest if item["url"] in reported), len(manifest)


def _run(count: int, work: Path, *options: str, label: str = "") -> dict:
    codes = divisions().counties()[:count]
    entries = regional_entries(codes)
    apps = build_apps(entries, 7, UNITS, YEARS)
    registry = work / f"{count}{label}.toml"
    registry.write_text(crawler_registry(entries), encoding="utf-8")
    manifest = [item for app in apps for item in app.manifest()]
    with FarmServer(apps) as farm:
        seconds, rss, report = _crawl(registry, work / f"archive-{count}{label}", farm.url, *options)
    found, total = _recall(work / f"archive-{count}{label}", manifest)
    return {"count": count, "seconds": seconds, "rss": rss, "pages": report["counts"]["pages_fetched"],
            "failed": len(report["portals_failed"]), "found": found, "total": total,
            "first": codes[0], "last": codes[-1]}


def _row(name: str, run: dict, base: dict) -> str:
    per_portal, base_per_portal = run["seconds"] / run["count"], base["seconds"] / base["count"]
    largest, base_largest = max(run["rss"]["crawl"], run["rss"]["batch"]), base["rss"]["crawl"]
    cpu, base_cpu = run["rss"]["cpu"] / run["count"], base["rss"]["cpu"] / base["count"]
    return (f"| {name} | {run['first']}–{run['last']} | {run['pages']:,} | {run['seconds']:.0f} | "
            f"{per_portal:.2f} | {per_portal / base_per_portal:.2f} | {cpu:.2f} | {cpu / base_cpu:.2f} | "
            f"{run['rss']['crawl']} | "
            f"{run['rss']['batch'] or '—'} | {largest / base_largest:.2f} | {run['found']}/{run['total']} | "
            f"{run['failed']} |")


def run() -> str:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        runs = [_run(count, work) for count in COUNTS]
        alone = _run(COUNTS[-1], work, "-s", "NIANBAO_PORTALS_PER_PROCESS=0", label="-one-process")
    base = runs[0]
    rows = [_row(f"{r['count']:,} portals" + (" (baseline)" if r is base else ""), r, base) for r in runs]
    rows.append(_row(f"{COUNTS[-1]:,} portals in one process (context)", alone, base))
    return "\n".join([
        "## A crawl over hundreds of portals (bench/bench_regions.py)",
        "",
        "Farm portals registered under the first 100, 300 and 1,000 county codes of the national registry",
        "(docs/FARM.md \"Portals under real region codes\": the five HTTP families in turn), each publishing the",
        f"government's reports for {YEARS.start}–{YEARS.stop - 1} and a look-alike a year; one `nianbao crawl"
        " --registry …` per row with the default settings (`NIANBAO_PORTALS_AT_ONCE` "
        f"{AT_ONCE}, `NIANBAO_PORTALS_PER_PROCESS` {PER_PROCESS}), AutoThrottle and WARC capture off (the rows"
        " compare the cost of more portals, not politeness delays). Peak RSS (VmHWM, the process tree sampled"
        " every 0.2 s) of the crawl process and of the largest batch child it started (crawler/run/portalbatches.py;"
        " none at 100 portals, crawled in the crawl process itself); time per portal is the wall time over the"
        " portal count; CPU s/portal is the CPU time of the whole process tree (crawl process, batch children,"
        " parse workers: `wait4`) over the portal count, which other work on the machine moves far less."
        " Ratios are to the 100-portal row of the same run: time per portal, and the largest"
        " of the two processes against the 100-portal crawl process. Recall: manifest reports archived as"
        " reports. The last row crawls the 1,000 portals in the crawl process alone"
        " (`NIANBAO_PORTALS_PER_PROCESS=0`), as runs did before batches.",
        "",
        "| run | region codes | responses | seconds | s/portal | s/portal vs baseline | CPU s/portal |"
        " CPU s/portal vs baseline | crawl process peak MiB | largest batch child peak MiB |"
        " largest process vs baseline | recall | portals failed |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        *rows,
        "",
        f"The batch children of the {COUNTS[-1]:,}-portal row peaked at "
        + ", ".join(str(mib) for mib in runs[-1]["rss"]["batches"]) + " MiB, in the order they ran.",
        "",
        *WHY,
    ])
