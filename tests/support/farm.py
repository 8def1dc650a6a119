"""The portal farm for tests: a small farm served on 127.0.0.1, its crawler registry, and archive checks."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from crawler.regions import divisions
from sampleportal.farm.farmfile import build_apps, crawler_registry, load_entries, regional_entries
from sampleportal.farm.portal import FarmPortal
from sampleportal.farm.server import FarmServer
from tests.support.cli import run_cli

# Small enough for a test (about 150 reports over five portals), large enough that every list pages
# and every year of the three formats, every file type, moved and split articles appear.
UNITS, YEARS, SEED = 4, range(2016, 2023), 7
HUZHOU = [code for code in divisions().counties() if code.startswith("3305")]  # 湖州's five counties


def farm_apps(units: int = UNITS, years: range = YEARS, seed: int = SEED, browser: bool = False) -> list[FarmPortal]:
    """The farm's portals; with ``browser``, also those behind challenges or JavaScript (not FarmPortals)."""
    return build_apps(load_entries(browser=browser), seed, units, years)  # type: ignore[return-value]


@contextmanager
def regional_farm(codes: list[str], registry: Path) -> Iterator[tuple[FarmServer, list[FarmPortal]]]:
    """Farm portals under ``codes`` (one unit, 2020–2021), served, their registry written to ``registry``."""
    entries = regional_entries(codes)
    apps: list[FarmPortal] = build_apps(entries, SEED, 1, range(2020, 2022))  # type: ignore[assignment]
    registry.write_text(crawler_registry(entries), encoding="utf-8")
    with FarmServer(apps) as server:
        yield server, apps


def write_registry(path: Path, names: Iterable[str] | None = None, family: bool = True, browser: bool = False) -> Path:
    entries = [dict(e) for e in load_entries(browser=browser) if names is None or e["name"] in set(names)]
    if not family:
        for entry in entries:
            entry.pop("family", None)
    path.write_text(crawler_registry(entries), encoding="utf-8")
    return path


def urls_of(record: Mapping[str, Any]) -> set[str]:
    source = record["source"]
    return {source["url"], source["final_url"], *record["also_seen_at"]}


def missing_reports(manifest: Iterable[Mapping[str, Any]], archived: list[dict[str, Any]]) -> list[str]:
    """Manifest URLs no archived report record carries (as its URL, final URL or another copy)."""
    reported = set().union(*(urls_of(r) for r in archived if r["is_report"]))
    return [m["url"] for m in manifest if m["url"] not in reported]


def crawl(apps, registry: Path, archive: Path) -> dict:
    """One registry crawl of ``apps`` into ``archive``: its run report."""
    before = set(archive.glob("runs/*.json"))
    with FarmServer(apps) as farm:
        result = run_cli("crawl", "--registry", str(registry), "--archive", str(archive), "--proxy", farm.url)
    assert result.returncode == 0, result.stdout + result.stderr
    (run,) = set(archive.glob("runs/*.json")) - before
    return json.loads(run.read_text(encoding="utf-8"))
