"""Every key of the archive, in one place (docs/DESIGN.md "Archive layout").

```
raw/sha256/<ab>/<cd>/<sha256>            every fetched body, as served
reports/<year>/<report_id>.json          one record per distinct report text (reports/unknown/ without a year)
text/<report_id>.txt                     its cleaned main text
history/reports/<year>/<report_id>/<sha256>.json   earlier versions of a record (nianbao reparse)
quarantine/<key>                         damaged records moved aside
index/agencies/<h[:2]>/<h>.json          the report index, a shard per agency (h: a hash of its name;
index/unattributed/<report_id[:2]>.json    records without an agency); derived, made anew by nianbao index
state/<portal>.json                      a portal's crawl state
state/checks/<portal>.json               a portal's last live check
runs/<crawl-id>.json                     a run's report
runs/<crawl-id>/<job>-<attempt>.json     a distributed run's report of one attempt at one job
warc/<crawl-id>/…warc.gz, wet/<crawl-id>/…warc.wet.gz   the WARC files of a crawl and their .index.jsonl
```
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import PurePosixPath
from typing import Any

RAW = "raw/"
REPORTS = "reports/"
TEXT = "text/"
HISTORY = "history/"
QUARANTINE = "quarantine/"
INDEX = "index/"
AGENCY_SHARDS, UNATTRIBUTED_SHARDS = f"{INDEX}agencies/", f"{INDEX}unattributed/"
LEGACY_INDEX = f"{INDEX}reports.json"  # one whole-archive index, written before the shards; removed by reconcile
STATE = "state/"
CHECKS = "state/checks/"
RUNS = "runs/"
CAPTURES, TEXTS = "warc/", "wet/"  # the WARC files of fetches, and of extracted texts


def raw_key(sha256_hex: str) -> str:
    return f"{RAW}sha256/{sha256_hex[:2]}/{sha256_hex[2:4]}/{sha256_hex}"


def year_prefix(year: int | str) -> str:
    return f"{REPORTS}{year}/"


def record_key(record: dict[str, Any]) -> str:
    return f"{year_prefix(record.get('year') or 'unknown')}{record['report_id']}.json"


def index_shard_key(agency: str | None, report_id: str) -> str:
    """The report-index shard holding the entry of ``report_id`` of ``agency``."""
    if not agency:
        return f"{UNATTRIBUTED_SHARDS}{report_id[:2]}.json"
    digest = hashlib.sha256(agency.encode("utf-8")).hexdigest()[:24]
    return f"{AGENCY_SHARDS}{digest[:2]}/{digest}.json"


def text_key(record: dict[str, Any]) -> str:
    return f"{TEXT}{record['report_id']}.txt"


def report_id_from_key(key: str) -> str | None:
    path = PurePosixPath(key)
    return path.stem if path.suffix == ".json" and len(path.stem) == 64 else None


def history_key(key: str, data: bytes) -> str:
    """Where an earlier version of the record at ``key`` is kept: named by the SHA-256 of its bytes."""
    return f"{HISTORY}{key.removesuffix('.json')}/{hashlib.sha256(data).hexdigest()}.json"


def quarantine_key(key: str) -> str:
    return QUARANTINE + key


def state_key(portal: str) -> str:
    return f"{STATE}{portal}.json"


def portal_of_state_key(key: str) -> str:
    return key.removeprefix(STATE).removesuffix(".json")


def check_key(portal: str) -> str:
    return f"{CHECKS}{portal}.json"


def new_crawl_id(now: datetime | None = None) -> str:
    return (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%S%fZ")


def run_report_key(crawl_id: str) -> str:
    return f"{RUNS}{crawl_id}.json"


def job_report_key(crawl_id: str, job: str, attempt: int) -> str:
    """The report of one attempt at one job of a distributed run."""
    return f"{RUNS}{crawl_id}/{job}-{attempt}.json"


def warc_prefix(crawl_id: str, series: str = CAPTURES) -> str:
    return f"{series}{crawl_id}/"
