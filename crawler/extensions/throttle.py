"""AutoThrottle that lets a 304 lower the delay as a 200 does.

Scrapy's AutoThrottle never shortens the delay on a non-200 answer (small error pages would make it
speed up). A 304 is the normal answer of an unchanged page in an incremental crawl, not an error; held
at ``AUTOTHROTTLE_START_DELAY`` an unchanged portal would take longer to revalidate than to crawl.
"""

from __future__ import annotations

from scrapy.core.downloader import Slot
from scrapy.extensions.throttle import AutoThrottle
from scrapy.http import Response


class RevalidatingAutoThrottle(AutoThrottle):
    def _adjust_delay(self, slot: Slot, latency: float, response: Response) -> None:
        super()._adjust_delay(slot, latency, response.replace(status=200) if response.status == 304 else response)
