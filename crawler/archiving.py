"""Archive writes from Scrapy components: off the reactor thread, counted in the crawl stats."""

from __future__ import annotations

import asyncio

from scrapy.settings import BaseSettings
from scrapy.statscollectors import StatsCollector

from storage import Storage, open_storage


def storage_from_settings(settings: BaseSettings) -> Storage:
    return open_storage(settings.get("NIANBAO_ARCHIVE_URI"))


async def put_object(
    storage: Storage, stats: StatsCollector | None, key: str, data: bytes, *, replace: bool = False
) -> bool:
    written = await asyncio.to_thread(storage.put, key, data, replace=replace)
    if written and stats is not None:
        stats.inc_value("nianbao/objects_written")
    return written
