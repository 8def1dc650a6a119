"""Main text and page metadata from a decoded HTML article page.

Stages, each a plain function over one lxml tree:
1. ``page_metadata``: ``<meta name=ArticleTitle|PubDate|ContentSource|ColumnName>``, the 信息公开
   metadata table (索引号, 发布机构, 发布日期 ...), the page title and the date of a posting line
   ("发布时间：…", kept as ``PostedLine``);
2. ``remove_info_tables``: that table leaves the tree so it never reaches the report text;
3. trafilatura extracts the main text (tables included, recall favoured: short lines such as
   "无。" are report content);
4. ``boilerplate.strip_chrome`` removes the portal chrome trafilatura keeps;
5. ``tables.html_grids`` reads the remaining ``<table>``s from the tree itself (before trafilatura
   flattens them), spans expanded.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

import trafilatura
from lxml import html as lxml_html

from crawler.core import xpaths
from crawler.core.boilerplate import strip_chrome
from crawler.core.tables import html_grids
from crawler.core.texthead import posted_date
from crawler.core.types import Extracted

_LABEL = re.compile(r"^\s*([^：:]{1,8})\s*[：:]\s*$")
_LINK_TEXT_MIN, _LINK_ROW_EXTRA = 6, 24  # a list row: a link's text and a date or a counter beside it
_TITLE_SUFFIX = re.compile(r"[_|－-][^_|－-]*$")


def joined(first: Extracted, rest: Sequence[Extracted]) -> Extracted:
    """A multi-page article as one document: the first page's title and metadata, every page's text and tables."""
    return replace(first, text="\n".join([first.text, *(part.text for part in rest)]),
                   tables=first.tables + tuple(table for part in rest for table in part.tables))


def parse_html(text: str) -> lxml_html.HtmlElement:
    # lxml refuses str input that still carries an XML encoding declaration.
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    return lxml_html.document_fromstring(text or "<html></html>")


def page_metadata(tree: lxml_html.HtmlElement) -> dict[str, str]:
    metadata: dict[str, str] = {}
    for name in ("ArticleTitle", "PubDate", "ContentSource", "ColumnName"):
        values = xpaths.META_BY_NAME(tree, name=name)
        if values and values[0].strip():
            metadata[name] = values[0].strip()
    for table in xpaths.INFO_TABLES(tree):
        metadata.update(_label_value_pairs(table))
    titles = xpaths.TITLE(tree)
    if titles and titles[0].strip():
        metadata["PageTitle"] = titles[0].strip()
    if posted := posted_date("\n".join(xpaths.VISIBLE_TEXT(tree))):
        metadata["PostedLine"] = "{:04d}-{:02d}-{:02d}".format(*posted)
    return metadata


def _label_value_pairs(table: lxml_html.HtmlElement) -> dict[str, str]:
    cells = [cell.text_content().strip() for cell in xpaths.TABLE_CELLS(table)]
    pairs = {}
    for label, value in zip(cells, [*cells[1:], ""], strict=True):
        match = _LABEL.match(label)
        if match and value and not _LABEL.match(value):
            pairs[match.group(1).strip()] = value
    return pairs


def remove_info_tables(tree: lxml_html.HtmlElement) -> None:
    for table in xpaths.INFO_TABLES(tree):
        table.drop_tree()


def page_title(tree: lxml_html.HtmlElement, metadata: dict[str, str]) -> str | None:
    """ArticleTitle meta, else the article's <h1>, else the <title> without its site suffix."""
    if metadata.get("ArticleTitle"):
        return metadata["ArticleTitle"]
    for h1 in xpaths.H1(tree):
        text = " ".join(h1.text_content().split())
        if text:
            return text
    page = metadata.get("PageTitle")
    return _TITLE_SUFFIX.sub("", page).strip() or page if page else None


def extract(html_text: str) -> Extracted:

    tree = parse_html(html_text)
    metadata = page_metadata(tree)
    title = page_title(tree, metadata)
    remove_info_tables(tree)
    grids = html_grids(tree)
    text = trafilatura.extract(
        tree,
        include_tables=True,
        include_comments=False,
        include_links=False,
        favor_recall=True,
        fast=True,  # no readability/jusText comparison: a third of the extraction time, same text on tests/eval
        deduplicate=False,
    )
    text = strip_chrome(text or "")
    return Extracted(title=title, text=text, metadata=metadata, tables=grids, link_share=link_share(tree, text))


def link_share(tree: lxml_html.HtmlElement, text: str) -> float:
    """How much of the main text is links: the share of its lines that are a link's text, perhaps
    with a date beside it (the rows of a list page)."""
    anchors = {" ".join(a.text_content().split()) for a in xpaths.LINKS(tree)}
    anchors = {anchor for anchor in anchors if len(anchor) >= _LINK_TEXT_MIN}
    lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    if not lines or not anchors:
        return 0.0
    linked = sum(1 for line in lines if any(a in line and len(line) <= len(a) + _LINK_ROW_EXTRA for a in anchors))
    return linked / len(lines)
