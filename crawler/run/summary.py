"""What a run prints and how it exits: the summary of its run report, and the exit status it earns."""

from __future__ import annotations

import sys
from typing import Any

EXIT_OK, EXIT_ERRORS, EXIT_USAGE, EXIT_STOPPED = 0, 1, 2, 3
FINISHED = ("finished", "closespider_pagecount", "closespider_timeout")  # ran to its end or to a limit asked for


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
    if kept_aside := spool.get("kept_aside"):
        lines.append(f"  KEPT ASIDE           {len(kept_aside)} spooled documents changed meanwhile by another writer"
                     f" ({', '.join(kept_aside)}): the newer versions stay; the spooled ones are in"
                     f" {spool['dir']}/conflicts/")
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


def exit_status(report: dict[str, Any]) -> int:
    """0 all good, 1 a portal failed or logged errors (a full disk too), 2 the one start URL given could not
    be reached, 3 stopped early by a signal (SIGTERM, Ctrl-C)."""
    if len(report["portals"]) == 1 and report.get("start_error"):
        print(f"error: cannot reach start URL {report['start_url']}: {report['start_error']}", file=sys.stderr)
        return EXIT_USAGE
    if report["portals_failed"] or report.get("run_report_error"):
        return EXIT_ERRORS
    return EXIT_STOPPED if any(p["finish_reason"] == "shutdown" for p in report["portals"]) else EXIT_OK
