"""The portal registry: a TOML file naming every portal the crawler visits (see docs/REGISTRY.md).

Each ``[[portal]]`` table gives a name, a home URL, the admin-division code of its region, the domains
the crawl may enter, and optionally a CMS family and per-portal overrides. Errors name the file and
the line of the offending entry, so a registry of hundreds of portals stays easy to fix.

The shipped national registry (``national_registry``: every county-level division in use, named by its
code) is the base a user's file extends or overrides (``Registry.extended_by``).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from crawler.regions import DATA_DIR, NATIONAL_FILE, Region, divisions

FAMILIES = ("trs", "hanweb", "ucap", "gkmlpt", "querystring", "generic", "jslist")
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_REGION_CODE = re.compile(r"^\d{6}$")
_HOST = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")
_HEADER = re.compile(r"^\s*\[\[\s*portal\s*\]\]\s*(#.*)?$")
_REQUIRED = ("name", "home", "region_code")
# Per-portal overrides and the Scrapy setting each one sets for that portal's crawl only.
OVERRIDES: Mapping[str, tuple[type, str]] = {
    "obey_robots": (bool, "ROBOTSTXT_OBEY"),
    "concurrency": (int, "CONCURRENT_REQUESTS_PER_DOMAIN"),
    "download_delay": (float, "DOWNLOAD_DELAY"),
    "max_pages": (int, "CLOSESPIDER_PAGECOUNT"),
}
_KEYS = {*_REQUIRED, "family", "allowed_domains", "start_urls", *OVERRIDES}
NATIONAL = "national registry"


class RegistryError(Exception):
    """A registry that cannot be used; the message starts with ``file:line``."""


@dataclass(frozen=True)
class Portal:
    name: str
    home: str
    region_code: str | None
    allowed_domains: tuple[str, ...]
    family: str | None = None
    overrides: Mapping[str, Any] = field(default_factory=dict)
    line: int = 0
    start_urls: tuple[str, ...] = ()  # more start pages: another candidate home, an entry page, a 年报 column
    needs_check: bool = False  # the lists disagree on its home: ``portals check --live`` tells which answers

    def scrapy_settings(self) -> dict[str, Any]:
        """The Scrapy settings this portal's overrides set."""
        return {OVERRIDES[key][1]: value for key, value in self.overrides.items()}


@dataclass(frozen=True)
class Registry:
    source: str
    portals: tuple[Portal, ...]
    without_portal: tuple[str, ...] = ()  # region codes of divisions known to have no portal of their own

    def __iter__(self) -> Iterator[Portal]:
        return iter(self.portals)

    def __len__(self) -> int:
        return len(self.portals)

    def select(self, names: Sequence[str]) -> list[Portal]:
        """The named portals in registry order; all of them when ``names`` is empty."""
        known = {portal.name for portal in self.portals}
        if unknown := [name for name in names if name not in known]:
            raise RegistryError(f"{self.source}: no portal named {', '.join(map(repr, unknown))}")
        return [portal for portal in self.portals if not names or portal.name in names]

    def in_region(self, region: Region) -> list[Portal]:
        """The portals whose region (an old code counts as today's) lies in ``region``, in code order."""
        table = divisions()
        inside = [p for p in self.portals if any(region.covers(c) for c in table.current(p.region_code or ""))]
        return sorted(inside, key=lambda p: (p.region_code or "", p.name))

    def extended_by(self, other: Registry) -> Registry:
        """This registry with ``other``'s portals added: a portal of the same name, or of a region ``other``
        registers a portal for, is ``other``'s."""
        theirs = {portal.name for portal in other.portals}
        covered = {portal.region_code for portal in other.portals}
        kept = tuple(p for p in self.portals if p.name not in theirs and p.region_code not in covered)
        return Registry(f"{self.source} + {other.source}", kept + other.portals,
                        tuple(code for code in self.without_portal if code not in covered))


@cache
def national_registry(path: Path = DATA_DIR / NATIONAL_FILE) -> Registry:
    """The shipped registry: one portal per county-level division in use, named by its region code."""
    portals, without = [], []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines()[1:], 2):
        code, home, alternates, entry, domains, flags = line.split("\t")
        if not home:
            without.append(code)
            continue
        starts = tuple(u for u in (*alternates.split(";"), entry) if u)
        portals.append(Portal(name=code, home=home, region_code=code, allowed_domains=tuple(domains.split(";")),
                              line=number, start_urls=starts, needs_check="needs_check" in flags.split(";")))
    return Registry(NATIONAL, tuple(portals), tuple(without))


def load_registry(path: str | Path) -> Registry:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RegistryError(f"{path}: cannot read the registry: {getattr(exc, 'strerror', None) or exc}") from exc
    return parse_registry(text, str(path))


def parse_registry(text: str, source: str = "<registry>") -> Registry:
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = re.search(r"line (\d+)", str(exc))
        raise RegistryError(f"{source}:{line.group(1) if line else '?'}: invalid TOML: {exc}") from exc
    if set(document) - {"portal"}:
        raise RegistryError(f"{source}:1: unexpected top-level keys {sorted(set(document) - {'portal'})}: "
                            "each portal is a [[portal]] table")
    entries = document.get("portal", [])
    lines = _entry_lines(text)
    portals = [_portal(entry, f"{source}:{line}", line) for entry, line in zip(entries, lines, strict=True)]
    seen: dict[str, int] = {}
    for portal in portals:
        if portal.name in seen:
            raise RegistryError(f"{source}:{portal.line}: portal name {portal.name!r} already used on line "
                                f"{seen[portal.name]}")
        seen[portal.name] = portal.line
    return Registry(source, tuple(portals))


def portal_entry(portal: Portal) -> str:
    """The TOML text of one ``[[portal]]`` entry (``nianbao portals add``)."""
    lines = ["[[portal]]", f"name = {_toml(portal.name)}", f"home = {_toml(portal.home)}"]
    if portal.family:
        lines.append(f"family = {_toml(portal.family)}")
    lines.append(f"region_code = {_toml(portal.region_code)}")
    lines.append("allowed_domains = [" + ", ".join(_toml(d) for d in portal.allowed_domains) + "]")
    if portal.start_urls:
        lines.append("start_urls = [" + ", ".join(_toml(u) for u in portal.start_urls) + "]")
    lines.extend(f"{key} = {_toml(value)}" for key, value in portal.overrides.items())
    return "\n".join(lines) + "\n"


def add_portal(path: str | Path, portal: Portal) -> Registry:
    """Append ``portal`` to the registry file, refusing anything that would make the file invalid."""
    path = Path(path)
    before = path.read_text(encoding="utf-8") if path.exists() else ""
    separator = "" if not before or before.endswith("\n\n") else ("\n" if before.endswith("\n") else "\n\n")
    after = before + separator + portal_entry(portal)
    registry = parse_registry(after, str(path))
    path.write_text(after, encoding="utf-8")
    return registry


def new_portal(name: str, home: str, region_code: str, family: str | None = None,
               allowed_domains: Sequence[str] = ()) -> Portal:
    """A checked portal built from command-line values; the home host is allowed when none are given."""
    entry: dict[str, Any] = {"name": name, "home": home, "region_code": region_code}
    if family:
        entry["family"] = family
    if allowed_domains:
        entry["allowed_domains"] = list(allowed_domains)
    return _portal(entry, "<arguments>", 0)


def _entry_lines(text: str) -> list[int]:
    return [number for number, line in enumerate(text.splitlines(), 1) if _HEADER.match(line)]


def _portal(entry: Mapping[str, Any], where: str, line: int) -> Portal:
    label = f"{where}: portal {entry.get('name')!r}" if "name" in entry else f"{where}: portal"
    if unknown := sorted(set(entry) - _KEYS):
        raise RegistryError(f"{label}: unknown keys {unknown} (known: {sorted(_KEYS)})")
    if missing := [key for key in _REQUIRED if key not in entry]:
        raise RegistryError(f"{label}: missing {', '.join(missing)}")
    name, home, region_code = entry["name"], entry["home"], entry["region_code"]
    if not isinstance(name, str) or not _NAME.match(name):
        raise RegistryError(f"{label}: name must be lower-case letters, digits, '-' or '_' (up to 64)")
    host = urlsplit(home).hostname if isinstance(home, str) else None
    if not isinstance(home, str) or urlsplit(home).scheme not in ("http", "https") or not host:
        raise RegistryError(f"{label}: home {home!r} is not an http(s):// URL")
    if not isinstance(region_code, str) or not _REGION_CODE.match(region_code):
        raise RegistryError(f"{label}: region_code {region_code!r} must be a 6-digit admin-division code string")
    family = entry.get("family")
    if family is not None and family not in FAMILIES:
        raise RegistryError(f"{label}: family {family!r} is not one of {', '.join(FAMILIES)}")
    domains = entry.get("allowed_domains", [host])
    if not isinstance(domains, list) or not domains or not all(isinstance(d, str) and _HOST.match(d) for d in domains):
        raise RegistryError(f"{label}: allowed_domains must be a non-empty list of host names")
    if not _inside(host, domains):
        raise RegistryError(f"{label}: home host {host!r} is outside allowed_domains {domains}")
    starts = entry.get("start_urls", [])
    if not isinstance(starts, list) or not all(isinstance(u, str) and _inside(urlsplit(u).hostname, domains)
                                               and urlsplit(u).scheme in ("http", "https") for u in starts):
        raise RegistryError(f"{label}: start_urls must be a list of http(s):// URLs inside allowed_domains")
    overrides = {}
    for key, (kind, _) in OVERRIDES.items():
        if key in entry:
            value = entry[key]
            if kind is float and isinstance(value, int) and not isinstance(value, bool):
                value = float(value)
            if type(value) is not kind or (kind in (int, float) and value < 0):
                raise RegistryError(f"{label}: {key} must be a non-negative {kind.__name__}")
            overrides[key] = value
    return Portal(name=name, home=home, region_code=region_code, allowed_domains=tuple(domains),
                  family=family, overrides=overrides, line=line, start_urls=tuple(starts))


def _inside(host: str | None, domains: Sequence[str]) -> bool:
    return bool(host) and any(host == d or host.endswith("." + d) for d in domains)  # type: ignore[union-attr]


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    escaped = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'
