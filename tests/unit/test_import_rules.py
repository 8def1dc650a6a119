"""The Scrapy-free packages stay Scrapy-free: ``nianbao reparse``, ``verify`` and the exports must not load
Scrapy, and the core must not reach up into the crawl's components. No module imports itself back through
others (a cycle), not even from inside a function."""

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


PACKAGES = ("crawler", "spiders", "pipelines", "storage")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def project_imports() -> dict[str, set[str]]:
    """Each project module → the project modules it imports (``from a import b`` counts ``a.b`` when that is one)."""
    paths = {module_name(path): path for package in PACKAGES for path in (ROOT / package).rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in paths.items():
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found |= {node.module, *(f"{node.module}.{alias.name}" for alias in node.names)}
            elif isinstance(node, ast.Import):
                found |= {alias.name for alias in node.names}
        graph[name] = {module for module in found if module in paths and module != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for imported in graph[module]:
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            group = []
            while (member := stack.pop()) != module:
                group.append(member)
            if group:
                found.append(sorted([module, *group]))

    for module in graph:
        if module not in index:
            visit(module)
    return found


def test_no_module_imports_itself_back() -> None:
    graph = project_imports()
    assert len(graph) > 100 and cycles(graph) == []


def test_a_cycle_is_found() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


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
