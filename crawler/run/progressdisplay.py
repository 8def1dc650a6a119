"""The display of a run's progress: a live table on a terminal, or plain lines under cron.

Every portal crawler of a run reports to one display (``RunSession.progress_display``), which the first
crawler to open starts and the last to close ends.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field

from rich.console import Console
from rich.progress import Progress, TaskID, TextColumn, TimeElapsedColumn

MODES = ("bar", "log", "off")
_BAR_REDRAW = 0.25  # seconds between redraws of the live table
TOTAL = "all portals"


@dataclass
class Counts:
    pages: int = 0
    documents: int = 0
    started: float = field(default_factory=time.monotonic)

    def rate(self) -> float:
        return self.pages / max(time.monotonic() - self.started, 1e-6)


class RunDisplay:
    """One run's display: a line (or a bar row) per portal and one for the total."""

    def __init__(self, mode: str, interval: float) -> None:
        self.mode = mode
        self.interval = min(interval, _BAR_REDRAW) if mode == "bar" else interval
        self.portals: dict[str, Counts] = {}
        self.total = Counts()
        self.open_crawlers = 0
        self.shown_at = 0.0
        self.bar: Progress | None = None
        self.tasks: dict[str, TaskID] = {}

    def opened(self, portal: str) -> None:
        self.open_crawlers += 1
        self.portals.setdefault(portal, Counts())
        if self.mode == "bar" and self.bar is None:
            self.bar = Progress(TextColumn("{task.description:<24}"), TextColumn("{task.fields[pages]:>6} pages"),
                                TextColumn("{task.fields[documents]:>5} documents"),
                                TextColumn("{task.fields[rate]:>6.1f} pages/s"), TimeElapsedColumn(),
                                console=Console(file=sys.stderr), auto_refresh=False)
            self.bar.start()
            self.tasks[TOTAL] = self.bar.add_task(TOTAL, total=None, pages=0, documents=0, rate=0.0)
        if self.bar is not None and portal not in self.tasks:
            self.tasks[portal] = self.bar.add_task(portal, total=None, pages=0, documents=0, rate=0.0)

    def count(self, portal: str, pages: int = 0, documents: int = 0) -> None:
        for counts in (self.portals[portal], self.total):
            counts.pages += pages
            counts.documents += documents
        if time.monotonic() - self.shown_at >= self.interval:
            self.show()

    def show(self) -> None:
        self.shown_at = time.monotonic()
        rows = {**self.portals, TOTAL: self.total}
        if self.bar is not None:
            for name, counts in rows.items():
                self.bar.update(self.tasks[name], pages=counts.pages, documents=counts.documents, rate=counts.rate())
            self.bar.refresh()
        elif self.mode == "log" and self.total.pages:  # a run that fetched nothing has nothing to show
            for name, counts in rows.items():
                elapsed = time.monotonic() - counts.started
                print(f"progress: {name}: {counts.pages} pages, {counts.documents} documents, "
                      f"{counts.rate():.1f} pages/s, {elapsed:.0f} s", file=sys.stderr, flush=True)

    def closed(self) -> None:
        self.open_crawlers -= 1
        if self.open_crawlers == 0:
            self.show()
            if self.bar is not None:
                self.bar.stop()
                self.bar = None
                self.tasks.clear()
