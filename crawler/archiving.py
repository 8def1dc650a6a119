"""Archive access from Scrapy components: one storage per archive in the process, writes off the reactor.

Every component of every crawler in a run shares the same storage object for an archive URI, so that
when a remote archive fails they all see it at once and their later writes go to the same spool.
"""

from __future__ import annotations

import asyncio

from scrapy.settings import BaseSettings
from scrapy.statscollectors import StatsCollector

from storage import LocalStorage, Storage, open_storage
from storage.spool import SpooledStorage, spool_dir_for

_OPEN: dict[tuple[str, str], Storage] = {}


def storage_from_settings(settings: BaseSettings) -> Storage:
    """The archive of ``NIANBAO_ARCHIVE_URI``; a remote one is wrapped in a spool (``NIANBAO_SPOOL_DIR``)."""
    uri, spool = settings.get("NIANBAO_ARCHIVE_URI"), settings.get("NIANBAO_SPOOL_DIR")
    if (uri, spool) not in _OPEN:
        storage = open_storage(uri)
        if spool and not isinstance(storage, LocalStorage):
            storage = SpooledStorage(storage, spool_dir_for(spool, storage.location))
        _OPEN[uri, spool] = storage
    return _OPEN[uri, spool]


async def put_object(
    storage: Storage, stats: StatsCollector | None, key: str, data: bytes, *, replace: bool = False
) -> bool:
    written = await asyncio.to_thread(storage.put, key, data, replace=replace)
    if written and stats is not None:
        spooled = getattr(storage, "unavailable", None) is not None
        stats.inc_value("nianbao/objects_spooled" if spooled else "nianbao/objects_written")
    return written
