"""The WARC files of one crawl, rotated by size, uploaded when full.

Two series of files, each named ``nianbao-<crawl-id>-<serial>-<host>`` (the prefix-timestamp-serial-host
convention of the WARC 1.1 guidelines and warcprox; the crawl ID is the timestamp), the same name in the
warcinfo record's ``WARC-Filename``:

- captures, ``warc/<crawl-id>/<name>.warc.gz``: request, response and revisit records, what replay tools
  (pywb, ReplayWeb.page) index;
- texts, ``wet/<crawl-id>/<name>.warc.wet.gz``: the conversion records of the extracted texts (as Common
  Crawl keeps WET files beside its WARC files), so no replay tool mistakes a text for a capture.

Archives written before the series were split hold ``warc/<crawl-id>/<n>.warc.gz`` files with captures and
conversions together; they are read alike (digest index, serial numbers).

The current file of a series is written in a local temporary directory, one gzip member per record, and
put into the archive (put-if-absent) when it reaches ``max_bytes`` and when the crawl closes. Beside each
file goes ``<name>.index.jsonl``: the lines ``warcio index -f <INDEX_FIELDS>`` prints for it. The lines of
all capture index files are the payload-digest index that turns a body already archived, in this run or
an earlier one, into an identical-payload revisit, and the URL index that turns a 304 answer into a
server-not-modified revisit of the capture it confirms; both are read when the crawl opens.

Blocking (file IO, gzip, digests, uploads): call from a worker thread. Thread-safe.
"""

from __future__ import annotations

import json
import re
import shutil
import socket
import tempfile
import threading
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from crawler.archive.layout import CAPTURES, TEXTS, warc_prefix
from crawler.core.warc import Capture, Exchange, Record, RecordFactory, WarcRef, payload_digest
from storage import Storage, StorageError

INDEX_FIELDS = ("warc-type", "warc-target-uri", "warc-date", "warc-record-id", "warc-payload-digest", "offset",
                "length")
GZIP_LEVEL = 6  # warcio writes level 9: about twice the CPU for a few per cent smaller files
_SUFFIXES = {CAPTURES: ".warc.gz", TEXTS: ".warc.wet.gz"}
_SERIAL = re.compile(r"(\d+)")
_EMPTY = payload_digest(b"")  # redirects, and 304s of archives written before they were revisits


def index_key(warc_key: str) -> str:
    for suffix in _SUFFIXES.values():
        if warc_key.endswith(suffix):
            return warc_key.removesuffix(suffix) + ".index.jsonl"
    raise ValueError(f"not a WARC file key: {warc_key}")


def is_warc_key(key: str) -> bool:
    return key.endswith(tuple(_SUFFIXES.values()))


def host_label(name: str | None = None) -> str:
    """This machine's name as a file-name part (letters, digits, dots and hyphens)."""
    return re.sub(r"[^A-Za-z0-9.-]+", "-", name or socket.gethostname()).strip(".-") or "localhost"


def gzip_member(data: bytes) -> bytes:
    compressor = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    return compressor.compress(data) + compressor.flush()


@dataclass
class _OpenFile:
    key: str
    path: Path
    size: int = 0
    index: list[str] = field(default_factory=list)


@dataclass
class _Series:
    """The numbered files of one kind in one crawl: the next serial and the file being written."""

    prefix: str
    suffix: str
    next: int = 0
    current: _OpenFile | None = None


class WarcFiles:
    def __init__(self, storage: Storage, crawl_id: str, max_bytes: int, factory: RecordFactory | None = None,
                 host: str | None = None) -> None:
        self.storage = storage
        self.crawl_id = crawl_id
        self.max_bytes = max_bytes
        self.factory = factory or RecordFactory()
        self.host = host_label(host)
        self.captures: dict[str, Capture] = {}  # payload digest → the response record holding that payload
        self.latest: dict[str, Capture] = {}  # URL → the response record holding its last captured payload
        self._series = {kind: _Series(warc_prefix(crawl_id, kind), suffix) for kind, suffix in _SUFFIXES.items()}
        self._lock = threading.Lock()
        self._tmp = Path(tempfile.mkdtemp(prefix="nianbao-warc-"))

    def open(self) -> None:
        """Read the index of every capture file in the archive; number new files after this crawl's."""
        for key in self.storage.keys(CAPTURES):
            if key.endswith(".index.jsonl"):
                self._load_index(key)
        for series in self._series.values():
            series.next = 1 + max((self._serial(series, key) for key in self.storage.keys(series.prefix)),
                                  default=-1)

    def _serial(self, series: _Series, key: str) -> int:
        """The serial number of a file of ``series`` (either layout); -1 for other keys."""
        name = key.removeprefix(series.prefix)
        if "/" in name or not name.endswith(series.suffix):
            return -1
        match = _SERIAL.match(name.removeprefix(f"nianbao-{self.crawl_id}-"))
        return int(match.group(1)) if match else -1

    def _load_index(self, key: str) -> None:
        warc_key = key.removesuffix(".index.jsonl") + ".warc.gz"
        for line in self.storage.get(key).decode("utf-8").splitlines():
            entry = json.loads(line)
            digest = entry.get("warc-payload-digest")
            if entry["warc-type"] == "response" and digest and digest != _EMPTY:
                ref = WarcRef(warc_key, int(entry["offset"]), entry["warc-record-id"])
                capture = self.captures.setdefault(digest, Capture(entry["warc-target-uri"], entry["warc-date"],
                                                                   ref, digest))
                self.latest[entry["warc-target-uri"]] = capture
            elif entry["warc-type"] == "revisit" and digest in self.captures:
                self.latest[entry["warc-target-uri"]] = self.captures[digest]

    def write_fetch(self, exchange: Exchange) -> tuple[WarcRef, bool]:
        """Write the request and the response, or a revisit: of the archived payload when the body's digest
        is known, of the URL's last capture when the answer is a 304.

        Returns where the payload's response record is, and whether this fetch was a revisit.
        """
        digest = payload_digest(exchange.body)
        captures = self._series[CAPTURES]
        with self._lock:
            self._file(captures)  # the warcinfo record goes first, dated before the fetch
            if exchange.status == 304:
                original, profile = self.latest.get(exchange.url), "server-not-modified"
            else:
                # Empty bodies (redirects, HEAD) are never revisits: there is no payload to refer to.
                original, profile = (self.captures.get(digest) if exchange.body else None), "identical-payload-digest"
            request, response = self.factory.fetch(exchange, original, profile)
            self._append(captures, request)
            ref = self._append(captures, response)
            if original is None and exchange.body:
                self.captures[digest] = Capture(response.uri, response.date, ref, digest)
            if original is not None or exchange.body:
                self.latest[exchange.url] = original or self.captures[digest]
            full = self._rotate_if_full(captures)
        self._upload(full)
        return (original.ref if original else ref), original is not None

    def write_conversion(self, uri: str, text: str, refers_to: str) -> WarcRef:
        """The text's conversion record, in this crawl's text WARC."""
        texts = self._series[TEXTS]
        with self._lock:
            self._file(texts)
            ref = self._append(texts, self.factory.conversion(uri, text, refers_to))
            full = self._rotate_if_full(texts)
        self._upload(full)
        return ref

    def close(self) -> None:
        """Upload the current files; remove the temporary directory."""
        with self._lock:
            last = [series.current for series in self._series.values()]
            for series in self._series.values():
                series.current = None
        try:
            for done in last:
                self._upload(done)
        finally:
            shutil.rmtree(self._tmp, ignore_errors=True)

    def _append(self, series: _Series, record: Record) -> WarcRef:
        current = self._file(series)
        offset = current.size
        member = gzip_member(record.data)
        with current.path.open("ab") as handle:
            handle.write(member)
        current.size += len(member)
        line = {"warc-type": record.type, "warc-target-uri": record.uri or None, "warc-date": record.date,
                "warc-record-id": record.record_id, "warc-payload-digest": record.payload_digest,
                "offset": str(offset), "length": str(len(member))}
        current.index.append(json.dumps({k: v for k, v in line.items() if v is not None}))
        return WarcRef(current.key, offset, record.record_id)

    def _file(self, series: _Series) -> _OpenFile:
        """The current file of ``series``; a new one, starting with its warcinfo record, if there is none."""
        if series.current is None:
            name = f"nianbao-{self.crawl_id}-{series.next:05d}-{self.host}{series.suffix}"
            series.next += 1
            series.current = _OpenFile(series.prefix + name, self._tmp / name)
            self._append(series, self.factory.warcinfo(name, self.crawl_id))
        return series.current

    def _rotate_if_full(self, series: _Series) -> _OpenFile | None:
        if series.current is None or series.current.size < self.max_bytes:
            return None
        full, series.current = series.current, None
        return full

    def _upload(self, done: _OpenFile | None) -> None:
        if done is None:
            return
        if not self.storage.put(done.key, done.path.read_bytes()):
            raise StorageError(f"{done.key} already exists in {self.storage.location}: another crawl wrote it")
        self.storage.put(index_key(done.key), ("\n".join(done.index) + "\n").encode("utf-8"))
        done.path.unlink()
