"""The coverage HTML page, rendered from ``templates/coverage.html`` (Jinja2, autoescaped).

Both views (portal × year, and county × year of ``--region``) hand it rows of status cells; every cell
that has records links to a section listing them with their source URLs and archive keys, and those
keys link to the record files when the archive is a local directory. Colours carry text of enough
contrast (WCAG AA) on every status.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from crawler.archive.layout import record_key

# status → (background, text): dark text on light fills, white on dark ones.
PALETTE = {
    "found": ("#2e7d32", "#ffffff"),
    "look-alike only": ("#f9a825", "#1a1a1a"),
    "missing": ("#e0e0e0", "#1a1a1a"),
    "not crawled": ("#ffffff", "#1a1a1a"),
    "no portal": ("#757575", "#ffffff"),
}


@dataclass(frozen=True, slots=True)
class RecordRef:
    title: str | None
    url: str | None
    key: str | None
    is_report: bool
    href: str | None = None


@dataclass(frozen=True, slots=True)
class Cell:
    status: str
    count: int | None = None
    anchor: str | None = None

    @property
    def css(self) -> str:
        return css_class(self.status)


@dataclass(frozen=True, slots=True)
class Row:
    label: str
    cells: Sequence[Cell]
    code: str | None = None
    kind: str = "row"  # "prefecture" or "total": a band of counts, a prefecture's or the region's


@dataclass
class Records:
    """The records behind the cells, by (row key, year), for the sections the cells link to."""

    by_cell: dict[tuple[str, int], list[RecordRef]] = field(default_factory=dict)

    def add(self, row: str, year: int, record: dict[str, Any]) -> None:
        source = record.get("source") or {}
        key = record_key(record) if record.get("report_id") else None  # an archived record always has one
        ref = RecordRef(record.get("title"), source.get("url"), key, bool(record.get("is_report")))
        self.by_cell.setdefault((row, year), []).append(ref)

    def anchor(self, row: str, year: int) -> str | None:
        return f"r-{_slug(row)}-{year}" if (row, year) in self.by_cell else None


def css_class(status: str) -> str:
    return "s-" + _slug(status)


def _slug(text: str) -> str:
    return re.sub(r"[^0-9A-Za-z\u4e00-\u9fff]+", "-", text).strip("-")


def render_page(title: str, first: str, years: Sequence[int], rows: Iterable[Row], records: Records,
                labels: Mapping[str, str], archive_dir: Path | None, note: str = "") -> str:
    """The page; ``labels`` names each records group's row, ``archive_dir`` (a local archive) links keys."""
    rows = list(rows)
    shown = {cell.status for row in rows for cell in row.cells}
    statuses = [{"name": name, "css": css_class(name), "background": bg, "foreground": fg}
                for name, (bg, fg) in PALETTE.items() if name in shown]
    groups = [{"anchor": records.anchor(row, year), "label": labels.get(row, row), "year": year,
               "records": [_linked(ref, archive_dir) for ref in refs]}
              for (row, year), refs in sorted(records.by_cell.items())]
    environment = Environment(loader=PackageLoader("crawler.export"), autoescape=select_autoescape(["html"]))
    return environment.get_template("coverage.html").render(
        title=title, first=first, years=years, rows=rows, statuses=statuses, groups=groups, note=note)


def _linked(ref: RecordRef, archive_dir: Path | None) -> RecordRef:
    if archive_dir is None or ref.key is None:
        return ref
    return RecordRef(ref.title, ref.url, ref.key, ref.is_report, (archive_dir / ref.key).resolve().as_uri())
