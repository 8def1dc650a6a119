"""``nianbao coverage --region``: one row per county-level division of a region, grouped by prefecture,
with each prefecture's and the region's totals, so a province of 90 counties stays readable.

A county's row joins every record whose region code (or its successor) is that county, whichever
portal it came from; a county no record names is "not crawled", one the registry has no portal for is
"no portal". Totals count, per year, the counties with a report.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crawler.export.coverage import FOUND, LOOKALIKE_ONLY, MISSING, write_coverage
from crawler.export.coverpage import PALETTE, Cell, Records, Row, render_page
from crawler.regions import Region, divisions

NOT_CRAWLED, NO_PORTAL = "not crawled", "no portal"
STATUSES = (FOUND, LOOKALIKE_ONLY, MISSING, NOT_CRAWLED, NO_PORTAL)
COLOURS = {status: PALETTE[status][0] for status in STATUSES}
CJK_FONTS = ["WenQuanYi Zen Hei", "Noto Sans CJK SC", "Noto Sans SC", "SimHei", "DejaVu Sans"]


@dataclass(frozen=True, slots=True)
class County:
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class Prefecture:
    code: str  # 4 digits
    name: str
    counties: tuple[County, ...]


@dataclass(frozen=True, slots=True)
class RegionCoverage:
    label: str
    years: tuple[int, ...]
    prefectures: tuple[Prefecture, ...]
    cells: dict[tuple[str, int], str]  # (county code, year) → status
    reports: dict[tuple[str, int], int]  # (county code, year) → distinct reports
    records: Records = field(default_factory=Records)  # the records behind each (county code, year)

    def counties(self) -> list[County]:
        return [county for prefecture in self.prefectures for county in prefecture.counties]

    def found(self, counties: Iterable[County], year: int) -> int:
        """How many of ``counties`` have a report for ``year``."""
        return sum(1 for county in counties if self.cells[county.code, year] == FOUND)

    def gaps(self) -> list[dict[str, Any]]:
        return [{"region_code": c.code, "county": c.name, "prefecture": p.name, "year": y,
                 "status": self.cells[c.code, y]}
                for p in self.prefectures for c in p.counties for y in self.years if self.cells[c.code, y] != FOUND]


def region_coverage(records: Iterable[dict[str, Any]], region: Region, years: range,
                    without_portal: Iterable[str] = ()) -> RegionCoverage:
    table = divisions()
    reports: dict[tuple[str, int], int] = defaultdict(int)
    lookalikes: set[tuple[str, int]] = set()
    crawled: set[str] = set()
    refs = Records()
    for record in records:
        place = table.place((record.get("source") or {}).get("region_code"))
        if place is None or not region.covers(place.code):
            continue
        crawled.add(place.code)
        year = record.get("year")
        if isinstance(year, int) and year in years:
            refs.add(place.code, year, record)
            if record.get("is_report"):
                reports[place.code, year] += 1
            else:
                lookalikes.add((place.code, year))
    codes = [code for code in table.counties() if region.covers(code)]
    groups: dict[str, list[County]] = defaultdict(list)
    for code in codes:
        groups[code[:4]].append(County(code, table.in_use[code].name))
    prefectures = tuple(Prefecture(key, table.prefecture_name(key + "01"), tuple(counties))
                        for key, counties in sorted(groups.items()))
    absent = set(without_portal)
    cells = {(code, year): _status(code, year, reports, lookalikes, crawled, absent)
             for code in codes for year in years}
    return RegionCoverage(region.label, tuple(years), prefectures, cells, dict(reports), refs)


def _status(code: str, year: int, reports: dict[tuple[str, int], int], lookalikes: set[tuple[str, int]],
            crawled: set[str], absent: set[str]) -> str:
    if reports.get((code, year)):
        return FOUND
    if (code, year) in lookalikes:
        return LOOKALIKE_ONLY
    if code in crawled:
        return MISSING
    return NO_PORTAL if code in absent else NOT_CRAWLED


def summary_lines(coverage: RegionCoverage) -> list[str]:
    """Per prefecture, then the region: counties, crawled, and counties with a report in each year."""
    span = f"{coverage.years[0]}-{coverage.years[-1]}"
    lines = [f"{_pad('', 24)}counties crawled  counties with a report, {span}"]
    for prefecture in (*coverage.prefectures, Prefecture("", f"{coverage.label} total", tuple(coverage.counties()))):
        crawled = sum(1 for c in prefecture.counties if coverage.cells[c.code, coverage.years[0]] != NOT_CRAWLED
                      and coverage.cells[c.code, coverage.years[0]] != NO_PORTAL)
        found = " ".join(f"{coverage.found(prefecture.counties, y):>3}" for y in coverage.years)
        lines.append(f"{_pad(prefecture.name, 24)}{len(prefecture.counties):>8} {crawled:>7}  {found}")
    return lines


def _pad(text: str, width: int) -> str:
    """``text`` padded to ``width`` terminal columns (a Chinese character takes two)."""
    return text + " " * max(0, width - sum(2 if ord(c) > 0x2E80 else 1 for c in text))


def write_png(coverage: RegionCoverage, path: Path) -> None:
    """A heatmap: county rows under a prefecture band that prints the prefecture's totals per year."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)  # CJK fonts ship one weight
    plt.rcParams["font.sans-serif"] = CJK_FONTS
    labels, grid, bands = [], [], []
    total = Prefecture("", f"{coverage.label} total", tuple(coverage.counties()))
    for prefecture in (*coverage.prefectures, total):
        bands.append((len(grid), prefecture))
        labels.append(f"{prefecture.name} ({len(prefecture.counties)})")
        grid.append([len(STATUSES)] * len(coverage.years))
        for county in prefecture.counties if prefecture is not total else ():
            labels.append(f"  {county.name}")
            grid.append([STATUSES.index(coverage.cells[county.code, y]) for y in coverage.years])
    row_inches = 0.16 if len(grid) > 40 else 0.3
    fig, ax = plt.subplots(figsize=(max(7.0, 0.42 * len(coverage.years) + 3.5), row_inches * len(grid) + 1.6), dpi=100)
    colours = [COLOURS[s] for s in STATUSES] + ["#37474f"]
    ax.imshow(grid, cmap=ListedColormap(colours), vmin=0, vmax=len(STATUSES), aspect="auto", interpolation="nearest")
    ax.set_xticks(range(len(coverage.years)), [str(y) for y in coverage.years], rotation=90, fontsize=7)
    ax.set_yticks(range(len(labels)), labels, fontsize=6.5)
    for row, prefecture in bands:
        ax.get_yticklabels()[row].set_fontweight("bold")
        for col, year in enumerate(coverage.years):
            ax.text(col, row, str(coverage.found(prefecture.counties, year)), ha="center", va="center",
                    color="white", fontsize=6)
    ax.set_title(f"{coverage.label}: counties with a report per year (bands: a prefecture's count)", fontsize=9)
    ax.legend(handles=[Patch(facecolor=COLOURS[s], edgecolor="#999", label=s) for s in STATUSES],
              loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=7)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def write_html(coverage: RegionCoverage, path: Path, archive_dir: Path | None = None) -> None:
    rows = []
    total = Prefecture("", coverage.label, tuple(coverage.counties()))
    for prefecture in (*coverage.prefectures, total):
        totals = [Cell(FOUND, coverage.found(prefecture.counties, y)) for y in coverage.years]
        kind = "total" if prefecture is total else "prefecture"
        rows.append(Row(f"{prefecture.name} ({len(prefecture.counties)})", totals, kind=kind))
        for county in prefecture.counties if prefecture is not total else ():
            rows.append(Row(county.name, [Cell(coverage.cells[county.code, y], coverage.reports.get((county.code, y)),
                                               coverage.records.anchor(county.code, y)) for y in coverage.years],
                            code=county.code))
    labels = {county.code: county.name for county in coverage.counties()}
    path.write_text(render_page(coverage.label, "county", coverage.years, rows, coverage.records, labels, archive_dir,
                                "; dark rows count, per year, the counties of a prefecture or region with a report"),
                    encoding="utf-8")


def write_region_coverage(coverage: RegionCoverage, out_dir: Path, archive_dir: Path | None = None) -> list[Path]:
    return write_coverage(coverage, out_dir, write_png, write_html, archive_dir)
