"""Archive access from Scrapy components: one storage per archive in the process, writes off the reactor.

Every component of every crawler in a run shares the same storage object for an archive URI, so that
when a remote archive fails they all see it at once and their later writes go to the same spool.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from dataclasses import dataclass, field

from scrapy.settings import BaseSettings
from scrapy.statscollectors import StatsCollector

from crawler.archiveindex import ReportIndex
from storage import LocalStorage, Storage, StorageError, open_storage
from storage.spool import SpooledStorage, spool_dir_for

_OPEN: dict[tuple[str, str, str], Storage] = {}


@dataclass
class ArchiveSession:
    """What every crawler of a run writing one archive must share, so copies merge across portals."""

    storage: Storage
    index: ReportIndex | None = None  # loaded by the first DedupPipeline to open
    index_saved_at: float = 0.0  # time.monotonic() of its last save: saved at most every NIANBAO_STATE_SAVE_INTERVAL
    loading: asyncio.Lock = field(default_factory=asyncio.Lock)
    record_locks: defaultdict[str, asyncio.Lock] = field(default_factory=lambda: defaultdict(asyncio.Lock))
    waiting_copies: defaultdict[str, list[str]] = field(default_factory=lambda: defaultdict(list))


_SESSIONS: dict[int, ArchiveSession] = {}
_WRITE_FAILURES: dict[int, StorageError] = {}  # id(storage) → its first failed write (a full disk)


def write_failure(storage: Storage) -> StorageError | None:
    """The first write ``storage`` refused in this run, if any: ``ArchiveHealth`` stops the crawl on it."""
    return _WRITE_FAILURES.get(id(storage))


def session_from_settings(settings: BaseSettings) -> ArchiveSession:
    storage = storage_from_settings(settings)
    if id(storage) not in _SESSIONS:
        _SESSIONS[id(storage)] = ArchiveSession(storage)
    return _SESSIONS[id(storage)]


def storage_from_settings(settings: BaseSettings) -> Storage:
    """The archive of ``NIANBAO_ARCHIVE_URI``, one object per crawl run; a remote one is wrapped in a
    spool (``NIANBAO_SPOOL_DIR``)."""
    uri, spool = settings.get("NIANBAO_ARCHIVE_URI"), settings.get("NIANBAO_SPOOL_DIR")
    opened = (uri, spool, settings.get("NIANBAO_CRAWL_ID"))
    if opened not in _OPEN:
        storage = open_storage(uri)
        if spool and not isinstance(storage, LocalStorage):
            storage = SpooledStorage(storage, spool_dir_for(spool, storage.location))
        _OPEN[opened] = storage
    return _OPEN[opened]


async def put_object(
    storage: Storage, stats: StatsCollector | None, key: str, data: bytes, *, replace: bool = False
) -> bool:
    try:
        written = await asyncio.to_thread(storage.put, key, data, replace=replace)
    except StorageError as exc:
        _WRITE_FAILURES.setdefault(id(storage), exc)
        raise
    if written and stats is not None:
        spooled = getattr(storage, "unavailable", None) is not None
        stats.inc_value("nianbao/objects_spooled" if spooled else "nianbao/objects_written")
    return written
