"""The Scrapy-free packages stay Scrapy-free: ``nianbao reparse``, ``verify`` and the exports must not load
Scrapy, and the core must not reach up into the crawl's components."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRAPY_FREE = ("crawler/core", "crawler/archive", "crawler/export", "storage")
FORBIDDEN = ("scrapy", "scrapy_playwright", "twisted", "pipelines", "spiders", "crawler.run", "crawler.engine",
             "crawler.extensions", "crawler.downloadermiddlewares", "crawler.spidermiddlewares")


def imported_modules(path: Path) -> set[str]:
    """Every module ``path`` imports, at any depth of its code (function-level imports included)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def breaches(path: Path) -> list[str]:
    return sorted(name for name in imported_modules(path)
                  if any(name == rule or name.startswith(rule + ".") for rule in FORBIDDEN))


@pytest.mark.parametrize("package", SCRAPY_FREE)
def test_scrapy_free_packages_import_no_crawl_components(package: str) -> None:
    modules = sorted((ROOT / package).rglob("*.py"))
    assert modules, f"{package} has no modules: the rule would check nothing"
    found = {str(path.relative_to(ROOT)): breaches(path) for path in modules}
    assert {path: names for path, names in found.items() if names} == {}


def test_the_rule_sees_function_level_imports(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("import json\n\ndef late():\n"
                      "    from pipelines.dedup import DedupPipeline\n    import scrapy.http\n")
    assert breaches(module) == ["pipelines.dedup", "scrapy.http"]
