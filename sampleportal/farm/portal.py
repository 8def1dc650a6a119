"""What the five family portals share: configuration, robots.txt, the manifest and entry lookups.

A family subclass says where things live (``article_path``, ``attachment_path``, ``old_path``) and
answers its own URLs in ``route``; this base turns its world into the ground-truth manifest.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from sampleportal.farm import pages
from sampleportal.farm.app import Reply, Request
from sampleportal.farm.world import Entry, World, report_format

PAGE_SIZE = 20
CENTRAL = ("government", "department")  # listed in a portal's main column; townships often elsewhere


@dataclass(frozen=True)
class PortalConfig:
    name: str
    host: str
    county: str  # the county whose government, departments and townships publish here
    seed: int = 7
    units: int = 6
    years: range = range(2008, 2025)
    seeds: tuple[str, ...] = ()  # sampleportal/seeds files this portal also publishes
    disallow: tuple[str, ...] = ()  # robots.txt Disallow paths
    options: Mapping[str, Any] = field(default_factory=dict)


def portal_seed(config: PortalConfig) -> int:
    """A seed of the portal's own, from the farm's seed and its host: two portals never share reports by chance."""
    return config.seed * 1000 + zlib.crc32(config.host.encode("utf-8")) % 1000


def with_footer(reply: Reply, html: str) -> Reply:
    """The page with ``html`` before ``</body>``, in the page's own charset."""
    content_type = dict(reply.headers).get("Content-Type", "")
    charset = content_type.partition("charset=")[2].strip() or "utf-8"
    codec = "gb18030" if charset.lower() in ("gbk", "gb2312") else charset
    return replace(reply, body=reply.body.replace(b"</body>", html.encode(codec) + b"</body>", 1))


def by_year(entries: Sequence[Entry]) -> dict[int, list[Entry]]:
    years: dict[int, list[Entry]] = {}
    for entry in entries:
        years.setdefault(entry.year, []).append(entry)
    return years


def paged(items: Sequence[Entry], page: int, size: int = PAGE_SIZE) -> tuple[Sequence[Entry], int]:
    """Entries of list page ``page`` (0-based) and the page count (at least 1)."""
    count = max(1, -(-len(items) // size))
    return items[page * size : (page + 1) * size], count


class FarmPortal:
    """Base of the family portals: a ``PortalApp`` over a generated ``World``."""

    family = ""
    multipage = False  # long reports split over article pages (TRS)
    default_page_size = PAGE_SIZE
    column = "政府信息公开年报"

    def __init__(self, config: PortalConfig) -> None:
        self.config = config
        self.host = config.host
        self.world = World(config.name, config.county, config.seed, config.units, config.years, config.seeds)
        self.main = [e for e in self.world.entries if e.unit.level in CENTRAL]
        self.local = [e for e in self.world.entries if e.unit.level not in CENTRAL]
        self.local_by_year = by_year(self.local)
        # Entries per list page; a farm entry's ``page_size`` makes long lists of few units (tests of paging).
        self.page_size = int(config.options.get("page_size", self.default_page_size))
        # Farm "today": the newest posting date; list pages are modified then.
        self.today = max((e.posted for e in self.world.entries), default=date(config.years.stop, 1, 1))

    # --- what a family defines -------------------------------------------------------------------
    def route(self, request: Request) -> Reply | None:
        raise NotImplementedError

    def article_path(self, entry: Entry, page: int = 0) -> str:
        raise NotImplementedError

    def attachment_path(self, entry: Entry) -> str:
        raise NotImplementedError

    def old_path(self, entry: Entry) -> str:
        """Where a moved entry used to live (lists still link there; it answers 301)."""
        raise NotImplementedError

    # --- shared --------------------------------------------------------------------------------
    def handle(self, request: Request) -> Reply:
        """The family's reply; with the options ``home_redirect`` ("/" answers 301 to that path) and
        ``site_id`` (the home page's footer prints it as 网站标识码), what ``portals check --live`` meets."""
        if request.path == "/robots.txt":
            return pages.robots(*self.config.disallow)
        options = self.config.options
        if request.path == "/" and options.get("home_redirect"):
            return pages.moved(self.url(options["home_redirect"]))
        reply = self.route(request) or pages.not_found()
        homes = ("/", "/index.html", "/index.shtml", options.get("home_redirect"))
        if options.get("site_id") and request.path in homes:
            reply = with_footer(reply, f'<div class="footer">网站标识码：{options["site_id"]}</div>')
        return reply

    def url(self, path: str) -> str:
        return f"http://{self.host}{path}"

    def listed_path(self, entry: Entry) -> str:
        """The link a list shows for an entry (the old URL of a moved one)."""
        return self.old_path(entry) if entry.moved else self.article_path(entry)

    def report_path(self, entry: Entry) -> str:
        return self.article_path(entry) if entry.kind == "html" else self.attachment_path(entry)

    def entry_reply(self, entry: Entry, page: int, render) -> Reply:
        """An article by role: broken links answer as such, the rest through the family's ``render``."""
        if entry.role == "deleted":
            return pages.deleted_page()
        if entry.role == "soft404":
            return pages.soft_404()
        return render(entry, page)

    def manifest(self) -> Iterator[dict[str, Any]]:
        for entry in self.world.entries:
            if not entry.is_report:
                continue
            item: dict[str, Any] = {
                "url": self.url(self.report_path(entry)), "portal": self.config.name, "unit": entry.unit.name,
                "level": entry.unit.level, "year": entry.year, "title": entry.title,
                "format": "seed" if entry.role == "seed" else report_format(entry.year), "kind": entry.kind,
                "family": self.family, "posted": entry.posted.isoformat(),
            }
            if entry.kind != "html":
                item["page_url"] = self.url(self.article_path(entry))
            if self.multipage and entry.pages > 1:
                item["parts"] = [self.url(self.article_path(entry, p)) for p in range(1, entry.pages)]
            if entry.moved:
                item["moved_from"] = self.url(self.old_path(entry))
            if entry.role == "seed":
                item["seed"] = entry.variant
            else:
                item["stats"] = self.world.report(entry).stats
            yield item

    def lookalikes(self) -> Iterator[str]:
        """URLs of pages that look like reports but are not (look-alikes, deleted and missing pages)."""
        for entry in self.world.entries:
            if not entry.is_report:
                yield self.url(self.article_path(entry))
