"""Run every bench/bench_*.py and write docs/BENCHMARKS.md.

Each module exposes ``run() -> str``: one markdown section (starting with a ``## `` heading) whose
figures are ratios against a baseline measured in the same run, plus the raw numbers behind them.
Usage: ``python -m bench.run [NAME ...]`` (``make bench``); names select modules (``farm`` → bench_farm).
"""

from __future__ import annotations

import importlib
import os
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "docs" / "BENCHMARKS.md"


def modules(selected: list[str]) -> list[str]:
    found = sorted(p.stem for p in Path(__file__).parent.glob("bench_*.py"))
    if selected:
        wanted = {f"bench_{name.removeprefix('bench_')}" for name in selected}
        unknown = wanted - set(found)
        if unknown:
            raise SystemExit(f"error: no benchmark named {', '.join(sorted(unknown))}; have {', '.join(found)}")
        found = [name for name in found if name in wanted]
    return found


def main(argv: list[str] | None = None) -> int:
    selected = sys.argv[1:] if argv is None else argv
    sections = []
    for name in modules(selected):
        started = time.perf_counter()
        print(f"running bench.{name} ...", flush=True)
        section = importlib.import_module(f"bench.{name}").run()
        sections.append(section.strip() + f"\n\n_{name} took {time.perf_counter() - started:.1f} s._\n")
    header = (
        "# Benchmarks\n\n"
        f"Produced by `make bench` (`{' '.join(['python -m bench.run', *selected])}`) on "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC; {platform.python_implementation()} "
        f"{platform.python_version()}, {os.cpu_count()} CPUs, {platform.machine()}.\n"
        "Every figure is a ratio against a baseline measured in the same run; absolute numbers are "
        "given for context only.\n"
    )
    OUTPUT.write_text(header + "\n" + "\n".join(sections), encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
