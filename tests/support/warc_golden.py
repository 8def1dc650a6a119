"""Golden WARC files: fixed fetches written with a pinned clock and record IDs, compared byte for byte.

Two crawls into one archive: the first writes responses (plain, gzip-encoded with relabelled
transfer headers, a redirect, a rendered page, a PDF) and a conversion record; the second fetches
the same bodies again and writes identical-payload revisits from the first crawl's index, and gets a 304
for one page: a server-not-modified revisit. The goldens are the uncompressed bytes of every WARC file,
captures and texts, under their archive names (gzip output may differ between zlib builds; the records
may not).

Re-bless after an intended change: ``.venv/bin/python -m tests.warc_golden``
"""

from __future__ import annotations

import gzip
import itertools
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from crawler.archive.warcfiles import WarcFiles, is_warc_key
from crawler.core.warc import Exchange, RecordFactory, counted_ids
from storage import LocalStorage

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "warc"
CRAWLS = ("golden-1", "golden-2")
MACHINE = "golden-host"
HOST = "http://www.yangli.gov.test"
PAGE = "<html><head><title>样例县2023年政府信息公开工作年度报告</title></head><body>一、总体情况</body></html>"
TEXT = "样例县2023年政府信息公开工作年度报告\n一、总体情况"
REQUEST = (("Accept", "text/html"), ("User-Agent", "nianbao/0.1"), ("Accept-Encoding", "gzip, deflate"),
           ("Proxy-Authorization", "Basic c2VjcmV0"))


def exchanges() -> list[Exchange]:
    html = PAGE.encode("utf-8")
    page = (("Content-Type", "text/html; charset=utf-8"),)
    return [
        Exchange(f"{HOST}/index.html", "GET", REQUEST, b"", 200, page, html),
        # Twisted handed over the de-chunked body; the stored body stays gzip, as sent.
        Exchange(f"{HOST}/xxgk/t1.html", "GET", REQUEST, b"", 200,
                 (*page, ("Content-Encoding", "gzip"), ("Transfer-Encoding", "chunked"), ("Content-Length", "9")),
                 gzip.compress(html, mtime=0)),
        Exchange(f"{HOST}/old.html", "GET", REQUEST, b"", 301, (("Location", f"{HOST}/index.html"),), b""),
        Exchange(f"{HOST}/rendered.html", "GET", REQUEST, b"", 200, page, html.replace(b"body>", b"main>"),
                 rendered=True),
        Exchange(f"{HOST}/xxgk/P020240101.pdf", "GET", REQUEST, b"", 200, (("Content-Type", "application/pdf"),),
                 b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", protocol="HTTP/1.0"),
    ]


def pinned_factory(crawl: int) -> RecordFactory:
    start = datetime(2024, 1, 1, 3, 4, 5, 678000, tzinfo=UTC) + timedelta(days=crawl)
    ticks = itertools.count()
    return RecordFactory(clock=lambda: start + timedelta(seconds=next(ticks)),
                         record_ids=counted_ids(f"0000000{crawl}-0000-0000-0000-"))


def write_crawls(root: Path) -> dict[str, bytes]:
    """Both crawls into an archive at ``root``; the uncompressed bytes of each WARC file by golden name."""
    storage = LocalStorage(root)
    for number, crawl_id in enumerate(CRAWLS, start=1):
        files = WarcFiles(storage, crawl_id, max_bytes=1 << 20, factory=pinned_factory(number), host=MACHINE)
        files.open()
        for exchange in exchanges() + (not_modified() if number == 2 else []):
            ref, _ = files.write_fetch(exchange)
            if number == 1 and exchange.url.endswith("t1.html"):
                files.write_conversion(exchange.url, TEXT, ref.record_id)
        files.close()
    return {Path(key).name.removesuffix(".gz"): gzip.decompress(storage.get(key))
            for prefix in ("warc/", "wet/") for key in sorted(storage.keys(prefix)) if is_warc_key(key)}


def not_modified() -> list[Exchange]:
    """The index page asked again with its validator: the portal answers 304."""
    headers = (*REQUEST, ("If-None-Match", '"v1"'))
    return [Exchange(f"{HOST}/index.html", "GET", headers, b"", 304, (("ETag", '"v1"'),), b"")]


def bless() -> list[Path]:
    GOLDEN.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        written = write_crawls(Path(tmp))
    for stale in GOLDEN.glob("*.warc*"):
        stale.unlink()
    paths = []
    for name, data in written.items():
        (GOLDEN / name).write_bytes(data)
        paths.append(GOLDEN / name)
    return paths


if __name__ == "__main__":
    for path in bless():
        print(f"blessed {path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path}")
    sys.exit(0)
