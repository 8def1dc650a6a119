"""WARC/1.1 records, built with warcio: request, response and revisit of one fetch; conversion of a text.

A response record stores the body as the server sent it, after transfer decoding and before content
decoding: a gzip-encoded page stays gzip bytes under its ``Content-Encoding`` header, so the record
replays. Headers that no longer describe the stored body are kept under the Common Crawl names
(``X-Crawler-Transfer-Encoding``, ``X-Crawler-Content-Length``) and ``Content-Length`` is set to the
stored length. Digests are SHA-256 (base32, the WARC convention); the payload digest covers the
stored body.

The clock and the record IDs are injected (``RecordFactory(clock=..., record_ids=...)``) so that
tests pin them and compare whole files byte for byte.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from io import BytesIO
from urllib.parse import urlsplit

from warcio.recordbuilder import RecordBuilder
from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date
from warcio.utils import Digester
from warcio.warcwriter import BaseWARCWriter

SOFTWARE = "nianbao/0.1.0 (warcio)"
RENDERED_HEADER = "WARC-Nianbao-Rendered"
TEXT_TYPE = "text/plain; charset=utf-8"
REVISIT_PROFILES = {  # WARC 1.1, 6.7: a body already archived; a 304 answer confirming an archived capture
    "identical-payload-digest": "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest",
    "server-not-modified": "http://netpreserve.org/warc/1.1/revisit/server-not-modified",
}
# Connection-level headers whose original values no longer describe the stored (de-chunked) body.
_RELABELLED = {"transfer-encoding": "X-Crawler-Transfer-Encoding", "content-length": "X-Crawler-Content-Length"}
_SECRET_REQUEST_HEADERS = {"proxy-authorization"}

Headers = tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Exchange:
    """One HTTP fetch as the crawler saw it: the request as sent and the response body as transferred."""

    url: str
    method: str
    request_headers: Headers
    request_body: bytes
    status: int
    response_headers: Headers
    body: bytes
    protocol: str = "HTTP/1.1"
    rendered: bool = False  # a browser rendered the page: the body is its DOM, not the server's bytes


@dataclass(frozen=True, slots=True)
class WarcRef:
    """Where a record is: the archive key of its WARC file, the offset of its gzip member, its ID."""

    file: str
    offset: int
    record_id: str


@dataclass(frozen=True, slots=True)
class Capture:
    """The response record that holds a payload: what a revisit of that payload or of its URL refers to."""

    uri: str
    date: str
    ref: WarcRef
    digest: str  # its WARC-Payload-Digest


@dataclass(frozen=True, slots=True)
class Record:
    """One serialized (uncompressed) WARC record."""

    type: str
    record_id: str
    uri: str
    date: str
    payload_digest: str | None
    data: bytes


def payload_digest(body: bytes) -> str:
    digester = Digester("sha256")
    digester.update(body)
    return str(digester)


def response_headers(exchange: Exchange) -> list[tuple[str, str]]:
    """The response headers relabelled so that they describe the stored body (see the module doc)."""
    headers = []
    for name, value in exchange.response_headers:
        relabel = _RELABELLED.get(name.lower())
        if relabel and not (name.lower() == "content-length" and value == str(len(exchange.body))):
            headers.append((relabel, value))
        elif not relabel:
            headers.append((name, value))
    headers.append(("Content-Length", str(len(exchange.body))))
    return headers


def request_target(url: str) -> tuple[str, str]:
    """(origin-form target, Host header) of ``url``."""
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else ""), parts.netloc


class _Serializer(BaseWARCWriter):
    """warcio's record writer with SHA-256 digests, writing one uncompressed record to bytes."""

    def __init__(self) -> None:
        RecordBuilder.__init__(self, warc_version="1.1")  # skips BaseWARCWriter's hostname lookup
        self.gzip = False

    @staticmethod
    def _create_digester() -> Digester:
        return Digester("sha256")

    def serialize(self, record: ArcWarcRecord) -> bytes:
        out = BytesIO()
        self._write_warc_record(out, record)
        return out.getvalue()


def _uuid_ids() -> Iterable[str]:
    while True:
        yield f"<urn:uuid:{uuid.uuid4()}>"


def counted_ids(prefix: str = "00000000-0000-0000-0000-") -> Iterable[str]:
    """Predictable record IDs (tests and golden files)."""
    return (f"<urn:uuid:{prefix}{n:012d}>" for n in itertools.count(1))


class RecordFactory:
    """Builds the records of fetches and texts; ``clock`` and ``record_ids`` default to now and UUIDs."""

    def __init__(
        self, clock: Callable[[], datetime] | None = None, record_ids: Iterable[str] | None = None
    ) -> None:
        self.clock = clock or (lambda: datetime.now(UTC))
        self._ids = iter(record_ids if record_ids is not None else _uuid_ids())
        self._serializer = _Serializer()

    def new_id(self) -> str:
        return next(self._ids)

    def now(self) -> str:
        return datetime_to_iso_date(self.clock().astimezone(UTC).replace(tzinfo=None), use_micros=True)

    def warcinfo(self, filename: str, crawl_id: str) -> Record:
        fields = {"software": SOFTWARE, "format": "WARC File Format 1.1",
                  "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
                  "isPartOf": crawl_id}
        block = "".join(f"{name}: {value}\r\n" for name, value in fields.items()).encode("utf-8")
        headers = {"WARC-Filename": filename}
        return self._record("", "warcinfo", self.now(), headers, block, "application/warc-fields")

    def fetch(self, exchange: Exchange, original: Capture | None,
              profile: str = "identical-payload-digest") -> tuple[Record, Record]:
        """The request record and the response record, or a revisit of ``original`` when given."""
        date = self.now()
        extra = {RENDERED_HEADER: "true"} if exchange.rendered else {}
        status = StatusAndHeaders(f"{exchange.status} {_reason(exchange.status)}".rstrip(),
                                  response_headers(exchange), protocol=exchange.protocol)
        response_id = self.new_id()
        if original is None:
            response = self._record(exchange.url, "response", date, extra, exchange.body,
                                    http_headers=status, record_id=response_id)
        else:
            response = self._revisit(exchange, date, response_id, status, original, profile, extra)
        target, host = request_target(exchange.url)
        headers = [("Host", host)] + [(n, v) for n, v in exchange.request_headers
                                      if n.lower() not in _SECRET_REQUEST_HEADERS | {"host"}]
        request_line = StatusAndHeaders(f"{exchange.method} {target} {exchange.protocol}", headers,
                                        is_http_request=True)
        request = self._record(exchange.url, "request", date, {**extra, "WARC-Concurrent-To": response_id},
                               exchange.request_body, http_headers=request_line)
        return request, response

    def conversion(self, uri: str, text: str, refers_to: str) -> Record:
        """The extracted text of the document whose response record is ``refers_to``."""
        return self._record(uri, "conversion", self.now(), {"WARC-Refers-To": refers_to},
                            text.encode("utf-8"), TEXT_TYPE)

    def _revisit(self, exchange: Exchange, date: str, record_id: str, status: StatusAndHeaders,
                 original: Capture, profile: str, extra: dict[str, str]) -> Record:
        """A revisit of ``original``. An identical payload keeps its own HTTP headers; a 304's block is empty
        (WARC 1.1 allows it), so replay tools show the status and headers of the capture it confirms, never
        a bodiless "304 Not Modified" page."""
        headers = _warc_headers("revisit", record_id, date, exchange.url,
                                {"WARC-Refers-To": original.ref.record_id, **extra})
        not_modified = profile == "server-not-modified"
        built = self._serializer.create_revisit_record(
            exchange.url, original.digest, original.uri,
            original.date, http_headers=None if not_modified else status, warc_headers_dict=headers)
        built.rec_headers.replace_header("WARC-Profile", REVISIT_PROFILES[profile])
        if not_modified:
            built.content_type = None  # no block, nothing to type
        return self._finish(built, exchange.url, date, record_id)

    def _record(self, uri: str, kind: str, date: str, headers: dict[str, str], block: bytes,
                content_type: str = "", http_headers: StatusAndHeaders | None = None,
                record_id: str | None = None) -> Record:
        record_id = record_id or self.new_id()
        built = self._serializer.create_warc_record(
            uri, kind, payload=BytesIO(block), length=len(block), warc_content_type=content_type,
            warc_headers_dict=_warc_headers(kind, record_id, date, uri, headers),
            http_headers=http_headers)
        return self._finish(built, uri, date, record_id)

    def _finish(self, built: ArcWarcRecord, uri: str, date: str, record_id: str) -> Record:
        digest = built.rec_headers.get_header("WARC-Payload-Digest")
        return Record(built.rec_type, record_id, uri, date, digest, self._serializer.serialize(built))


def _warc_headers(kind: str, record_id: str, date: str, uri: str, extra: dict[str, str]) -> dict[str, str]:
    """The leading WARC headers in their customary order; warcio appends digests and lengths."""
    return {"WARC-Type": kind, "WARC-Record-ID": record_id, "WARC-Date": date,
            **({"WARC-Target-URI": uri} if uri else {}), **extra}


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""
