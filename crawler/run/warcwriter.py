"""The run's WARC files behind one thread: every crawler of a run writes its records through it."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from crawler.archive.warcfiles import WarcFiles

T = TypeVar("T")


class SharedWarcFiles:
    """One ``WarcFiles`` for the crawlers of a run (``RunSession.warc_files``), closed by its last user.

    Its blocking work runs in a thread of its own, in submission order: a write then never queues
    behind the long extraction jobs of the shared default executor, and the writes are serialized anyway.
    """

    def __init__(self, files: WarcFiles) -> None:
        self.files = files
        self.users = 0
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="nianbao-warc")
        self._opened: asyncio.Future[None] | None = None

    async def call(self, work: Callable[[WarcFiles], T]) -> T:
        """``work(files)`` in the WARC thread, once the archive's digest index is read."""
        loop = asyncio.get_running_loop()
        if self._opened is None:
            self._opened = loop.run_in_executor(self._thread, self.files.open)
        await asyncio.shield(self._opened)
        return await loop.run_in_executor(self._thread, work, self.files)

    async def close(self) -> None:
        """Upload the open files and stop the thread."""
        await asyncio.get_running_loop().run_in_executor(self._thread, self.files.close)
        self._thread.shutdown()
