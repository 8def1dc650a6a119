"""The WARC files of one crawl: ``warc/<crawl-id>/<n>.warc.gz``, rotated by size, uploaded when full.

The current file is written in a local temporary directory, one gzip member per record, and put into
the archive (put-if-absent) when it reaches ``max_bytes`` and when the crawl closes. Beside each file
goes ``<n>.index.jsonl``: the lines ``warcio index -f <INDEX_FIELDS>`` prints for it. The response
lines of all index files are the payload-digest index that turns a body already archived, in this
run or an earlier one, into a revisit record; it is read when the crawl opens.

Blocking (file IO, gzip, digests, uploads): call from a worker thread. Thread-safe.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
import threading
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from crawler.core.warc import Capture, Exchange, Record, RecordFactory, WarcRef
from storage import Storage, StorageError

INDEX_FIELDS = ("warc-type", "warc-target-uri", "warc-date", "warc-record-id", "warc-payload-digest", "offset",
                "length")
GZIP_LEVEL = 6  # warcio writes level 9: about twice the CPU for a few per cent smaller files
_NUMBERED = re.compile(r"(\d+)\.warc\.gz$")


def warc_prefix(crawl_id: str) -> str:
    return f"warc/{crawl_id}/"


def index_key(warc_key: str) -> str:
    return warc_key.removesuffix(".warc.gz") + ".index.jsonl"


def gzip_member(data: bytes) -> bytes:
    compressor = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    return compressor.compress(data) + compressor.flush()


@dataclass
class _OpenFile:
    key: str
    path: Path
    size: int = 0
    index: list[str] = field(default_factory=list)


class WarcFiles:
    def __init__(self, storage: Storage, crawl_id: str, max_bytes: int, factory: RecordFactory | None = None) -> None:
        self.storage = storage
        self.crawl_id = crawl_id
        self.max_bytes = max_bytes
        self.factory = factory or RecordFactory()
        self.captures: dict[str, Capture] = {}  # payload digest → the response record holding that payload
        self._lock = threading.Lock()
        self._tmp = Path(tempfile.mkdtemp(prefix="nianbao-warc-"))
        self._next = 0
        self._current: _OpenFile | None = None

    def open(self) -> None:
        """Read the digest index of every WARC file in the archive; number new files after this crawl's."""
        numbers = [-1]
        for key in self.storage.keys("warc/"):
            if key.startswith(warc_prefix(self.crawl_id)) and (match := _NUMBERED.search(key)):
                numbers.append(int(match.group(1)))
            elif key.endswith(".index.jsonl"):
                self._load_index(key)
        self._next = max(numbers) + 1

    def _load_index(self, key: str) -> None:
        warc_key = key.removesuffix(".index.jsonl") + ".warc.gz"
        for line in self.storage.get(key).decode("utf-8").splitlines():
            entry = json.loads(line)
            if entry["warc-type"] == "response" and entry.get("warc-payload-digest"):
                ref = WarcRef(warc_key, int(entry["offset"]), entry["warc-record-id"])
                capture = Capture(entry["warc-target-uri"], entry["warc-date"], ref)
                self.captures.setdefault(entry["warc-payload-digest"], capture)

    def write_fetch(self, exchange: Exchange, digest: str) -> tuple[WarcRef, bool]:
        """Write the request and the response (a revisit if ``digest`` is archived).

        Returns where the payload's response record is, and whether this fetch was a revisit.
        """
        with self._lock:
            self._file()  # the warcinfo record goes first, dated before the fetch
            # Empty bodies (redirects, HEAD) are never revisits: there is no payload to refer to.
            original = self.captures.get(digest) if exchange.body else None
            request, response = self.factory.fetch(exchange, original)
            self._append(request)
            ref = self._append(response)
            if original is None and exchange.body:
                self.captures[digest] = Capture(response.uri, response.date, ref)
            full = self._rotate_if_full()
        self._upload(full)
        return (original.ref if original else ref), original is not None

    def write_conversion(self, uri: str, text: str, refers_to: str) -> WarcRef:
        with self._lock:
            self._file()
            ref = self._append(self.factory.conversion(uri, text, refers_to))
            full = self._rotate_if_full()
        self._upload(full)
        return ref

    def close(self) -> None:
        """Upload the current file; remove the temporary directory."""
        with self._lock:
            last, self._current = self._current, None
        try:
            self._upload(last)
        finally:
            shutil.rmtree(self._tmp, ignore_errors=True)

    def _append(self, record: Record) -> WarcRef:
        current = self._file()
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

    def _file(self) -> _OpenFile:
        """The current file; a new one, starting with its warcinfo record, if there is none."""
        if self._current is None:
            name = f"{self._next:05d}.warc.gz"
            self._next += 1
            self._current = _OpenFile(warc_prefix(self.crawl_id) + name, self._tmp / name)
            self._append(self.factory.warcinfo(name, self.crawl_id))
        return self._current

    def _rotate_if_full(self) -> _OpenFile | None:
        if self._current is None or self._current.size < self.max_bytes:
            return None
        full, self._current = self._current, None
        return full

    def _upload(self, done: _OpenFile | None) -> None:
        if done is None:
            return
        if not self.storage.put(done.key, done.path.read_bytes()):
            raise StorageError(f"{done.key} already exists in {self.storage.location}: another crawl wrote it")
        self.storage.put(index_key(done.key), ("\n".join(done.index) + "\n").encode("utf-8"))
        done.path.unlink()
