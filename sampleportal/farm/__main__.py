"""``python -m sampleportal.farm``: serve the portal farm, or write its manifest / crawler registry.

The first line printed is the server's address (use it as the crawler's ``--proxy``).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from sampleportal.farm.app import PortalApp
from sampleportal.farm.farmfile import DEFAULT_FARM, build_apps, crawler_registry, fault_plan, load_entries
from sampleportal.farm.faults import Faults
from sampleportal.farm.server import FarmServer


def year_range(text: str) -> range:
    first, _, last = text.partition("-")
    if not (first.isdigit() and (not last or last.isdigit())) or int(last or first) < int(first):
        raise argparse.ArgumentTypeError(f"invalid years {text!r}: expected e.g. 2008-2024")
    return range(int(first), int(last or first) + 1)


def write_manifest(apps: Sequence[PortalApp], path: Path) -> int:
    """Every report of every portal as JSON Lines, sorted by URL; returns the count."""
    items = sorted((item for app in apps for item in app.manifest()), key=lambda item: item["url"])
    with path.open("w", encoding="utf-8") as out:
        for item in items:
            out.write(json.dumps(item, ensure_ascii=False, sort_keys=True) + "\n")
    return len(items)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m sampleportal.farm", description=__doc__)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--farm", type=Path, default=DEFAULT_FARM, help="farm registry TOML (default: farm.toml)")
    parser.add_argument("--seed", type=int, default=7, help="everything generated follows from it")
    parser.add_argument("--units", type=int, default=6, help="units (government, departments, towns) per portal")
    parser.add_argument("--years", type=year_range, default=range(2008, 2025), help="e.g. 2008-2024")
    parser.add_argument("--manifest", type=Path, help="write the ground truth (JSON Lines) and exit")
    parser.add_argument("--registry-out", type=Path, help="write the nianbao registry of the farm's portals")
    faults = parser.add_argument_group("faults (every portal without its own `faults` in the farm file)")
    faults.add_argument("--slow", type=float, default=0.0, metavar="SECONDS", help="delay before each reply")
    faults.add_argument("--errors", type=float, default=0.0, metavar="SHARE", help="URLs failing once with 500/503")
    faults.add_argument("--resets", type=float, default=0.0, metavar="SHARE", help="URLs reset once")
    faults.add_argument("--throttle", type=float, default=0.0, metavar="SHARE", help="URLs answering 429 once")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    entries = load_entries(args.farm)
    apps = build_apps(entries, args.seed, args.units, args.years)
    if args.registry_out:
        args.registry_out.write_text(crawler_registry(entries), encoding="utf-8")
    if args.manifest:
        count = write_manifest(apps, args.manifest)
        print(f"{count} reports in {args.manifest}")
        return 0
    plan = fault_plan(entries, Faults(args.slow, args.errors, args.resets, args.throttle, args.seed))
    FarmServer(apps, plan, args.port).serve_until_interrupted()
    return 0


if __name__ == "__main__":
    sys.exit(main())
