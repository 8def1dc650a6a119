"""A portal job: some portals crawled (or backfilled) by ``nianbao``'s own runner in a child process.

The Twisted reactor cannot be restarted in one process, and a child keeps a long-lived worker's memory
flat: every job is a fresh ``python -m crawler.distributed.job SPEC OUT``. In: the portals, the archive,
the crawl id, settings (and a backfill's years and job directory); out: the portal reports of the job's
run report. The child dies with the process that started it (``PR_SET_PDEATHSIG``), so a killed worker
leaves no crawl running on its own.
"""

from __future__ import annotations

import ctypes
import json
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from crawler.registry import Portal

PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class PortalJob:
    portals: tuple[Portal, ...]
    archive: str
    crawl_id: str
    settings: dict[str, Any] = field(default_factory=dict)
    log_level: str = "WARNING"
    years: tuple[int, int] | None = None  # a backfill of these years, else an incremental crawl
    state_dir: str = ".nianbao"  # a backfill's job directories (on the machine that runs the job)
    report_key: str | None = None  # where the job's own run report goes (default runs/<crawl-id>.json)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PortalJob:
        portals = tuple(Portal(**{**p, "allowed_domains": tuple(p["allowed_domains"]),
                                  "start_urls": tuple(p.get("start_urls", ()))}) for p in data["portals"])
        years = tuple(data["years"]) if data.get("years") else None
        return cls(**{**data, "portals": portals, "years": years})  # type: ignore[arg-type]


@dataclass(frozen=True)
class JobOutcome:
    exit_code: int
    seconds: float
    reports: list[dict[str, Any]]  # one portal report each (extensions/runreport.py); none when the child failed
    error: str | None = None  # why there are no reports
    stopped: bool = False  # ended because ``keep_going`` said so
    index_write_conflicts: int = 0  # saves of the report index refused because another job's came first


def _die_with_parent() -> None:
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def run_job(job: PortalJob, keep_going: Callable[[], bool] = lambda: True, check_every: float = 5.0,
            stderr: int | None = subprocess.DEVNULL) -> JobOutcome:
    """Run ``job`` in a child process and wait for it, asking ``keep_going`` every ``check_every`` seconds
    (a worker extends its lease there); when it answers False the child is stopped as by Ctrl-C (it saves
    what it has, by compare-and-swap) and then killed if it does not end."""
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="nianbao-job-") as tmp:
        spec, out = Path(tmp, "job.json"), Path(tmp, "report.json")
        spec.write_text(json.dumps(job.to_dict(), ensure_ascii=False), encoding="utf-8")
        child = subprocess.Popen([sys.executable, "-m", "crawler.distributed.job", str(spec), str(out)],
                                 stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=stderr,
                                 preexec_fn=_die_with_parent)
        stopped = False
        while True:
            try:
                code = child.wait(timeout=check_every)
                break
            except subprocess.TimeoutExpired:
                if not stopped and not keep_going():
                    stopped = True
                    child.send_signal(signal.SIGINT)
                    try:
                        code = child.wait(timeout=max(30.0, check_every))
                    except subprocess.TimeoutExpired:
                        child.kill()
                        code = child.wait()
                    break
        seconds = time.monotonic() - started
        if not out.exists():
            return JobOutcome(code, seconds, [], f"the crawl process exited {code} without a report", stopped)
        report = json.loads(out.read_text(encoding="utf-8"))
    return JobOutcome(code, seconds, report["portals"], None, stopped, report.get("index_write_conflicts", 0))


def crawl(job: PortalJob) -> dict[str, Any]:
    """The child's side: the job's crawl in this process; its run report."""
    if job.years is None:
        from crawler.run.runner import run_portals

        return run_portals(job.portals, job.archive, log_level=job.log_level, extra_settings=job.settings,
                           crawl_id=job.crawl_id, report_key=job.report_key)
    from crawler.run.backfill import run_backfill

    return run_backfill(job.portals, job.archive, job.years, Path(job.state_dir), log_level=job.log_level,
                        extra_settings=job.settings, crawl_id=job.crawl_id, report_key=job.report_key)


def main(argv: Sequence[str]) -> int:
    spec, out = argv
    job = PortalJob.from_dict(json.loads(Path(spec).read_text(encoding="utf-8")))
    report = crawl(job)
    Path(out).write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
    return 1 if report["portals_failed"] or report.get("run_report_error") else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
