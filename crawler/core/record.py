"""Bytes of one fetched document to the report record of DESIGN.md (``nianbao.report/1``)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from crawler.core.classification import classify
from crawler.core.encoding import decode
from crawler.core.extraction import extract
from crawler.core.metadata import report_metadata
from crawler.core.normalize import for_matching
from crawler.core.parsing import parse_report

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


def raw_key(sha256_hex: str) -> str:
    return f"raw/sha256/{sha256_hex[:2]}/{sha256_hex[2:4]}/{sha256_hex}"


def report_id(text: str) -> str:
    """SHA-256 of the main text after NFKC, 繁→简 and whitespace removal: the dedup key."""
    return hashlib.sha256(for_matching(text).encode("utf-8")).hexdigest()


def build_record(fetched: Fetched) -> dict[str, Any]:
    decoded = decode(fetched.body, fetched.content_type)
    extracted = extract(decoded.text)
    verdict = classify(extracted.title, extracted.text)
    meta = report_metadata(extracted.title, extracted.text, extracted.metadata)
    parsed = parse_report(extracted.text, extracted.tables)
    raw_sha256 = hashlib.sha256(fetched.body).hexdigest()
    warnings = list(parsed.warnings)
    if not extracted.text:
        warnings.append("no main text extracted")
    if decoded.replacement_share > 0:
        warnings.append(f"decoding replaced {decoded.replacement_share:.2%} of characters")
    return {
        "schema": SCHEMA,
        "report_id": report_id(extracted.text),
        "is_report": verdict.is_report,
        "title": extracted.title,
        "agency": meta.agency,
        "region": meta.region,
        "level": meta.level,
        "year": meta.year,
        "published": meta.published,
        "format": parsed.format,
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
            "declared_charset": decoded.declared,
            "encoding": decoded.encoding,
            "encoding_source": decoded.source,
            "replacement_share": round(decoded.replacement_share, 6),
            "raw_sha256": raw_sha256,
            "raw_key": raw_key(raw_sha256),
            "page_metadata": extracted.metadata,
        },
        "also_seen_at": [],
        "parser": {"version": PARSER_VERSION, "verdict_reason": verdict.reason, "warnings": warnings},
    }
