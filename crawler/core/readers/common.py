"""What every binary reader shares: the error it raises, limits, and title/text assembly."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from io import BytesIO

from crawler.core.types import Grid

_BLANKS = re.compile(r"[ \t\u3000]+")


class UnreadableDocument(Exception):
    """The document cannot be read; the message is the logged reason."""


@dataclass(frozen=True, slots=True)
class Limits:
    max_bytes: int = 50 * 1024 * 1024
    max_pages: int = 300
    timeout_s: float = 60.0
    max_unzipped_bytes: int = 200 * 1024 * 1024
    max_zip_ratio: float = 200.0  # uncompressed/compressed for the whole archive
    max_rows: int = 20_000  # per spreadsheet
    max_memory_bytes: int = 2 * 1024 * 1024 * 1024  # address space of the reader process
    max_parse_memory_bytes: int = 1024 * 1024 * 1024  # address space an HTML/text parse may add (core/guard.py)
    max_ocr_pages: int = 10  # image-only PDF pages read by tesseract (about a second each); 0: none


def grid_text(grid: Grid) -> str:
    """A table as text lines, cells separated by a tab (as the HTML path keeps table text)."""
    return "\n".join("\t".join(_BLANKS.sub(" ", cell).strip() for cell in row) for row in grid if any(row))


def normalize_grid(rows: list[list[object]]) -> Grid:
    return tuple(tuple("" if cell is None else str(cell).strip() for cell in row) for row in rows)


def check_zip(body: bytes, limits: Limits) -> zipfile.ZipFile:
    """Open an OOXML container after checking the sizes its directory declares (zip-bomb guard)."""
    try:
        archive = zipfile.ZipFile(BytesIO(body))
    except zipfile.BadZipFile as exc:
        raise UnreadableDocument(f"not a readable zip container: {exc}") from exc
    total = sum(info.file_size for info in archive.infolist())
    if total > limits.max_unzipped_bytes:
        raise UnreadableDocument(f"zip declares {total} uncompressed bytes, over the {limits.max_unzipped_bytes} limit")
    if body and total / len(body) > limits.max_zip_ratio:
        raise UnreadableDocument(f"zip expands {total / len(body):.0f}x, over the {limits.max_zip_ratio:.0f}x limit")
    return archive
