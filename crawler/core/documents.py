"""Any fetched body to ``Extracted``: sniff the type, then read it with that type's reader.

Sniffing trusts the bytes first (magic numbers, the member names of a zip, the stream names of an
OLE2 file), then the Content-Type, then the file name's extension; portals serve PDFs as
``application/octet-stream`` and HTML error pages under ``.pdf`` names.

Binary readers (PDF, DOCX, XLSX, XLS, DOC/WPS) run in warm child interpreters (``readers.pool``)
with a wall-clock timeout per read and an address-space cap, so a hostile or broken file costs a
logged reason, never a hang or a crashed crawl. Sizes are checked
before anything is parsed: the whole body, the zip directory of OOXML files, PDF page counts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from crawler.core.encoding import Decoded, decode
from crawler.core.extraction import extract
from crawler.core.guard import bounded
from crawler.core.readers.common import Limits, UnreadableDocument
from crawler.core.readers.pool import POOL
from crawler.core.texthead import guess_title
from crawler.core.types import Extracted

__all__ = ["BINARY_KINDS", "Document", "Limits", "UnreadableDocument", "read_document", "sniff"]

BINARY_KINDS = ("pdf", "docx", "xlsx", "xls", "doc")
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HTML_START = re.compile(rb"^\s*<(!doctype\s+html|html|head|body|meta|title|div|p|table|!--)", re.IGNORECASE)
_MARKUP = re.compile(rb"<(html|head|body|p|div|br|table|span|font|a|h[1-6]|meta|title|td|li)[\s/>]", re.IGNORECASE)
_EXTENSIONS = {
    ".pdf": "pdf", ".docx": "docx", ".doc": "doc", ".wps": "doc", ".xlsx": "xlsx", ".xls": "xls", ".et": "xls",
    ".html": "html", ".htm": "html", ".shtml": "html", ".jhtml": "html", ".txt": "txt",
}
_CONTENT_TYPES = (
    ("application/pdf", "pdf"),
    ("wordprocessingml", "docx"),
    ("spreadsheetml", "xlsx"),
    ("application/msword", "doc"),
    ("application/vnd.ms-works", "doc"),
    ("application/wps", "doc"),
    ("application/vnd.ms-excel", "xls"),
    ("text/html", "html"),
    ("application/xhtml", "html"),
    ("text/plain", "txt"),
)


@dataclass(frozen=True, slots=True)
class Document:
    kind: str  # html | txt | pdf | docx | doc | xls | xlsx
    extracted: Extracted
    encoding: Decoded | None = None  # how html and txt were decoded; None for binary types
    needs_ocr: bool = False
    warnings: tuple[str, ...] = field(default=())


def sniff(body: bytes, content_type: str | None = None, name: str | None = None) -> str:
    """The document type: magic bytes, then Content-Type, then extension, then html/txt by the text."""
    head = body[:2048]
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        if b"word/" in body[:65536] or _zip_has(body, "word/document.xml"):
            return "docx"
        if b"xl/" in body[:65536] or _zip_has(body, "xl/workbook.xml"):
            return "xlsx"
    if head.startswith(_OLE2):
        return _ole2_kind(body, content_type, name)
    if _HTML_START.search(head.lstrip(b"\xef\xbb\xbf")):
        return "html"
    # Markup or not is read from the bytes: a plain-text body served at …/166938.jhtml is text.
    return "html" if _MARKUP.search(body[:16384].replace(b"\x00", b"")) else "txt"  # NULs: UTF-16 markup


def _zip_has(body: bytes, member: str) -> bool:
    return member.encode() in body[-65536:]  # names repeat in the central directory at the end


def _ole2_kind(body: bytes, content_type: str | None, name: str | None) -> str:
    """Word and Excel share the OLE2 container; their stream names (UTF-16LE) tell them apart.
    WordDocument is checked first: a Word file can embed a workbook, never the other way round."""
    if "WordDocument".encode("utf-16-le") in body:
        return "doc"
    if "Workbook".encode("utf-16-le") in body or "Book".encode("utf-16-le") + b"\x00\x00" in body:
        return "xls"
    return _kind_from_content_type(content_type) or _kind_from_name(name) or "doc"


def _kind_from_content_type(content_type: str | None) -> str | None:
    value = (content_type or "").lower()
    return next((kind for marker, kind in _CONTENT_TYPES if marker in value), None)


def _kind_from_name(name: str | None) -> str | None:
    if not name:
        return None
    path = urlsplit(name).path if "://" in name else name
    return _EXTENSIONS.get(PurePosixPath(path).suffix.lower())


def read_document(
    body: bytes, content_type: str | None = None, name: str | None = None, limits: Limits | None = None
) -> Document:
    """Read any supported body; raises ``UnreadableDocument`` with the reason when it cannot."""
    limits = limits or Limits()
    if len(body) > limits.max_bytes:
        raise UnreadableDocument(f"{len(body)} bytes, over the {limits.max_bytes}-byte limit")
    if not body.strip():
        raise UnreadableDocument("empty body")
    kind = sniff(body, content_type, name)
    if kind in ("html", "txt"):
        with bounded(limits, kind):  # read here, not in a child: bounded as the children are
            decoded = decode(body, content_type)
            if kind == "html":
                return Document(kind, extract(decoded.text), encoding=decoded, warnings=decoded.warnings)
            text = decoded.text.strip()
            return Document(kind, Extracted(title=guess_title(text), text=text), encoding=decoded,
                            warnings=decoded.warnings)
    extracted = _read_in_child(kind, body, limits)
    scanned = int(extracted.metadata.get("image_only_pages", "0"))
    if scanned:
        warning = f"needs_ocr: {scanned} image-only page(s), no text layer"
    elif not extracted.text.strip():
        warning = "needs_ocr: no text in the document"
    else:
        recognized = int(extracted.metadata.get("ocr_pages", "0"))
        note = f"ocr: {recognized} image-only page(s) read by tesseract; check the numbers"
        return Document(kind, extracted, warnings=(note,) if recognized else ())
    return Document(kind, extracted, needs_ocr=True, warnings=(warning,))


def _read_in_child(kind: str, body: bytes, limits: Limits) -> Extracted:
    reply = POOL.read(kind, body, limits)
    tables = tuple(tuple(tuple(row) for row in grid) for grid in reply["tables"])
    return Extracted(title=reply["title"], text=reply["text"], metadata=reply["metadata"], tables=tables)
