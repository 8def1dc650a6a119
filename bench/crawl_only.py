"""bench_crawl's middle row: ``nianbao crawl --registry`` with the item pipelines switched off.

``python -m bench.crawl_only REGISTRY ARCHIVE PROXY`` runs the same spiders, robots.txt, proxy and raw
capture as the full crawl (AutoThrottle off, as in bench_crawl's compared rows), but no extraction,
parsing, dedup or archiving of records, and prints the responses received: the gap to the full pipeline
is the parse step, the gap to bare Scrapy our crawling.
"""

from __future__ import annotations

import sys

from crawler.registry import load_registry
from crawler.run.runner import run_portals


def main(argv: list[str]) -> int:
    registry, archive, proxy = argv
    report = run_portals(list(load_registry(registry)), archive,
                         extra_settings={"NIANBAO_PROXY": proxy, "ITEM_PIPELINES": {},
                                                 "AUTOTHROTTLE_ENABLED": False})
    print(report["counts"]["pages_fetched"])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
