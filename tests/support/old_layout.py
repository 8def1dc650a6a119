"""An archive as nianbao wrote it before the WARC series were split (the layout existing archives have).

Then: one series per crawl, ``warc/<crawl-id>/<n>.warc.gz`` (``WARC-Filename: <n>.warc.gz``), conversion
records among the captures, and 304 answers as plain ``response`` records. ``to_old_layout`` rewrites a
freshly crawled archive that way, record for record (the gzip members are copied, only the warcinfo and
the 304 records are rebuilt), with the index files and the records' ``warc_file``/``warc_offset`` to match.
"""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

from crawler.archive.records import record_bytes
from crawler.archive.warcfiles import gzip_member
from crawler.core.warc import Exchange, RecordFactory

NOT_MODIFIED = "server-not-modified"


def to_old_layout(archive: Path) -> None:
    moved: dict[tuple[str, int], tuple[str, int]] = {}  # (new key, offset) → (old key, offset)
    for crawl in sorted(p for p in (archive / "warc").iterdir() if p.is_dir()):
        old_key = f"warc/{crawl.name}/00000.warc.gz"
        data, index = bytearray(), []
        warcinfo = RecordFactory().warcinfo("00000.warc.gz", crawl.name)
        _add(data, index, gzip_member(warcinfo.data), {"warc-type": "warcinfo", "warc-date": warcinfo.date,
                                                      "warc-record-id": warcinfo.record_id})
        for series in ("warc", "wet"):
            for path in sorted((archive / series / crawl.name).glob("*.warc*.gz")):
                key = path.relative_to(archive).as_posix()
                body = path.read_bytes()
                for line in map(json.loads, path.with_name(_index_name(path)).read_text().splitlines()):
                    if line["warc-type"] == "warcinfo":
                        continue
                    start, length = int(line["offset"]), int(line["length"])
                    member = body[start:start + length]
                    if line["warc-type"] == "revisit" and NOT_MODIFIED in _headers(member):
                        member, line = _as_304_response(line)
                    moved[(key, start)] = (old_key, len(data))
                    _add(data, index, member, line)
                path.unlink()
                path.with_name(_index_name(path)).unlink()
        (crawl / "00000.warc.gz").write_bytes(bytes(data))
        (crawl / "00000.index.jsonl").write_text("".join(json.dumps(line) + "\n" for line in index))
    shutil.rmtree(archive / "wet", ignore_errors=True)
    for path in archive.glob("reports/*/*.json"):
        record = json.loads(path.read_text(encoding="utf-8"))
        source = record["source"]
        if source.get("warc_file"):
            source["warc_file"], source["warc_offset"] = moved[(source["warc_file"], source["warc_offset"])]
            path.write_bytes(record_bytes(record))


def _index_name(path: Path) -> str:
    return path.name.split(".warc")[0] + ".index.jsonl"


def _headers(member: bytes) -> str:
    return gzip.decompress(member).split(b"\r\n\r\n", 1)[0].decode("utf-8")


def _add(data: bytearray, index: list[dict], member: bytes, line: dict) -> None:
    index.append({**line, "offset": str(len(data)), "length": str(len(member))})
    data += member


def _as_304_response(line: dict) -> tuple[bytes, dict]:
    """The 304 as the old code recorded it: a response record (same record ID, so its request still points at it)."""
    exchange = Exchange(line["warc-target-uri"], "GET", (), b"", 304, (), b"")
    _request, response = RecordFactory(record_ids=[line["warc-record-id"], "<urn:uuid:unused>"]).fetch(exchange, None)
    return gzip_member(response.data), {"warc-type": "response", "warc-target-uri": response.uri,
                                        "warc-date": response.date, "warc-record-id": response.record_id,
                                        "warc-payload-digest": response.payload_digest}
