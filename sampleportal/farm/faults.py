"""Faults the farm injects on demand (docs/PORTALS.md "Hostile and broken behaviour"): slow replies, 500/503,
connection resets and 429 with Retry-After.

Which URL fails is decided by a hash of (seed, host, target), so a run is reproducible; a URL fails on
its first request only, so a crawler that retries gets every page in the end.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from sampleportal.farm.world import stable_int

RESET = "reset"  # the connection is closed with a TCP RST instead of a reply


@dataclass(frozen=True)
class Faults:
    delay: float = 0.0  # seconds added before every reply
    errors: float = 0.0  # share of URLs whose first request answers 500 or 503
    resets: float = 0.0  # share of URLs whose first request has its connection reset
    throttle: float = 0.0  # share of URLs whose first request answers 429 with Retry-After
    seed: int = 0

    def __bool__(self) -> bool:
        return bool(self.delay or self.errors or self.resets or self.throttle)


@dataclass
class FaultPlan:
    """Faults per host (``default`` for hosts not named) and the URLs already failed once."""

    default: Faults = field(default_factory=Faults)
    per_host: dict[str, Faults] = field(default_factory=dict)
    _failed: set[tuple[str, str]] = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def faults(self, host: str) -> Faults:
        return self.per_host.get(host, self.default)

    def fault(self, host: str, target: str) -> int | str | None:
        """The status to answer instead (500, 503, 429), ``RESET``, or None: serve normally."""
        faults = self.faults(host)
        if not (faults.errors or faults.resets or faults.throttle):
            return None
        draw = stable_int(faults.seed, host, target) / 10**12
        if draw < faults.errors:
            fault: int | str = 500 if draw < faults.errors / 2 else 503
        elif draw < faults.errors + faults.resets:
            fault = RESET
        elif draw < faults.errors + faults.resets + faults.throttle:
            fault = 429
        else:
            return None
        with self._lock:
            if (host, target) in self._failed:
                return None
            self._failed.add((host, target))
        return fault
