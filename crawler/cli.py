"""The ``nianbao`` command: crawl a portal, run the demo, parse one document."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from crawler.core.documents import UnreadableDocument
from crawler.core.record import Fetched, build_record
from crawler.regions import RegionError, divisions
from crawler.registry import (
    FAMILIES,
    Portal,
    Registry,
    RegistryError,
    add_portal,
    load_registry,
    national_registry,
    new_portal,
)
from storage import StorageError, open_storage

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2
DEFAULT_REGISTRY = "portals.toml"
DEMO_S3_DIR = ".seaweed"


class UsageError(Exception):
    """Bad input from the user: printed as one line, exit status 2."""


def check_start_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"invalid start URL {url!r}: expected http(s)://host/...")
    return url


def adhoc_portal(start_url: str, name: str | None) -> Portal:
    """A portal given on the command line by its home URL alone (no registry entry)."""
    host = urlsplit(check_start_url(start_url)).hostname or ""
    return Portal(name=name or host, home=start_url, region_code=None, allowed_domains=(host,))


def proxy_settings(proxy: str | None) -> dict[str, str]:
    return {"NIANBAO_PROXY": check_start_url(proxy)} if proxy else {}


def run_settings(args: argparse.Namespace) -> dict[str, Any]:
    """Settings from the options ``crawl`` and ``backfill`` share: proxy, per-run limits, contact, progress."""
    settings: dict[str, Any] = {**proxy_settings(args.proxy), "NIANBAO_PROGRESS": sys.stdout.isatty()}
    if args.max_pages:
        settings["CLOSESPIDER_PAGECOUNT"] = args.max_pages
    if args.timeout:
        settings["CLOSESPIDER_TIMEOUT"] = args.timeout
    if args.contact:
        settings["NIANBAO_CONTACT"] = args.contact
    for assignment in args.set:
        name, equals, value = assignment.partition("=")
        if not equals or not name:
            raise UsageError(f"invalid --set {assignment!r}: expected NAME=VALUE, e.g. NIANBAO_WARC=false")
        settings[name] = value
    return settings


def active_registry(path: str | None) -> tuple[Registry, Registry | None]:
    """The national registry extended by the user's file (``--registry``, else ./portals.toml when it
    exists), and that file's registry alone."""
    if path is None and not Path(DEFAULT_REGISTRY).exists():
        return national_registry(), None
    own = load_registry(path or DEFAULT_REGISTRY)
    return national_registry().extended_by(own), own


def region_portals(registry: Registry, regions: list[str]) -> list[Portal]:
    """The registry's portals inside any of ``regions`` (codes or names), in region-code order."""
    chosen: dict[str, Portal] = {}
    for text in regions:
        for portal in registry.in_region(divisions().region(text)):
            chosen.setdefault(portal.name, portal)
    return list(chosen.values())


def selected_portals(args: argparse.Namespace) -> list[Portal]:
    """The portals of --region and --portal; without either, the user's registry file's; or the one
    portal of a start URL."""
    if args.start_url and (args.registry or args.region):
        raise UsageError("give either a start URL or --registry/--region, not both")
    if args.start_url:
        if len(args.portal) > 1:
            raise UsageError("a start URL crawls one portal: give at most one --portal name")
        return [adhoc_portal(args.start_url, args.portal[0] if args.portal else None)]
    registry, own = active_registry(args.registry)
    if not args.region and not args.portal:
        if own is None:
            raise UsageError(f"nothing to crawl: give --region CODE|NAME, --portal NAME, --registry FILE "
                             f"(or a {DEFAULT_REGISTRY} here) or a start URL")
        return list(own)
    chosen = region_portals(registry, args.region) + (registry.select(args.portal) if args.portal else [])
    portals = list({portal.name: portal for portal in chosen}.values())
    if not portals:
        raise UsageError(f"no portal in region {', '.join(args.region)}")
    return portals


def run_crawl(
    start_url: str, archive: str, portal: str | None, log_level: str, extra: dict[str, str] | None = None
) -> dict[str, Any]:
    """Crawl one portal into ``archive``; return the run report."""
    from crawler.runner import run_portals

    return run_portals([adhoc_portal(start_url, portal)], archive, log_level=log_level, extra_settings=extra or {})


def format_summary(report: dict[str, Any]) -> str:
    counts = report["counts"]
    lines = [
        f"crawl {report['crawl_id']} of {report['start_url'] or str(len(report['portals'])) + ' portals'}",
        f"  pages fetched        {counts['pages_fetched']}",
        f"  browser pages        {counts['browser_pages']}",
        f"  reports found        {counts['reports_found']}",
        f"  look-alikes recorded {counts['lookalikes_recorded']}",
        f"  new records          {counts['records_new']} (already archived: {counts['records_known']})",
        f"  duplicates merged    {counts['duplicates_merged']}",
        f"  errors               {counts['errors']}",
        f"  unchanged            {counts['unchanged']} documents ({counts['not_modified']} answers 304 Not Modified)",
        f"  archive              {report['archive']}",
    ]
    spool = report.get("spool") or {}
    if spool.get("uploaded_from_earlier_runs"):
        lines.append(f"  uploaded {spool['uploaded_from_earlier_runs']} writes an earlier run kept in {spool['dir']}")
    if spool.get("archive_error"):
        lines.append(f"  archive unavailable: {spool['pending']} writes kept in {spool['dir']};"
                     f" the next run uploads them ({spool['archive_error']})")
    if counts["objects_written"] + counts["objects_spooled"] == 0:
        lines.append("  nothing new archived: the archive already holds everything this crawl found")
    else:
        lines.append(f"  objects written      {counts['objects_written']}")
    lines.append("  per portal: pages / new records / unchanged / look-alikes / errors / KiB received / seconds")
    lines.extend(_portal_line(p) for p in report["portals"])
    return "\n".join(lines)


def _portal_line(portal: dict[str, Any]) -> str:
    counts = portal["counts"]
    kinds = ", ".join(f"{kind} {n}" for kind, n in portal["errors_by_kind"].items())
    return (f"    {portal['portal']:<24} {counts['pages_fetched']:>6} {counts['records_new']:>5}"
            f" {counts['unchanged']:>5} {counts['lookalikes_recorded']:>5} {counts['errors']:>4}"
            f" {counts['bytes_received'] / 1024:>8.0f} {portal['duration_s'] or 0:>7.1f}"
            + (f"  start failed: {portal['start_error']}" if portal["start_error"] else "")
            + (f"  [{kinds}]" if kinds else ""))


def _exit_status(report: dict[str, Any]) -> int:
    """0 all good, 1 a portal failed or logged errors, 2 the one start URL given could not be reached."""
    if len(report["portals"]) == 1 and report.get("start_error"):
        print(f"error: cannot reach start URL {report['start_url']}: {report['start_error']}", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_ERRORS if report["portals_failed"] else EXIT_OK


def cmd_crawl(args: argparse.Namespace) -> int:
    from crawler.runner import run_portals

    report = run_portals(with_checks(selected_portals(args), args.archive), args.archive, log_level=args.log_level,
                         extra_settings=run_settings(args))
    print(format_summary(report))
    return _exit_status(report)


def cmd_backfill(args: argparse.Namespace) -> int:
    from crawler.backfill import run_backfill

    years = _year_range(args.years)
    report = run_backfill(with_checks(selected_portals(args), args.archive), args.archive, years, Path(args.state_dir),
                          log_level=args.log_level, extra_settings=run_settings(args))
    print(format_summary(report))
    return _exit_status(report)


def cmd_portals_list(args: argparse.Namespace) -> int:
    """One line per portal: name, family, region code, province/prefecture/county, home URL, flags; then
    one line per division of the selection that has no portal."""
    registry, _ = active_registry(args.registry)
    portals = region_portals(registry, args.region) if args.region else list(registry)
    regions = [divisions().region(text) for text in args.region]
    table = divisions()
    for portal in portals:
        flags = ["needs_check"] if portal.needs_check else []
        print("\t".join([portal.name, portal.family or "-", portal.region_code or "-",
                         _place(portal.region_code), portal.home, ",".join(flags) or "-"]))
    without = [code for code in registry.without_portal if not regions or any(r.covers(code) for r in regions)]
    for code in without:
        print("\t".join([code, "-", code, _place(code), "(no portal)", "no_portal"]))
    where = f" in {', '.join(args.region)}" if args.region else ""
    print(f"{len(portals)} portals{where} from {registry.source}; {len(without)} divisions without a portal;"
          f" {len(table.counties())} county-level divisions in use", file=sys.stderr)
    return EXIT_OK


def _place(code: str | None) -> str:
    place = divisions().place(code)
    return f"{place.province}/{place.prefecture}/{place.county}" if place else "-"


def cmd_portals_check(args: argparse.Namespace) -> int:
    if args.live:
        return live_check(args)
    registry = load_registry(args.registry or DEFAULT_REGISTRY)
    print(f"{registry.source}: {len(registry)} portals, all valid")
    return EXIT_OK


def live_check(args: argparse.Namespace) -> int:
    """``portals check --live``: one line per portal (name, outcome, status, final URL, family, 网站标识码,
    its flag); exit 1 when a portal gave no usable answer."""
    from collections import Counter

    from crawler.livecheck import check_line, run_checks
    from crawler.settings import USER_AGENT
    from crawler.useragent import contact_user_agent

    registry, _ = active_registry(args.registry)
    portals = region_portals(registry, args.region) if args.region else list(registry)
    storage = open_storage(args.archive)
    storage.check_writable()
    checks = run_checks(portals, storage, proxy=proxy_settings(args.proxy).get("NIANBAO_PROXY"),
                        concurrency=args.concurrency, timeout=args.timeout,
                        user_agent=contact_user_agent(USER_AGENT, args.contact or ""))
    for check in checks:
        print(check_line(check))
    outcomes = Counter(check.outcome for check in checks)
    flagged = sum(1 for check in checks if check.site_id_flag)
    print(f"checked {len(checks)} portals: " + ", ".join(f"{n} {o}" for o, n in sorted(outcomes.items()))
          + f"; {flagged} 网站标识码 of another region; results in {storage.location}/state/checks/", file=sys.stderr)
    return EXIT_ERRORS if outcomes["error"] or outcomes["unreachable"] else EXIT_OK


def with_checks(portals: list[Portal], archive: str) -> list[Portal]:
    """The portals with what ``portals check --live`` last found for them in ``archive`` (moved homes, families)."""
    from crawler.livecheck import checked_portals

    return checked_portals(portals, open_storage(archive))


def cmd_portals_add(args: argparse.Namespace) -> int:
    portal = new_portal(args.name, args.home, args.region_code, args.family, args.allowed_domain)
    registry = add_portal(args.registry, portal)
    print(f"added {portal.name} to {registry.source} ({len(registry)} portals)")
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    if args.archive != "s3":
        return demo_crawl(args.archive, args.log_level)
    from storage.seaweed import SeaweedS3

    with SeaweedS3(bucket="nianbao", data_dir=DEMO_S3_DIR) as s3:
        os.environ.update(s3.env)
        print(f"SeaweedFS S3 at {s3.endpoint} (data in {DEMO_S3_DIR}/)", flush=True)
        return demo_crawl("s3://nianbao/demo", args.log_level)


def demo_crawl(archive: str, log_level: str) -> int:
    from sampleportal.server import SamplePortal

    open_storage(archive).check_writable()
    with SamplePortal() as portal:
        print(f"sample portal {portal.home_url} serving at {portal.url}", flush=True)
        report = run_crawl(portal.home_url, archive, "sample-trs", log_level, proxy_settings(portal.url))
    print(format_summary(report))
    return _exit_status(report)


def fetch_url(url: str, timeout: float = 30.0) -> Fetched:
    """GET one document with urllib (``nianbao parse URL``)."""
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=timeout) as reply:
            return Fetched(body=reply.read(), url=url, final_url=reply.url, status=reply.status,
                           content_type=reply.headers.get("Content-Type"))
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise UsageError(f"cannot fetch {url}: {getattr(exc, 'reason', None) or exc}") from exc


def cmd_parse(args: argparse.Namespace) -> int:
    if urlsplit(args.file).scheme in ("http", "https"):
        fetched = fetch_url(args.file)
    else:
        path = Path(args.file)
        try:
            body = path.read_bytes()
        except OSError as exc:
            raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from exc
        fetched = Fetched(body=body, url=args.url or path.absolute().as_uri())
    try:
        record = build_record(fetched)
    except UnreadableDocument as exc:
        raise UsageError(f"cannot parse {args.file}: {exc}") from exc
    print(json.dumps(record, ensure_ascii=False, indent=2 if args.json else None))
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from crawler.export.exporter import export

    storage = open_storage(args.archive)
    if next(iter(storage.keys("reports/")), None) is None:
        raise UsageError(f"no report records in archive {storage.location}: crawl first (nianbao crawl / demo)")
    result = export(storage, Path(args.out), args.format, bom=args.bom, since_last=args.since_last)
    print(f"exported {result.reports} reports, {result.stats} stats, {result.checks} checks to {args.out}")
    if args.since_last:
        where = f" in {result.changes_dir}" if result.changes_dir else ""
        print(f"{result.changed} records new or changed since the last export{where}")
    return EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    from crawler.verify import Tally, verify

    storage = open_storage(args.archive)
    tally = Tally()
    for problem in verify(storage, tally):
        print(problem)
    print(f"verified {tally.objects} objects in {storage.location}: {tally.problems} problems",
          file=sys.stderr if tally.problems else sys.stdout)
    return EXIT_ERRORS if tally.problems else EXIT_OK


def cmd_reparse(args: argparse.Namespace) -> int:
    from crawler.reparse import reparse

    storage = open_storage(args.archive)
    storage.check_writable()
    result = reparse(storage, cross_year=not args.no_cross_year)
    for failure in result.failed:
        print(f"cannot reparse {failure}", file=sys.stderr)
    print(f"reparsed {result.records} records in {storage.location}: {result.unchanged} unchanged, "
          f"{result.rewritten} rewritten, {result.moved} moved to a new key, {result.merged} merged, "
          f"{len(result.failed)} failed (earlier versions kept under history/)")
    return EXIT_ERRORS if result.failed else EXIT_OK


def cmd_index(args: argparse.Namespace) -> int:
    from crawler.archiveindex import INDEX_KEY, ReportIndex

    storage = open_storage(args.archive)
    index = ReportIndex.rebuild(storage) if args.rebuild else ReportIndex.load(storage)
    index.save(storage)
    reports = sum(1 for entry in index.entries.values() if entry.is_report)
    print(f"{storage.location}/{INDEX_KEY}: {len(index)} records "
          f"({reports} reports, {len(index) - reports} look-alikes)")
    return EXIT_OK


def _year_range(text: str) -> tuple[int, int]:
    from pipelines.years import parse_years

    try:
        return parse_years(text)
    except ValueError as exc:
        raise UsageError(f"invalid --years {text!r}: expected e.g. 2008-2024") from exc


def cmd_coverage(args: argparse.Namespace) -> int:
    from crawler.export.coverage import coverage_of, write_coverage

    first, last = _year_range(args.years)
    if args.region:
        return region_coverage(args, range(first, last + 1))
    coverage = coverage_of(open_storage(args.archive), first, last)
    if not coverage.portals:
        raise UsageError(f"no report records in archive {args.archive}: crawl first (nianbao crawl / demo)")
    paths = write_coverage(coverage, Path(args.out))
    gaps = coverage.gaps()
    print(f"{len(coverage.portals)} portals × {len(coverage.years)} years; {len(gaps)} gaps")
    for gap in gaps[: args.show_gaps]:
        print(f"  {gap['portal']} {gap['year']}: {gap['status']}")
    print("wrote " + ", ".join(str(p) for p in paths))
    return EXIT_OK


def region_coverage(args: argparse.Namespace, years: range) -> int:
    from crawler.export.archive_reader import iter_records
    from crawler.export.regioncoverage import region_coverage, summary_lines, write_region_coverage

    region = divisions().region(args.region)
    registry, _ = active_registry(args.registry)
    records = (record for _, _, record in iter_records(open_storage(args.archive)))
    coverage = region_coverage(records, region, years, registry.without_portal)
    paths = write_region_coverage(coverage, Path(args.out))
    print("\n".join(summary_lines(coverage)))
    print("wrote " + ", ".join(str(p) for p in paths))
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="nianbao", description="Archive of 政府信息公开工作年度报告.")
    parser.add_argument("--log-level", default="WARNING", help="Scrapy log level (default WARNING)")
    commands = parser.add_subparsers(dest="command", required=True)

    crawl = commands.add_parser("crawl", help="crawl the registry's portals (incremental), or one portal from its URL")
    backfill = commands.add_parser("backfill", help="walk every list page for the reports of given years (resumable)")
    for sub in (crawl, backfill):
        sub.add_argument("start_url", nargs="?", help="a home URL to crawl without a registry entry")
        sub.add_argument("--registry", help=f"portal registry TOML (default {DEFAULT_REGISTRY})")
        sub.add_argument("--archive", default="archive", help="archive directory (default ./archive)")
        sub.add_argument("--portal", action="append", default=[], metavar="NAME",
                         help="registry portals to crawl (repeatable; default all); with a start URL, its name")
        sub.add_argument("--region", action="append", default=[], metavar="CODE|NAME",
                         help="every portal of a province, prefecture or county: 33, 3301, 330106, 浙江省, 杭州市")
        sub.add_argument("--proxy", help="http:// proxy for every request (e.g. a sample portal's address)")
        sub.add_argument("--max-pages", type=int, help="stop each portal after this many responses")
        sub.add_argument("--timeout", type=float, help="stop each portal after this many seconds")
        sub.add_argument("--contact", help="mail or URL appended to the User-Agent (NIANBAO_CONTACT)")
        sub.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE",
                         help="any Scrapy or NIANBAO_* setting for this run (repeatable)")
    crawl.set_defaults(run=cmd_crawl)
    backfill.add_argument("--years", required=True, help="reporting years to keep, e.g. 2008-2024")
    backfill.add_argument("--state-dir", default=".nianbao", help="where job queues live (default ./.nianbao)")
    backfill.set_defaults(run=cmd_backfill)

    demo = commands.add_parser("demo", help="start the bundled sample portal and crawl it")
    demo.add_argument("--archive", default="archive",
                      help=f"archive directory (default ./archive), or s3: a local SeaweedFS, data in {DEMO_S3_DIR}/")
    demo.set_defaults(run=cmd_demo)

    parse = commands.add_parser("parse", help="print the report record of one local file or http(s) URL")
    parse.add_argument("file", help="HTML, TXT, PDF, DOC/WPS, DOCX, XLS or XLSX file, or an http(s) URL")
    parse.add_argument("--json", action="store_true", help="pretty-print the record")
    parse.add_argument("--url", help="URL to record as the document's source")
    parse.set_defaults(run=cmd_parse)

    export = commands.add_parser("export", help="write the reports, stats and checks tables")
    export.add_argument("--format", choices=("parquet", "csv", "jsonl"), default="parquet")
    export.add_argument("--out", required=True, help="output directory")
    export.add_argument("--archive", default="archive", help="archive to read (default ./archive)")
    export.add_argument("--bom", action="store_true", help="CSV: start with a UTF-8 BOM (for Excel)")
    export.add_argument("--since-last", action="store_true", help="also write what changed since the last export")
    export.set_defaults(run=cmd_export)

    coverage = commands.add_parser("coverage", help="portal × year coverage as PNG, HTML and a list of gaps")
    coverage.add_argument("--out", required=True, help="output directory")
    coverage.add_argument("--archive", default="archive", help="archive to read (default ./archive)")
    coverage.add_argument("--years", default="2008-2024", help="year range, e.g. 2008-2024")
    coverage.add_argument("--show-gaps", type=int, default=20, help="gaps to print (default 20)")
    coverage.add_argument("--region", metavar="CODE|NAME",
                          help="one row per county of this region, grouped by prefecture, with totals")
    coverage.add_argument("--registry", help="your registry over the national one (for counties without a portal)")
    coverage.set_defaults(run=cmd_coverage)

    verify = commands.add_parser("verify", help="re-hash every archived object and check every record's links")
    verify.add_argument("--archive", default="archive", help="archive to check (default ./archive)")
    verify.set_defaults(run=cmd_verify)

    reparse = commands.add_parser("reparse", help="rebuild every report record from archived raw bodies")
    reparse.add_argument("--archive", default="archive", help="archive to rebuild (default ./archive)")
    reparse.add_argument("--no-cross-year", action="store_true", help="skip FORMATS.md check 5")
    reparse.set_defaults(run=cmd_reparse)

    index = commands.add_parser("index", help="bring the archive's report index up to date, or rebuild it")
    index.add_argument("--archive", default="archive", help="archive (default ./archive)")
    index.add_argument("--rebuild", action="store_true", help="from the records alone, ignoring the saved index")
    index.set_defaults(run=cmd_index)

    portals = commands.add_parser("portals", help="list, check or add portals in a registry").add_subparsers(
        dest="portals_command", required=True)
    for name, run, text in (("list", cmd_portals_list, "one line per portal"),
                            ("check", cmd_portals_check, "validate the registry; --live: fetch each home page"),
                            ("add", cmd_portals_add, "append a portal to the registry")):
        sub = portals.add_parser(name, help=text)
        sub.add_argument("--registry", default=DEFAULT_REGISTRY if name == "add" else None,
                         help=f"registry TOML (default {DEFAULT_REGISTRY}"
                              + ("" if name == "add" else " when present, over the national registry") + ")")
        sub.set_defaults(run=run)
        if name in ("list", "check"):
            sub.add_argument("--region", action="append", default=[], metavar="CODE|NAME",
                             help="only this province, prefecture or county (repeatable)")
        if name == "check":
            sub.add_argument("--live", action="store_true", help="fetch each home page and keep what it shows")
            sub.add_argument("--archive", default="archive", help="archive whose state keeps the results")
            sub.add_argument("--proxy", help="http:// proxy for every request")
            sub.add_argument("--concurrency", type=int, default=8, help="home pages fetched at once (default 8)")
            sub.add_argument("--timeout", type=float, default=20.0, help="seconds per home page (default 20)")
            sub.add_argument("--contact", help="mail or URL appended to the User-Agent")
        if name == "add":
            sub.add_argument("name")
            sub.add_argument("home", help="home URL")
            sub.add_argument("--region-code", required=True, help="6-digit admin-division code")
            sub.add_argument("--family", choices=FAMILIES)
            sub.add_argument("--allowed-domain", action="append", default=[], help="repeatable; default the home host")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except (UsageError, StorageError, RegistryError, RegionError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
