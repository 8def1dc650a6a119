"""``nianbao coverage``: which portal has a report for which year, as a heatmap PNG, an HTML page and gaps."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

from crawler.export.archive_reader import iter_records
from storage import Storage

FOUND, LOOKALIKE_ONLY, MISSING = "found", "look-alike only", "missing"
COLOURS = {FOUND: "#2e7d32", LOOKALIKE_ONLY: "#f9a825", MISSING: "#e0e0e0"}


@dataclass(frozen=True, slots=True)
class Coverage:
    portals: tuple[str, ...]
    years: tuple[int, ...]
    cells: dict[tuple[str, int], str]  # (portal, year) → status
    reports: dict[tuple[str, int], int]  # (portal, year) → number of distinct reports

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
    for record in records:
        portal = (record.get("source") or {}).get("portal") or "unknown"
        portals.add(portal)
        year = record.get("year")
        if not isinstance(year, int):
            continue
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
    return Coverage(tuple(sorted(portals)), years, cells, dict(reports))


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


def status_cells(colours: dict[str, str], cells: Iterable[tuple[str, int | None]]) -> str:
    """Table cells coloured by status, each printing its number of reports (when it has any)."""
    return "".join(f'<td style="background:{colours[status]}" title="{status}">{count or ""}</td>'
                   for status, count in cells)


def html_page(title: str, colours: dict[str, str], first: str, years: Iterable[int], rows: Iterable[str],
              note: str = "", style: str = "") -> str:
    """The coverage table as a page: a legend of ``colours``, a header of ``years``, then ``rows``."""
    head = "".join(f"<th>{y}</th>" for y in years)
    legend = " ".join(f'<span style="background:{c};padding:0 .5em">{escape(s)}</span>' for s, c in colours.items())
    return ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>nianbao coverage</title>'
            f"<style>{style}</style></head><body><h1>{escape(title)}</h1><p>{legend}{note}</p>"
            f'<table border="1" cellspacing="0"><tr><th>{first}</th>{head}</tr>' + "".join(rows)
            + "</table></body></html>\n")


def write_html(coverage: Coverage, path: Path) -> None:
    rows = [f"<tr><th>{escape(portal)}</th>" + status_cells(COLOURS, ((coverage.cells[portal, y],
            coverage.reports.get((portal, y))) for y in coverage.years)) + "</tr>" for portal in coverage.portals]
    path.write_text(html_page("Coverage", COLOURS, "portal", coverage.years, rows), encoding="utf-8")


def write_coverage(coverage: Any, out_dir: Path, png_writer: Callable[[Any, Path], None] = write_png,
                   html_writer: Callable[[Any, Path], None] = write_html) -> list[Path]:
    """coverage.png, coverage.html and gaps.json of ``coverage`` (by portal, or another view's writers)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    png, html, gaps = out_dir / "coverage.png", out_dir / "coverage.html", out_dir / "gaps.json"
    png_writer(coverage, png)
    html_writer(coverage, html)
    gaps.write_text(json.dumps(coverage.gaps(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return [png, html, gaps]
