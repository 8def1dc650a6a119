"""The ``nianbao`` command: crawl a portal, run the demo, parse one document."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from crawler.core.documents import UnreadableDocument
from crawler.core.record import Fetched, build_record
from crawler.registry import FAMILIES, Portal, RegistryError, add_portal, load_registry, new_portal
from crawler.settings import NIANBAO_MAX_DOCUMENT_BYTES
from storage import StorageError, open_storage

EXIT_OK, EXIT_ERRORS, EXIT_USAGE, EXIT_STOPPED = 0, 1, 2, 3
FINISHED = ("finished", "closespider_pagecount", "closespider_timeout")  # ran to its end or to a limit asked for
DEFAULT_REGISTRY = "portals.toml"
DEMO_S3_DIR = ".seaweed"


_PORTAL_NAME = re.compile(r"(?!.*\.\.)\w[\w.-]{0,63}")


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
    if name is not None and not _PORTAL_NAME.fullmatch(name):  # it names state/<portal>.json in the archive
        raise UsageError(f"invalid --portal {name!r}: letters, digits, '.', '-' or '_', up to 64, no '..'")
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


def selected_portals(args: argparse.Namespace) -> list[Portal]:
    """The registry's portals named by --portal (all when none), or the one portal of a start URL."""
    if args.start_url and args.registry:
        raise UsageError("give either a start URL or --registry, not both")
    if args.start_url:
        if len(args.portal) > 1:
            raise UsageError("a start URL crawls one portal: give at most one --portal name")
        return [adhoc_portal(args.start_url, args.portal[0] if args.portal else None)]
    return load_registry(args.registry or DEFAULT_REGISTRY).select(args.portal)


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
    if counts["list_pages_skipped"] or counts["links_too_deep"]:
        lines.append(f"  NOT FETCHED          {counts['list_pages_skipped']} list pages past the page limit,"
                     f" {counts['links_too_deep']} links past DEPTH_LIMIT (the log names them)")
    stopped = sorted({p["finish_reason"] for p in report["portals"]} - set(FINISHED))
    if stopped:
        lines.append(f"  STOPPED EARLY        {', '.join(stopped)}: run the crawl again to finish it")
    if report.get("run_report_error"):
        lines.append(f"  run report not written: {report['run_report_error']}")
    if counts["objects_written"] + counts["objects_spooled"] == 0:
        complete = not stopped and not counts["errors"]
        lines.append("  nothing new archived" + (": the archive already holds everything this crawl found"
                                                  if complete else ""))
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
    """0 all good, 1 a portal failed or logged errors (a full disk too), 2 the one start URL given could not
    be reached, 3 stopped early by a signal (SIGTERM, Ctrl-C)."""
    if len(report["portals"]) == 1 and report.get("start_error"):
        print(f"error: cannot reach start URL {report['start_url']}: {report['start_error']}", file=sys.stderr)
        return EXIT_USAGE
    if report["portals_failed"] or report.get("run_report_error"):
        return EXIT_ERRORS
    return EXIT_STOPPED if any(p["finish_reason"] == "shutdown" for p in report["portals"]) else EXIT_OK


def cmd_crawl(args: argparse.Namespace) -> int:
    from crawler.runner import run_portals

    report = run_portals(selected_portals(args), args.archive, log_level=args.log_level,
                         extra_settings=run_settings(args))
    print(format_summary(report))
    return _exit_status(report)


def cmd_backfill(args: argparse.Namespace) -> int:
    from crawler.backfill import run_backfill

    years = _year_range(args.years)
    report = run_backfill(selected_portals(args), args.archive, years, Path(args.state_dir),
                          log_level=args.log_level, extra_settings=run_settings(args))
    print(format_summary(report))
    return _exit_status(report)


def cmd_portals_list(args: argparse.Namespace) -> int:
    registry = load_registry(args.registry)
    for portal in registry:
        print(f"{portal.name}\t{portal.family or '-'}\t{portal.region_code}\t{portal.home}")
    print(f"{len(registry)} portals in {registry.source}", file=sys.stderr)
    return EXIT_OK


def cmd_portals_check(args: argparse.Namespace) -> int:
    registry = load_registry(args.registry)
    print(f"{registry.source}: {len(registry)} portals, all valid")
    return EXIT_OK


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


def cmd_parse(args: argparse.Namespace) -> int:
    from crawler.fetchone import FetchError, fetch_url

    if urlsplit(args.file).scheme in ("http", "https"):
        try:
            fetched = fetch_url(args.file, args.max_bytes, args.timeout, offsite=args.follow_offsite)
        except FetchError as exc:
            raise UsageError(f"cannot fetch {args.file}: {exc}") from exc
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
    for key in tally.quarantined:
        print(f"{key}: a damaged record moved aside (its report is fetched again); delete it once inspected")
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
    for key in index.quarantined:
        print(f"skipped damaged record {key}: moved to quarantine/{key}; the next crawl fetches its report again",
              file=sys.stderr)
    reports = sum(1 for entry in index.entries.values() if entry.is_report)
    print(f"{storage.location}/{INDEX_KEY}: {len(index)} records "
          f"({reports} reports, {len(index) - reports} look-alikes)"
          + (f", {len(index.quarantined)} damaged records skipped" if index.quarantined else ""))
    return EXIT_ERRORS if index.quarantined else EXIT_OK


def _year_range(text: str) -> tuple[int, int]:
    from pipelines.years import parse_years

    try:
        return parse_years(text)
    except ValueError as exc:
        raise UsageError(f"invalid --years {text!r}: expected e.g. 2008-2024") from exc


def cmd_coverage(args: argparse.Namespace) -> int:
    from crawler.export.coverage import coverage_of, write_coverage

    first, last = _year_range(args.years)
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
    parse.add_argument("--max-bytes", type=int, default=NIANBAO_MAX_DOCUMENT_BYTES,
                       help=f"refuse a fetched body over this size (default {NIANBAO_MAX_DOCUMENT_BYTES})")
    parse.add_argument("--timeout", type=float, default=120.0, help="seconds for the whole fetch (default 120)")
    parse.add_argument("--follow-offsite", action="store_true", help="follow redirects to another host")
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
                            ("check", cmd_portals_check, "validate the registry"),
                            ("add", cmd_portals_add, "append a portal to the registry")):
        sub = portals.add_parser(name, help=text)
        sub.add_argument("--registry", default=DEFAULT_REGISTRY, help=f"registry TOML (default {DEFAULT_REGISTRY})")
        sub.set_defaults(run=run)
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
    except (UsageError, StorageError, RegistryError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
