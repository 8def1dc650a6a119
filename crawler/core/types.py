"""What the readers hand the parser: a document's text, metadata and tables (every reader returns these)."""

from __future__ import annotations

from dataclasses import dataclass, field

# A table as printed: rows of cell strings, rowspan/colspan already expanded into a full grid.
Grid = tuple[tuple[str, ...], ...]


@dataclass(frozen=True, slots=True)
class Extracted:
    title: str | None
    text: str
    metadata: dict[str, str] = field(default_factory=dict)
    tables: tuple[Grid, ...] = ()  # the document's tables read from its structure, not from text
    link_share: float = 0.0  # share of the main text's lines that are link texts (list and index pages)
