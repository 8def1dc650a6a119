"""The farm's own registry (``farm.toml``): which ``PortalApp``s to build, and the crawler registry for them.

Each ``[[portal]]`` names a ``name``, ``host``, ``app`` ("module:callable", called with a
``PortalConfig``), and optionally ``family``, ``county``, ``region_code``, ``seeds``, ``disallow``,
``faults`` (a table of ``Faults`` fields for this portal); any other key goes into
``PortalConfig.options`` for the app to read. Portals built elsewhere join the
farm by adding an entry whose ``app`` builds them.
"""

from __future__ import annotations

import importlib
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from crawler.registry import Portal, portal_entry
from sampleportal.farm.app import PortalApp
from sampleportal.farm.faults import FaultPlan, Faults
from sampleportal.farm.portal import PortalConfig

DEFAULT_FARM = Path(__file__).with_name("farm.toml")
_CONFIG_KEYS = {"name", "host", "county", "seeds", "disallow"}
_REGISTRY_ONLY = {"app", "family", "region_code", "faults", "browser"}


def load_entries(path: Path = DEFAULT_FARM, *, browser: bool = True) -> list[dict[str, Any]]:
    """The farm file's portals; without ``browser``, not those only a real browser gets through."""
    entries = tomllib.loads(path.read_text(encoding="utf-8"))["portal"]
    return [entry for entry in entries if browser or not entry.get("browser")]


def regional_entries(codes: Sequence[str]) -> list[dict[str, Any]]:
    """Farm portals registered under real county codes (``crawler/data/divisions.tsv``): one per code,
    the HTTP family portals of ``farm.toml`` in turn, named by the code (so each replaces that county's
    national registry entry) at ``www.c{code}.gov.test``, publishing for the county's real name."""
    from crawler.regions import divisions

    templates = [{k: v for k, v in e.items() if k != "seeds"} for e in load_entries(browser=False)]
    return [{**templates[n % len(templates)], "name": code, "host": f"www.c{code}.gov.test",
             "county": divisions().in_use[code].name, "region_code": code} for n, code in enumerate(codes)]


def build_apps(entries: Sequence[dict[str, Any]], seed: int, units: int, years: range) -> list[PortalApp]:
    apps = []
    for entry in entries:
        module, _, name = entry["app"].partition(":")
        factory = getattr(importlib.import_module(module), name)
        options = {k: v for k, v in entry.items() if k not in _CONFIG_KEYS | _REGISTRY_ONLY}
        config = PortalConfig(name=entry["name"], host=entry["host"], county=entry.get("county", "样例县"),
                              seed=seed, units=units, years=years, seeds=tuple(entry.get("seeds", ())),
                              disallow=tuple(entry.get("disallow", ())), options=options)
        apps.append(factory(config))
    return apps


def fault_plan(entries: Sequence[dict[str, Any]], default: Faults) -> FaultPlan:
    """``default`` faults on every portal, replaced by an entry's own ``faults`` table where it has one."""
    per_host = {e["host"]: Faults(**{"seed": default.seed, **e["faults"]}) for e in entries if "faults" in e}
    return FaultPlan(default, per_host)


def crawler_registry(entries: Sequence[dict[str, Any]], overrides: Mapping[str, Any] | None = None) -> str:
    """The ``nianbao`` portal registry (docs/REGISTRY.md) that crawls these portals, each with ``overrides``
    (e.g. ``max_pages``)."""
    header = "# The farm's portals as a nianbao registry: written by python -m sampleportal.farm --registry-out\n\n"
    return header + "\n".join(
        portal_entry(Portal(name=e["name"], home=f"http://{e['host']}/", region_code=e.get("region_code", "999999"),
                            allowed_domains=(e["host"],), family=e.get("family"), overrides=dict(overrides or {})))
        for e in entries)
