"""docs/FORMATS.md consistency checks over a stats dict; results are recorded, the data is never repaired.

Each check is ``{name, scope, expected, actual, ok}``: ``expected`` is the total as computed from
its parts, ``actual`` the total as printed. A check whose inputs are missing or null is not run.
"""

from __future__ import annotations

from collections.abc import Iterable

from crawler.core.stattables import APPLICANT_COLUMNS, REVIEW_COLUMNS, REVIEW_GROUPS, SUBTOTAL

Stats = dict[str, int | float | str | None]
COLUMNS = (*APPLICANT_COLUMNS, SUBTOTAL, "总计")
DONE = "本年度办理结果"


def run_checks(stats: Stats) -> list[dict]:
    checks: list[dict] = []
    leaves = _outcome_leaves(stats)
    for col in COLUMNS:
        _add(checks, "表三 一+二=七+四", col,
             [f"本年新收政府信息公开申请数量/{col}", f"上年结转政府信息公开申请数量/{col}",
              f"结转下年度继续办理/{col}"], f"{DONE}/总计/{col}", stats, signs=(1, 1, -1))
        if leaves:
            _add(checks, "表三 七=一至六之和", col, [f"{leaf}/{col}" for leaf in leaves], f"{DONE}/总计/{col}", stats)
    for row in sorted({key.rsplit("/", 1)[0] for key in stats if key.endswith("/总计")}):
        if f"{row}/自然人" in stats:
            _add(checks, "表三 总计=各申请人之和", row, [f"{row}/{c}" for c in APPLICANT_COLUMNS], f"{row}/总计", stats)
    for group in REVIEW_GROUPS:
        _add(checks, "表四 总计=四项之和", group, [f"{group}/{c}" for c in REVIEW_COLUMNS[:4]], f"{group}/总计", stats)
    return checks


def cross_year_checks(stats: Stats, previous: Stats) -> list[dict]:
    """Check 5: this year's record against the same agency's previous-year record."""
    checks: list[dict] = []
    for col in COLUMNS:
        _compare(checks, "跨年 上年结转=上年结转下年", col, previous.get(f"结转下年度继续办理/{col}"),
                 stats.get(f"上年结转政府信息公开申请数量/{col}"))
    for row in ("规章", "行政规范性文件"):
        before, made, repealed = (previous.get(f"{row}/现行有效件数"), stats.get(f"{row}/本年制发件数"),
                                  stats.get(f"{row}/本年废止件数"))
        if all(isinstance(v, int | float) for v in (before, made, repealed)):
            _compare(checks, "跨年 现行有效件数", row, before + made - repealed, stats.get(f"{row}/现行有效件数"))
    return checks


def _outcome_leaves(stats: Stats) -> list[str]:
    rows = {key.rsplit("/", 1)[0] for key in stats if key.startswith(DONE + "/")} - {f"{DONE}/总计"}
    return sorted(r for r in rows if not any(other.startswith(r + "/") for other in rows))


def _add(checks: list[dict], name: str, scope: str, parts: Iterable[str], total: str, stats: Stats,
         signs: tuple[int, ...] | None = None) -> None:
    parts = list(parts)
    values = [stats.get(p) for p in parts]
    if total not in stats or not all(isinstance(v, int | float) for v in values):
        return
    signs = signs or (1,) * len(values)
    _compare(checks, name, scope, sum(s * v for s, v in zip(signs, values, strict=True)), stats[total])


def _compare(checks: list[dict], name: str, scope: str, expected, actual) -> None:
    if isinstance(expected, int | float) and isinstance(actual, int | float):
        ok = abs(expected - actual) < 1e-9
        checks.append({"name": name, "scope": scope, "expected": expected, "actual": actual, "ok": ok})
