"""``nianbao coverage``: which portal has a report for which year, as a heatmap PNG, an HTML page and gaps."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crawler.export.archive_reader import iter_records
from crawler.export.coverpage import PALETTE, Cell, Records, Row, render_page
from storage import LocalStorage, Storage

FOUND, LOOKALIKE_ONLY, MISSING = "found", "look-alike only", "missing"
COLOURS = {status: PALETTE[status][0] for status in (FOUND, LOOKALIKE_ONLY, MISSING)}


@dataclass(frozen=True, slots=True)
class Coverage:
    portals: tuple[str, ...]
    years: tuple[int, ...]
    cells: dict[tuple[str, int], str]  # (portal, year) → status
    reports: dict[tuple[str, int], int]  # (portal, year) → number of distinct reports
    records: Records = field(default_factory=Records)  # the records behind each (portal, year)

    def gaps(self) -> list[dict[str, Any]]:
        return [
            {"portal": p, "year": y, "status": self.cells[p, y]}
            for p in self.portals
            for y in self.years
            if self.cells[p, y] != FOUND
        ]


def build_coverage(records: list[dict[str, Any]], first_year: int, last_year: int | None = None) -> Coverage:
    reports: dict[tuple[str, int], int] = defaultdict(int)
    lookalikes: set[tuple[str, int]] = set()
    portals: set[str] = set()
    refs = Records()
    for record in records:
        portal = (record.get("source") or {}).get("portal") or "unknown"
        portals.add(portal)
        year = record.get("year")
        if not isinstance(year, int):
            continue
        if year >= first_year and (last_year is None or year <= last_year):
            refs.add(portal, year, record)
        if record.get("is_report"):
            reports[portal, year] += 1
        else:
            lookalikes.add((portal, year))
    seen_years = [year for _, year in reports] + [year for _, year in lookalikes]
    last = last_year or max(seen_years, default=first_year)
    years = tuple(range(first_year, last + 1))
    cells = {}
    for portal in portals:
        for year in years:
            if reports.get((portal, year)):
                cells[portal, year] = FOUND
            elif (portal, year) in lookalikes:
                cells[portal, year] = LOOKALIKE_ONLY
            else:
                cells[portal, year] = MISSING
    return Coverage(tuple(sorted(portals)), years, cells, dict(reports), refs)


def coverage_of(storage: Storage, first_year: int, last_year: int | None = None) -> Coverage:
    return build_coverage([record for _, _, record in iter_records(storage)], first_year, last_year)


def write_png(coverage: Coverage, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    statuses = [FOUND, LOOKALIKE_ONLY, MISSING]
    grid = [[statuses.index(coverage.cells[p, y]) for y in coverage.years] for p in coverage.portals]
    width = max(6.0, 0.45 * len(coverage.years) + 3)
    height = max(2.5, 0.4 * len(coverage.portals) + 1.8)
    fig, ax = plt.subplots(figsize=(width, height), dpi=110)
    ax.imshow(grid, cmap=ListedColormap([COLOURS[s] for s in statuses]), vmin=0, vmax=2, aspect="auto")
    ax.set_xticks(range(len(coverage.years)), [str(y) for y in coverage.years], rotation=90)
    ax.set_yticks(range(len(coverage.portals)), coverage.portals)
    for row, portal in enumerate(coverage.portals):
        for col, year in enumerate(coverage.years):
            count = coverage.reports.get((portal, year))
            if count:
                ax.text(col, row, str(count), ha="center", va="center", color="white", fontsize=8)
    ax.set_title("Reports archived per portal and year (number = distinct reports)")
    ax.legend(handles=[Patch(color=COLOURS[s], label=s) for s in statuses], loc="upper left",
              bbox_to_anchor=(1.01, 1.0), frameon=False)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def write_html(coverage: Coverage, path: Path, archive_dir: Path | None = None) -> None:
    rows = [Row(portal, [Cell(coverage.cells[portal, y], coverage.reports.get((portal, y)),
                              coverage.records.anchor(portal, y)) for y in coverage.years])
            for portal in coverage.portals]
    path.write_text(render_page("Coverage", "portal", coverage.years, rows, coverage.records, {}, archive_dir),
                    encoding="utf-8")


def archive_dir_of(storage: Storage) -> Path | None:
    """Where record files can be linked from a page: a local archive's directory (an S3 one has none)."""
    return storage.root if isinstance(storage, LocalStorage) else None


def write_coverage(coverage: Any, out_dir: Path, png_writer: Callable[[Any, Path], None] = write_png,
                   html_writer: Callable[[Any, Path, Path | None], None] = write_html,
                   archive_dir: Path | None = None) -> list[Path]:
    """coverage.png, coverage.html and gaps.json of ``coverage`` (by portal, or another view's writers);
    the page links record keys to files under ``archive_dir`` when given."""
    out_dir.mkdir(parents=True, exist_ok=True)
    png, html, gaps = out_dir / "coverage.png", out_dir / "coverage.html", out_dir / "gaps.json"
    png_writer(coverage, png)
    html_writer(coverage, html, archive_dir)
    gaps.write_text(json.dumps(coverage.gaps(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return [png, html, gaps]
