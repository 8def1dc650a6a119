"""``nianbao demo --distributed``: the demo's crawl as a distributed run on this machine.

A throwaway Redis server (crawler/distributed/broker.py) and two ``nianbao worker`` processes are started,
the run waits until both answer, the portal's job goes through the broker like any other, and everything
started is stopped afterwards — also on Ctrl-C or a failure.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from crawler.distributed.broker import RedisServer
from crawler.distributed.coordinator import run_distributed
from crawler.distributed.localworkers import local_workers, wait_ready
from crawler.registry import Portal

WORKERS = 2
WARM_SHUTDOWN = 20.0  # seconds a worker gets to stop by itself before it is killed


def distributed_demo(portals: list[Portal], archive: str, log_level: str,
                     settings: Mapping[str, Any]) -> dict[str, Any]:
    """Crawl ``portals`` into ``archive`` on a broker and workers started for it; the run report."""
    with RedisServer() as server, tempfile.TemporaryDirectory(prefix="nianbao-demo-") as tmp:
        names = [f"w{n}@demo" for n in range(1, WORKERS + 1)]
        with local_workers(server.url, names, Path(tmp), log_level=log_level, grace=WARM_SHUTDOWN) as started:
            try:
                wait_ready(server.url, names, started)
            except RuntimeError as exc:
                log = (Path(tmp) / "worker1.log").read_text(encoding="utf-8", errors="replace")
                raise RuntimeError(f"{exc}; the first worker's log ends: {log[-500:]!r}") from exc
            print(f"broker {server.url} ({Path(server.binary).name}), workers {', '.join(names)}", flush=True)
            return run_distributed(portals, archive, log_level=log_level, extra_settings=settings,
                                   broker=server.url)

