"""Reports published as attachments: find the links, and tell an attachment-only article page.

An article page whose text is just "附件：XX县2019年政府信息公开工作年度报告.pdf" (or a 文件下载 row)
is not itself the report: its attachment is, read with the page as context (title, 发布机构, 发布日期).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from urllib.parse import parse_qs, unquote, urljoin, urlsplit

from crawler.core import xpaths
from crawler.core.extraction import parse_html
from crawler.core.types import Extracted

ATTACHMENT_EXTENSIONS = (".pdf", ".doc", ".docx", ".wps", ".xls", ".xlsx", ".et")
# Lines that only announce or describe an attachment, not report content.
_ATTACHMENT_LINE = re.compile(
    r"^\s*(?:相关附件|附件|文件下载|附件下载|点击下载|下载)|\.(?:pdf|docx?|wps|xlsx?|et)\s*(?:[(（][^)）]*[)）])?\s*$",
    re.IGNORECASE,
)
MAX_OWN_TEXT = 120  # characters of non-attachment text an attachment-only page may carry


@dataclass(frozen=True, slots=True)
class Link:
    url: str
    text: str


def attachment_name(url: str) -> str | None:
    """The file name an attachment URL points at: its path, or a filename= query (download servlets)."""
    parts = urlsplit(url)
    candidates = [unquote(parts.path)]
    for key, values in parse_qs(parts.query).items():
        if key.lower() in ("filename", "file", "name", "path"):
            candidates.extend(values)
    for candidate in candidates:
        if candidate.lower().endswith(ATTACHMENT_EXTENSIONS):
            return candidate.rsplit("/", 1)[-1]
    return None


def attachment_links(html_text: str, base_url: str) -> tuple[Link, ...]:
    """Links to document files in a page, absolute, in page order, without repeats."""
    seen: dict[str, Link] = {}
    for anchor in xpaths.LINKS(parse_html(html_text)):
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith(("javascript:", "mailto:", "#")):
            continue
        url = urljoin(base_url, href)
        if attachment_name(url) and url not in seen:
            seen[url] = Link(url, " ".join(anchor.text_content().split()))
    return tuple(seen.values())


def is_attachment_only(page: Extracted) -> bool:
    """True when the page's own text, attachment lines removed, is too short to be a report."""
    own = [line for line in page.text.splitlines() if line.strip() and not _ATTACHMENT_LINE.search(line)]
    return sum(len(line.strip()) for line in own) <= MAX_OWN_TEXT


def in_page_context(document: Extracted, page: Extracted) -> Extracted:
    """The attachment's text and tables with the page's metadata beneath its own; the page's title
    too when the page is attachment-only (then the page title names the report; otherwise the
    attachment is an appendix with a title of its own)."""
    title = (page.title or document.title) if is_attachment_only(page) else (document.title or page.title)
    return replace(document, title=title, metadata={**page.metadata, **document.metadata})
