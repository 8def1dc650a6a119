"""The frontier on disk: pending requests kept in a temporary directory instead of memory.

A portal prints its page counts, so a spider schedules every list page (and every row of each) as
soon as it reads them: on a big portal that is tens of thousands of pending requests, and Scrapy's
memory queues made the crawler's memory grow with the site (docs/BENCHMARKS.md, bench_crawl). This
scheduler gives Scrapy's disk queues a throwaway directory (``NIANBAO_FRONTIER_DIR``, else the
system's temporary directory), removed when the crawl closes; the directory is named after the crawl's
process (``nianbao-frontier-<pid>-…``) and those of dead processes (a killed crawl) are removed at the
next crawl's start. A crawl with ``JOBDIR`` (a backfill,
which resumes) keeps Scrapy's own behaviour; requests that cannot be pickled stay in memory, as in
Scrapy.

The private Scrapy names it relies on, pinned and tested: crawler/engine/README.md.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

from scrapy.core.scheduler import Scheduler
from scrapy.spiders import Spider
from twisted.internet.defer import Deferred

from crawler.core.orphans import ended

_PREFIX = "nianbao-frontier-"
_OWNED = re.compile(re.escape(_PREFIX) + r"(\d+)-")


def remove_dead_frontiers(base: Path) -> list[Path]:
    """Remove the frontier directories under ``base`` whose crawl process is gone; returns them."""
    removed = []
    for path in base.glob(_PREFIX + "*"):
        if (owner := _OWNED.match(path.name)) and ended(int(owner.group(1))):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


class DiskFrontierScheduler(Scheduler):
    throwaway: str | None = None

    def open(self, spider: Spider) -> Deferred[None] | None:
        if self.dqdir is None:
            base = (self.crawler.settings.get("NIANBAO_FRONTIER_DIR") if self.crawler else None) or None
            remove_dead_frontiers(Path(base or tempfile.gettempdir()))
            self.throwaway = tempfile.mkdtemp(prefix=f"{_PREFIX}{os.getpid()}-", dir=base)
            self.dqdir = self._dqdir(self.throwaway)
        return super().open(spider)

    def close(self, reason: str) -> Deferred[None] | None:
        closed = super().close(reason)
        if self.throwaway is not None:
            shutil.rmtree(self.throwaway, ignore_errors=True)
        return closed
