"""Bytes of one fetched document to the report record of docs/DESIGN.md (``nianbao.report/1``)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from crawler.archive.layout import raw_key
from crawler.core.attachments import attachment_links, in_page_context, is_attachment_only
from crawler.core.classification import classify
from crawler.core.documents import Limits, read_document
from crawler.core.extraction import joined
from crawler.core.metadata import report_metadata
from crawler.core.normalize import for_matching
from crawler.core.parsing import parse_report, report_format

SCHEMA = "nianbao.report/1"
PARSER_VERSION = "0.1.0"


@dataclass(frozen=True, slots=True)
class Fetched:
    """One fetched body with what the transport said about it."""

    body: bytes
    url: str
    final_url: str | None = None
    status: int | None = None
    content_type: str | None = None
    fetched_at: str | None = None
    portal: str | None = None
    warc_file: str | None = None  # archive key of the WARC file holding the response record of the body
    warc_offset: int | None = None


def report_id(text: str) -> str:
    """SHA-256 of the main text after NFKC, 繁→简 and whitespace removal: the dedup key."""
    return hashlib.sha256(for_matching(text).encode("utf-8")).hexdigest()


def build_record(fetched: Fetched, page: Fetched | None = None, limits: Limits | None = None,
                 continued: Sequence[Fetched] = ()) -> dict[str, Any]:
    """The record of one document; ``page`` is the article page an attachment was linked from,
    ``continued`` the further pages of a long article (t…_1.html …), joined to it in order.

    Raises ``crawler.core.documents.UnreadableDocument`` (with the reason) for unreadable bodies.
    """
    document = read_document(fetched.body, fetched.content_type, fetched.final_url or fetched.url, limits)
    decoded, extracted = document.encoding, document.extracted
    if continued:
        extracted = joined(extracted, [read_document(part.body, part.content_type, part.url, limits).extracted
                                       for part in continued])
    if page is not None:
        extracted = in_page_context(extracted, read_document(page.body, page.content_type, page.url).extracted)
    links = attachment_links(decoded.text, fetched.final_url or fetched.url) if document.kind == "html" else ()
    urls = tuple(url for url in (fetched.final_url or fetched.url, page.url if page else None) if url)
    verdict = classify(extracted.title, extracted.text, extracted.link_share, urls)
    meta = report_metadata(extracted.title, extracted.text, extracted.metadata)
    parsed = parse_report(extracted.text, extracted.tables)
    fmt, format_source = report_format(parsed.format, meta.year)
    raw_sha256 = hashlib.sha256(fetched.body).hexdigest()
    warnings = list(document.warnings) + list(parsed.warnings)
    if not extracted.text:
        warnings.append("no main text extracted")
    if decoded and decoded.replacement_share > 0:
        warnings.append(f"decoding replaced {decoded.replacement_share:.2%} of characters")
    return {
        "schema": SCHEMA,
        # A document without text (a scan) is identified by its bytes, so scans never merge.
        "report_id": report_id(extracted.text) if extracted.text.strip() else raw_sha256,
        "is_report": verdict.is_report,
        "title": extracted.title,
        "agency": meta.agency,
        "region": meta.region,
        "level": meta.level,
        "year": meta.year,
        "published": meta.published,
        "signed": meta.signed,
        "format": fmt,
        "sections": parsed.sections,
        "stats": parsed.stats,
        "cells": parsed.cells,
        "checks": parsed.checks,
        "text": extracted.text,
        "source": {
            "url": fetched.url,
            "final_url": fetched.final_url or fetched.url,
            "portal": fetched.portal,
            "fetched_at": fetched.fetched_at,
            "status": fetched.status,
            "content_type": fetched.content_type,
            "kind": document.kind,
            "declared_charset": decoded.declared if decoded else None,
            "encoding": decoded.encoding if decoded else None,
            "encoding_source": decoded.source if decoded else None,
            "replacement_share": round(decoded.replacement_share, 6) if decoded else None,
            "needs_ocr": document.needs_ocr,
            "raw_sha256": raw_sha256,
            "raw_key": raw_key(raw_sha256),
            "warc_file": fetched.warc_file,
            "warc_offset": fetched.warc_offset,
            "page_metadata": extracted.metadata,
            "page_url": page.url if page else None,
            "page_raw_key": raw_key(hashlib.sha256(page.body).hexdigest()) if page else None,
            "continued": [{"url": part.url, "content_type": part.content_type,
                           "raw_key": raw_key(hashlib.sha256(part.body).hexdigest())} for part in continued],
            "attachments": [link.url for link in links],
            "attachment_only": bool(links) and is_attachment_only(extracted),
        },
        "also_seen_at": [],
        "parser": {"version": PARSER_VERSION, "verdict_reason": verdict.reason, "format_source": format_source,
                   "warnings": warnings},
    }
