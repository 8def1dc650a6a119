"""Run every bench/bench_*.py and write docs/BENCHMARKS.md.

Each module exposes ``run() -> str``: one markdown section (starting with a ``## `` heading) whose
figures are ratios against a baseline measured in the same run, plus the raw numbers behind them.
Usage: ``python -m bench.run [NAME ...]`` (``make bench``); names select modules (``farm`` → bench_farm).
"""

from __future__ import annotations

import importlib
import os
import platform
import re
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "docs" / "BENCHMARKS.md"
SECTION = re.compile(r"<!-- bench:(\w+) -->.*?<!-- /bench:\1 -->", re.S)


def modules(selected: list[str]) -> list[str]:
    found = sorted(p.stem for p in Path(__file__).parent.glob("bench_*.py"))
    if selected:
        wanted = {f"bench_{name.removeprefix('bench_')}" for name in selected}
        unknown = wanted - set(found)
        if unknown:
            raise SystemExit(f"error: no benchmark named {', '.join(sorted(unknown))}; have {', '.join(found)}")
        found = [name for name in found if name in wanted]
    return found


def existing_sections() -> dict[str, str]:
    """Sections of the current docs/BENCHMARKS.md by module name, so a run of one bench keeps the others."""
    text = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
    return {m.group(1): m.group(0) for m in SECTION.finditer(text)}


def main(argv: list[str] | None = None) -> int:
    selected = sys.argv[1:] if argv is None else argv
    sections = existing_sections()
    for name in modules(selected):
        started = time.perf_counter()
        print(f"running bench.{name} ...", flush=True)
        body = importlib.import_module(f"bench.{name}").run().strip()
        sections[name] = (
            f"<!-- bench:{name} -->\n{body}\n\n_`python -m bench.run {name.removeprefix('bench_')}` on "
            f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC took {time.perf_counter() - started:.1f} s._\n"
            f"<!-- /bench:{name} -->"
        )
    header = (
        "# Benchmarks\n\n"
        "Produced by `make bench` (`python -m bench.run`; `make bench BENCH=name` reruns one section and keeps "
        f"the others). Machine: {platform.python_implementation()} {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, {platform.machine()}.\n"
        "Every figure is a ratio against a baseline measured in the same run; absolute numbers are "
        "given for context only.\n"
    )
    OUTPUT.write_text(header + "\n" + "\n\n".join(sections[k] for k in sorted(sections)) + "\n", encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
