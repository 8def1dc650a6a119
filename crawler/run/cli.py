"""The ``nianbao`` command: crawl a portal, run the demo, parse one document.

Options common to every command (``--log-level``) are accepted before or after the command's name;
``--archive`` and the other options named in ``ENVIRONMENT`` take their default from the environment
(cron jobs and containers set ``NIANBAO_ARCHIVE`` once); a bad option is one line on stderr, exit 2.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import urlsplit

from crawler.archive.layout import INDEX, REPORTS
from crawler.core.documents import UnreadableDocument
from crawler.core.record import Fetched, build_record
from crawler.distributed.cli import add_commands as distributed_commands
from crawler.distributed.cli import add_options as distributed_options
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
from crawler.run.summary import EXIT_ERRORS, EXIT_OK, EXIT_STOPPED, EXIT_USAGE, exit_status, format_summary
from crawler.settings import NIANBAO_MAX_DOCUMENT_BYTES
from storage import Storage, StorageError, open_storage

DEFAULT_REGISTRY = "portals.toml"
DEMO_S3_DIR = ".seaweed"


LOG_LEVELS = ("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG")
# Options whose default comes from the environment when it names them.
ENVIRONMENT = {"archive": "NIANBAO_ARCHIVE", "registry": "NIANBAO_REGISTRY", "log_level": "NIANBAO_LOG_LEVEL",
               "contact": "NIANBAO_CONTACT", "proxy": "NIANBAO_PROXY"}
_PORTAL_NAME = re.compile(r"(?!.*\.\.)\w[\w.-]{0,63}")


class UsageError(Exception):
    """Bad input from the user: printed as one line, exit status 2."""


class CommandLineParser(argparse.ArgumentParser):
    """argparse whose errors are one line and exit 2, like every other bad input of the command."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"error: {self.prog}: {message}\n")


def log_level(value: str) -> str:
    """A logging level in any case: info, Info, INFO."""
    if value.upper() not in LOG_LEVELS:
        raise argparse.ArgumentTypeError(f"invalid log level {value!r}: use one of {', '.join(LOG_LEVELS)}")
    return value.upper()


def env_default(option: str, fallback: str | None = None) -> str | None:
    return os.environ.get(ENVIRONMENT[option], fallback)


def _environment_log_level() -> str:
    value = env_default("log_level", "WARNING") or "WARNING"
    try:
        return log_level(value)
    except argparse.ArgumentTypeError as exc:
        raise UsageError(f"{ENVIRONMENT['log_level']}: {exc}") from exc


def package_version() -> str:
    try:
        return version("nianbao")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown"


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
    # A live table on a terminal, a line a minute under cron, nothing when only errors are wanted.
    quiet = args.log_level in ("ERROR", "CRITICAL")
    progress = "bar" if sys.stderr.isatty() else "off" if quiet else "log"
    settings: dict[str, Any] = {**proxy_settings(args.proxy), "NIANBAO_PROGRESS": progress}
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
    from crawler.run.runner import run_portals

    return run_portals([adhoc_portal(start_url, portal)], archive, log_level=log_level, extra_settings=extra or {})


def cmd_crawl(args: argparse.Namespace) -> int:
    from crawler.run.runner import run_portals

    if args.distributed:
        return distributed_run(args, None)
    report = run_portals(with_checks(selected_portals(args), args.archive), args.archive, log_level=args.log_level,
                         extra_settings=run_settings(args))
    print(format_summary(report))
    return exit_status(report)


def cmd_backfill(args: argparse.Namespace) -> int:
    from crawler.run.backfill import run_backfill

    years = _year_range(args.years)
    if args.distributed:
        return distributed_run(args, years)
    report = run_backfill(with_checks(selected_portals(args), args.archive), args.archive, years, Path(args.state_dir),
                          log_level=args.log_level, extra_settings=run_settings(args))
    print(format_summary(report))
    return exit_status(report)


def distributed_run(args: argparse.Namespace, years: tuple[int, int] | None) -> int:
    """``--distributed``: the portals' jobs on the broker's workers, one summary (crawler/distributed/)."""
    from crawler.distributed.cli import run_distributed_command

    settings = run_settings(args)
    if not any(assignment.startswith("NIANBAO_PROGRESS=") for assignment in args.set):
        settings["NIANBAO_PROGRESS"] = "off"  # the workers' logs are no terminal
    report = run_distributed_command(args, settings, with_checks(selected_portals(args), args.archive), years)
    return EXIT_ERRORS if report is None else print_distributed(report)


def print_distributed(report: dict[str, Any]) -> int:
    """Print a distributed run's summary with its per-worker lines; its exit status."""
    from crawler.distributed.coordinator import format_distributed

    print(format_summary(report))
    print(format_distributed(report))
    return EXIT_ERRORS if report["distributed"]["jobs_failed"] else exit_status(report)


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

    from crawler.downloadermiddlewares.useragent import contact_user_agent
    from crawler.run.livecheck import check_line, run_checks
    from crawler.settings import USER_AGENT

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
    unverified = sum(1 for check in checks if (check.certificate or "").startswith("not verified"))
    print(f"checked {len(checks)} portals: " + ", ".join(f"{n} {o}" for o, n in sorted(outcomes.items()))
          + f"; {flagged} 网站标识码 of another region"
          + (f"; {unverified} https certificate{'s' if unverified > 1 else ''} not verified" if unverified else "")
          + f"; results in {storage.location}/state/checks/", file=sys.stderr)
    return EXIT_ERRORS if outcomes["error"] or outcomes["unreachable"] else EXIT_OK


def with_checks(portals: list[Portal], archive: str) -> list[Portal]:
    """The portals with what ``portals check --live`` last found for them in ``archive`` (moved homes, families)."""
    from crawler.run.livecheck import checked_portals

    return checked_portals(portals, open_storage(archive))


def cmd_portals_add(args: argparse.Namespace) -> int:
    portal = new_portal(args.name, args.home, args.region_code, args.family, args.allowed_domain)
    registry = add_portal(args.registry, portal)
    print(f"added {portal.name} to {registry.source} ({len(registry)} portals)")
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    if args.archive != "s3":
        return demo_crawl(args.archive, args.log_level, args.distributed)
    from storage.seaweed import SeaweedS3

    with SeaweedS3(bucket="nianbao", data_dir=DEMO_S3_DIR) as s3:
        os.environ.update(s3.env)  # the workers of --distributed inherit it
        print(f"SeaweedFS S3 at {s3.endpoint} (data in {DEMO_S3_DIR}/)", flush=True)
        return demo_crawl("s3://nianbao/demo", args.log_level, args.distributed)


def demo_crawl(archive: str, log_level: str, distributed: bool = False) -> int:
    try:
        from sampleportal.server import SamplePortal
    except ImportError as exc:
        raise UsageError(f"the sample portal needs the 'sampleportal' extra ({exc.name} is missing): "
                         "pip install 'nianbao[sampleportal]'") from exc

    open_storage(archive).check_writable()
    with SamplePortal() as portal:
        print(f"sample portal {portal.home_url} serving at {portal.url}", flush=True)
        if distributed:
            return distributed_demo(adhoc_portal(portal.home_url, "sample-trs"), archive, log_level,
                                    proxy_settings(portal.url))
        report = run_crawl(portal.home_url, archive, "sample-trs", log_level, proxy_settings(portal.url))
    print(format_summary(report))
    return exit_status(report)


def distributed_demo(portal: Portal, archive: str, log_level: str, settings: dict[str, str]) -> int:
    """``demo --distributed``: the crawl on a broker and two workers started for it (crawler/distributed/demo.py)."""
    from crawler.distributed.coordinator import BrokerUnavailable
    from crawler.distributed.demo import distributed_demo as run_demo

    if "://" not in archive:
        archive = os.path.abspath(archive)  # the workers' jobs resolve it, not this process
    try:
        report = run_demo([portal], archive, log_level, {**settings, "NIANBAO_PROGRESS": "off"})
    except (RuntimeError, BrokerUnavailable) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERRORS
    except KeyboardInterrupt:
        print("interrupted: the demo's workers and broker are stopped", file=sys.stderr)
        return EXIT_STOPPED
    return print_distributed(report)


def cmd_parse(args: argparse.Namespace) -> int:
    from crawler.run.fetchone import FetchError, fetch_url

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
    from crawler.export.exporter import export, export_sqlite

    storage = open_storage(args.archive)
    if next(iter(storage.keys(REPORTS)), None) is None:
        raise UsageError(f"no report records in archive {storage.location}: crawl first (nianbao crawl / demo)")
    if args.format == "wacz":
        return _export_wacz(storage, args)
    if args.portal or args.region:
        raise UsageError("--portal and --region select what a WACZ holds: use them with --format wacz")
    if args.format == "sqlite":
        if args.since_last:
            raise UsageError("--since-last writes changed records as files: use it with parquet, csv or jsonl")
        result = export_sqlite(storage, Path(args.out))
    else:
        result = export(storage, Path(args.out), args.format, bom=args.bom, since_last=args.since_last)
    print(f"exported {result.reports} reports, {result.stats} stats, {result.checks} checks to {args.out}")
    if args.since_last:
        where = f" in {result.changes_dir}" if result.changes_dir else ""
        print(f"{result.changed} records new or changed since the last export{where}")
    return EXIT_OK


def _export_wacz(storage: Storage, args: argparse.Namespace) -> int:
    from crawler.export.wacz import NothingToExport, export_wacz

    if Path(args.out).is_dir():
        raise UsageError(f"--out {args.out} is a directory: name the .wacz file to write")
    try:
        result = export_wacz(storage, Path(args.out), portals=args.portal, regions=args.region)
    except NothingToExport as exc:
        chosen = [f"--{option} {name}" for option in ("portal", "region") for name in getattr(args, option)]
        raise UsageError(f"{exc} ({', '.join(chosen) or 'none'}) in archive {storage.location}") from exc
    print(f"exported {result.pages} pages, {result.captures} captures in {result.warc_files} WARC files "
          f"to {result.path}")
    return EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    from crawler.archive.verify import Tally, verify

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
    from crawler.archive.reparse import reparse

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
    from crawler.archive.index import ReportIndex

    storage = open_storage(args.archive)
    index = ReportIndex.rebuild(storage) if args.rebuild else ReportIndex.reconcile(storage)
    entries = index.entries.values()
    reports, shards = sum(1 for entry in entries if entry.is_report), sum(1 for s in index.shards.values() if s.entries)
    index.save(storage)
    for key in index.quarantined:
        print(f"skipped damaged record {key}: moved to quarantine/{key}; the next crawl fetches its report again",
              file=sys.stderr)
    print(f"{storage.location}/{INDEX}: {len(entries)} records in {shards} shards "
          f"({reports} reports, {len(entries) - reports} look-alikes)"
          + (f", {len(index.quarantined)} damaged records skipped" if index.quarantined else ""))
    return EXIT_ERRORS if index.quarantined else EXIT_OK


def _year_range(text: str) -> tuple[int, int]:
    from pipelines.years import parse_years

    try:
        return parse_years(text)
    except ValueError as exc:
        raise UsageError(f"invalid --years {text!r}: expected e.g. 2008-2024") from exc


def cmd_coverage(args: argparse.Namespace) -> int:
    from crawler.export.coverage import archive_dir_of, coverage_of, write_coverage

    first, last = _year_range(args.years)
    if args.region:
        return region_coverage(args, range(first, last + 1))
    storage = open_storage(args.archive)
    coverage = coverage_of(storage, first, last)
    if not coverage.portals:
        raise UsageError(f"no report records in archive {args.archive}: crawl first (nianbao crawl / demo)")
    paths = write_coverage(coverage, Path(args.out), archive_dir=archive_dir_of(storage))
    gaps = coverage.gaps()
    print(f"{len(coverage.portals)} portals × {len(coverage.years)} years; {len(gaps)} gaps")
    for gap in gaps[: args.show_gaps]:
        print(f"  {gap['portal']} {gap['year']}: {gap['status']}")
    print("wrote " + ", ".join(str(p) for p in paths))
    return EXIT_OK


def region_coverage(args: argparse.Namespace, years: range) -> int:
    from crawler.export.archive_reader import iter_records
    from crawler.export.coverage import archive_dir_of
    from crawler.export.regioncoverage import region_coverage, summary_lines, write_region_coverage

    region = divisions().region(args.region)
    registry, _ = active_registry(args.registry)
    storage = open_storage(args.archive)
    records = (record for _, _, record in iter_records(storage))
    coverage = region_coverage(records, region, years, registry.without_portal)
    paths = write_region_coverage(coverage, Path(args.out), archive_dir_of(storage))
    print("\n".join(summary_lines(coverage)))
    print("wrote " + ", ".join(str(p) for p in paths))
    return EXIT_OK


def _common_options(parser: argparse.ArgumentParser, default: Any) -> argparse.ArgumentParser:
    """The options every command takes, before or after its name (``nianbao crawl --log-level info``): the
    top parser's carry the defaults; each command's (``default=SUPPRESS``) only override them when given."""
    parser.add_argument("--log-level", type=log_level, default=default, metavar="LEVEL",
                        help=f"Scrapy log level, any case: {', '.join(LOG_LEVELS)} (default $NIANBAO_LOG_LEVEL, "
                             "else WARNING)")
    return parser


def _archive_option(parser: argparse.ArgumentParser, purpose: str) -> None:
    parser.add_argument("--archive", default=env_default("archive", "archive"), metavar="DIR|s3://BUCKET/PREFIX",
                        help=f"{purpose}: a directory or s3://bucket/prefix (default $NIANBAO_ARCHIVE, else ./archive)")


def build_parser() -> argparse.ArgumentParser:
    common = _common_options(argparse.ArgumentParser(add_help=False), argparse.SUPPRESS)
    parser = _common_options(CommandLineParser(prog="nianbao", description="Archive of 政府信息公开工作年度报告."),
                             _environment_log_level())
    parser.add_argument("--version", action="version", version=f"nianbao {package_version()}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(group: Any, name: str, text: str) -> argparse.ArgumentParser:
        return group.add_parser(name, help=text, description=text, parents=[common])

    crawl = command(commands, "crawl", "crawl the registry's portals (incremental), or one portal from its URL")
    backfill = command(commands, "backfill", "walk every list page for the reports of given years (resumable)")
    for sub in (crawl, backfill):
        sub.add_argument("start_url", nargs="?", help="a home URL to crawl without a registry entry")
        sub.add_argument("--registry", default=env_default("registry"),
                         help=f"portal registry TOML (default $NIANBAO_REGISTRY, else {DEFAULT_REGISTRY})")
        _archive_option(sub, "archive to write")
        sub.add_argument("--portal", action="append", default=[], metavar="NAME",
                         help="registry portals to crawl (repeatable; default all); with a start URL, its name")
        sub.add_argument("--region", action="append", default=[], metavar="CODE|NAME",
                         help="every portal of a province, prefecture or county: 33, 3301, 330106, 浙江省, 杭州市")
        sub.add_argument("--proxy", default=env_default("proxy"),
                         help="http:// proxy for every request, e.g. a sample portal's address "
                              "(default $NIANBAO_PROXY)")
        sub.add_argument("--max-pages", type=int, help="stop each portal after this many responses")
        sub.add_argument("--timeout", type=float, help="stop each portal after this many seconds")
        sub.add_argument("--contact", default=env_default("contact"),
                         help="mail or URL appended to the User-Agent (default $NIANBAO_CONTACT)")
        sub.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE",
                         help="any Scrapy or NIANBAO_* setting for this run (repeatable)")
        distributed_options(sub)
    crawl.set_defaults(run=cmd_crawl)
    backfill.add_argument("--years", required=True, help="reporting years to keep, e.g. 2008-2024")
    backfill.add_argument("--state-dir", default=".nianbao", help="where job queues live (default ./.nianbao)")
    backfill.set_defaults(run=cmd_backfill)

    distributed_commands(commands, command)

    demo = command(commands, "demo", "start the bundled sample portal and crawl it")
    demo.add_argument("--archive", default=env_default("archive", "archive"),
                      help="archive directory (default $NIANBAO_ARCHIVE, else ./archive), or s3: a local SeaweedFS "
                           f"with its data in {DEMO_S3_DIR}/")
    demo.add_argument("--distributed", action="store_true",
                      help="crawl as a distributed run: a Redis server and two workers started for it, then stopped")
    demo.set_defaults(run=cmd_demo)

    parse = command(commands, "parse", "print the report record of one local file or http(s) URL")
    parse.add_argument("file", help="HTML, TXT, PDF, DOC/WPS, DOCX, XLS or XLSX file, or an http(s) URL")
    parse.add_argument("--json", action="store_true", help="pretty-print the record")
    parse.add_argument("--url", help="URL to record as the document's source")
    parse.add_argument("--max-bytes", type=int, default=NIANBAO_MAX_DOCUMENT_BYTES,
                       help=f"refuse a fetched body over this size (default {NIANBAO_MAX_DOCUMENT_BYTES})")
    parse.add_argument("--timeout", type=float, default=120.0, help="seconds for the whole fetch (default 120)")
    parse.add_argument("--follow-offsite", action="store_true", help="follow redirects to another host")
    parse.set_defaults(run=cmd_parse)

    export = command(commands, "export", "write the reports, stats and checks tables, or a WACZ package")
    export.add_argument("--format", choices=("parquet", "csv", "jsonl", "sqlite", "wacz"), default="parquet",
                        help="one file per table and a datapackage.json (parquet, csv, jsonl), one SQLite file, "
                             "or a WACZ package of the captured pages")
    export.add_argument("--out", required=True,
                        help="output directory (sqlite: the database file; wacz: the .wacz file)")
    export.add_argument("--portal", action="append", default=[], metavar="NAME",
                        help="wacz: only the records of this portal (repeatable)")
    export.add_argument("--region", action="append", default=[], metavar="NAME",
                        help="wacz: only the records of this region, as records name it, e.g. 样例县 (repeatable)")
    _archive_option(export, "archive to read")
    export.add_argument("--bom", action="store_true", help="CSV: start with a UTF-8 BOM (for Excel)")
    export.add_argument("--since-last", action="store_true", help="also write what changed since the last export")
    export.set_defaults(run=cmd_export)

    coverage = command(commands, "coverage", "portal × year coverage as PNG, HTML and a list of gaps")
    coverage.add_argument("--out", required=True, help="output directory")
    _archive_option(coverage, "archive to read")
    coverage.add_argument("--years", default="2008-2024", help="year range, e.g. 2008-2024")
    coverage.add_argument("--show-gaps", type=int, default=20, help="gaps to print (default 20)")
    coverage.add_argument("--region", metavar="CODE|NAME",
                          help="one row per county of this region, grouped by prefecture, with totals")
    coverage.add_argument("--registry", help="your registry over the national one (for counties without a portal)")
    coverage.set_defaults(run=cmd_coverage)

    verify = command(commands, "verify", "re-hash every archived object and check every record's links")
    _archive_option(verify, "archive to check")
    verify.set_defaults(run=cmd_verify)

    reparse = command(commands, "reparse", "rebuild every report record from archived raw bodies")
    _archive_option(reparse, "archive to rebuild")
    reparse.add_argument("--no-cross-year", action="store_true",
                         help="skip check 5 (against the same agency's previous year, docs/FORMATS.md)")
    reparse.set_defaults(run=cmd_reparse)

    index = command(commands, "index", "bring the archive's report index up to date, or rebuild it")
    _archive_option(index, "archive")
    index.add_argument("--rebuild", action="store_true", help="from the records alone, ignoring the saved index")
    index.set_defaults(run=cmd_index)

    portals = command(commands, "portals", "list, check or add portals in a registry").add_subparsers(
        dest="portals_command", required=True, metavar="ACTION")
    for name, run, text in (("list", cmd_portals_list, "one line per portal"),
                            ("check", cmd_portals_check, "validate the registry; --live: fetch each home page"),
                            ("add", cmd_portals_add, "append a portal to the registry")):
        sub = command(portals, name, text)
        default_registry = env_default("registry", DEFAULT_REGISTRY if name == "add" else None)
        sub.add_argument("--registry", default=default_registry,
                         help=f"registry TOML (default $NIANBAO_REGISTRY, else {DEFAULT_REGISTRY}"
                              + ("" if name == "add" else " when present, over the national registry") + ")")
        sub.set_defaults(run=run)
        if name in ("list", "check"):
            sub.add_argument("--region", action="append", default=[], metavar="CODE|NAME",
                             help="only this province, prefecture or county (repeatable)")
        if name == "check":
            sub.add_argument("--live", action="store_true", help="fetch each home page and keep what it shows")
            _archive_option(sub, "archive whose state keeps the results")
            sub.add_argument("--proxy", default=env_default("proxy"),
                             help="http:// proxy for every request (default $NIANBAO_PROXY)")
            sub.add_argument("--concurrency", type=int, default=8, help="home pages fetched at once (default 8)")
            sub.add_argument("--timeout", type=float, default=20.0, help="seconds per home page (default 20)")
            sub.add_argument("--contact", default=env_default("contact"),
                             help="mail or URL appended to the User-Agent (default $NIANBAO_CONTACT)")
        if name == "add":
            sub.add_argument("name", help="the portal's name: lower-case letters, digits, - and _")
            sub.add_argument("home", help="home URL")
            sub.add_argument("--region-code", required=True, help="6-digit admin-division code")
            sub.add_argument("--family", choices=FAMILIES, help="CMS family (default: fingerprinted at crawl time)")
            sub.add_argument("--allowed-domain", action="append", default=[], help="repeatable; default the home host")
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        return args.run(args)
    except (UsageError, StorageError, RegistryError, RegionError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
