"""Build the shipped national registry from the public lists (``python -m crawler.registrygen DATA_DIR``).

Input: ``division-codes.csv`` (GB/T 2260 codes 1981–2024 with successors) and ``county-portals.csv``
(one row per county-level division in use, with candidate home URLs from two lists); see
docs/REGISTRY.md "The national registry" for what each is and the order of candidate URLs. Output, in
``crawler/data/``: ``divisions.tsv`` (every code, in use or not, with its successors) and
``national.tsv`` (one line per county-level division in use: home URL, other candidates, the entry
page, allowed domains, flags). Rerun it on newer lists; the output is sorted and byte-stable.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from crawler.regions import DATA_DIR, DIVISIONS_FILE, NATIONAL_FILE

# Changes after the code list's last year, as its README states them: (code, name, level, status, first
# year, changed year, successors). 两江新区 took over 江北区 and 渝北区 in 2025.
LATER_CHANGES: tuple[tuple[str, ...], ...] = (
    ("500105", "江北区", "3", "r", "1997", "2025", "500157"),
    ("500112", "渝北区", "3", "r", "1997", "2025", "500157"),
    ("500157", "两江新区", "3", "u", "2025", "", ""),
)
_LEVELS = {"省级": "1", "地级": "2", "县级": "3"}
_STATUS = {"在用": "u", "变更": "c", "弃用": "r"}
DIVISION_COLUMNS = ("code", "name", "level", "status", "first", "changed", "successors")
NATIONAL_COLUMNS = ("code", "home", "alternates", "entry", "domains", "flags")


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def division_rows(rows: Iterable[Mapping[str, str]]) -> list[tuple[str, ...]]:
    """Every code row, levels and states as one letter; successors without their partial-transfer years
    (``130108[2001]`` marks a part moved in 2001, not a successor)."""
    later = {row[0] for row in LATER_CHANGES}
    made = []
    for row in rows:
        if row["代码"] in later:
            continue
        successors = [s for s in row["新代码"].split(";") if s and "[" not in s]
        made.append((row["代码"], row["名称"], _LEVELS[row["级别"]], _STATUS[row["状态"]], row["启用时间"],
                     row["变更/弃用时间"], ";".join(successors)))
    made.extend(LATER_CHANGES)
    return sorted(made, key=lambda r: (r[0], r[3] != "u", r[4]))


def clean_url(url: str) -> str | None:
    """The URL with a lower-case host and a path ('/' for a bare host), or None when it is not one."""
    url = url.strip()
    if not url:
        return None
    if "://" not in url:
        url = "http://" + url
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or " " in url:
        return None
    return urlunsplit((parts.scheme, parts.netloc.lower(), parts.path or "/", parts.query, ""))


def site_domain(host: str) -> str:
    """The domain a portal's crawl may enter: its host without a leading ``www.`` (subdomains allowed)."""
    return host[4:] if host.startswith("www.") and host.count(".") >= 3 else host


def candidates(laosheng: str | None, cpd: str | None) -> tuple[str | None, list[str], bool]:
    """(home, other candidates, needs_check). Same host in both lists: the https one, else the checked
    list's (cpd); different hosts: cpd first, then laosheng, marked needs_check; one list: its URL."""
    if laosheng and cpd:
        if urlsplit(laosheng).hostname == urlsplit(cpd).hostname:
            https = [u for u in (cpd, laosheng) if u.startswith("https:")]
            return (https or [cpd])[0], [], False
        return cpd, [laosheng], True
    home = cpd or laosheng
    return home, [], False


def national_rows(rows: Iterable[Mapping[str, str]]) -> Iterator[tuple[str, ...]]:
    for row in rows:
        home, others, needs_check = candidates(clean_url(row["url_laosheng"]), clean_url(row["url_cpd"]))
        if home is None:
            yield row["region_code"], "", "", "", "", "no_portal"
            continue
        domains = list(dict.fromkeys(site_domain(urlsplit(u).hostname or "") for u in (home, *others)))
        entry = clean_url(row["policy_entry_cpd"]) or ""
        flags = ["needs_check"] if needs_check else []
        if entry and not _inside(urlsplit(entry).hostname or "", domains):
            flags.append("entry_elsewhere")  # e.g. the prefecture's site: not a start page of this portal
            entry = ""
        yield row["region_code"], home, ";".join(others), entry, ";".join(domains), ";".join(flags)


def _inside(host: str, domains: Iterable[str]) -> bool:
    return any(host == d or host.endswith("." + d) for d in domains)


def write_tsv(path: Path, columns: tuple[str, ...], rows: Iterable[tuple[str, ...]]) -> int:
    lines = ["\t".join(columns)] + ["\t".join(row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines) - 1


def build(data: Path, out: Path = DATA_DIR) -> tuple[int, int]:
    """Write both files from the lists in ``data``; (divisions, portals) written."""
    out.mkdir(parents=True, exist_ok=True)
    divisions = write_tsv(out / DIVISIONS_FILE, DIVISION_COLUMNS, division_rows(read_csv(data / "division-codes.csv")))
    portals = sorted(national_rows(read_csv(data / "county-portals.csv")))
    return divisions, write_tsv(out / NATIONAL_FILE, NATIONAL_COLUMNS, portals)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler.registrygen", description=__doc__.split("\n")[0])
    parser.add_argument("data", type=Path, help="directory holding division-codes.csv and county-portals.csv")
    parser.add_argument("--out", type=Path, default=DATA_DIR, help=f"output directory (default {DATA_DIR})")
    args = parser.parse_args(argv)
    try:
        divisions, portals = build(args.data, args.out)
    except (OSError, KeyError) as exc:
        print(f"error: cannot build the registry from {args.data}: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {divisions} division codes and {portals} county-level portals to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
