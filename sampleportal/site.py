"""The sample portal as a map from URL path to the exact bytes and headers it serves."""

from __future__ import annotations

import gzip
from dataclasses import dataclass, replace

from sampleportal import docfiles, templates
from sampleportal.catalog import Article, articles, new_year_articles

SAMPLE_HOST = "www.yangli.gov.test"  # .test is reserved (RFC 6761): never resolves on the internet
PAGE_SIZE = 5
ROBOTS_TXT = "User-agent: *\nDisallow: /search/\n"


SITE_SINCE = "2022-03-10"  # Last-Modified of the pages that list no article (home, hub, robots.txt)


@dataclass(frozen=True)
class Resource:
    body: bytes
    content_type: str
    status: int = 200
    gzip: bool = False  # gzip-encoded for clients that accept it
    modified: str = SITE_SINCE  # YYYY-MM-DD, served as Last-Modified

    def served(self, accept_encoding: str) -> tuple[bytes, str | None]:
        """The body bytes sent to a client with this Accept-Encoding, and their Content-Encoding."""
        if self.gzip and "gzip" in accept_encoding.lower():
            return gzip.compress(self.body, mtime=0), "gzip"
        return self.body, None


def _html(text: str, charset: str = "utf-8", header_charset: bool = True) -> Resource:
    body = text.encode(charset, errors="xmlcharrefreplace")
    content_type = f"text/html; charset={charset}" if header_charset else "text/html"
    return Resource(body, content_type)


def build_site(new_year: int | None = None) -> dict[str, Resource]:
    """Every path the portal serves; ``new_year`` adds that year's reports to the column's first page."""
    catalog = sorted(articles(), key=lambda a: a.posted, reverse=True)
    site = {
        "/": _html(templates.home_page()),
        "/index.html": _html(templates.home_page()),
        "/xxgk/index.html": _html(templates.hub_page()),
        "/robots.txt": Resource(ROBOTS_TXT.encode(), "text/plain"),
    }
    pages = [catalog[k : k + PAGE_SIZE] for k in range(0, len(catalog), PAGE_SIZE)]
    if new_year is not None:
        published = new_year_articles(new_year)
        pages[0] = published + pages[0]
        catalog = published + catalog
    for number, entries in enumerate(pages):
        name = "index.html" if number == 0 else f"index_{number}.html"
        page = _html(templates.column_page(entries, number, len(pages)))
        site[templates.COLUMN + name] = replace(page, modified=max(a.posted for a in entries))
    for article in catalog:
        site[article.path] = replace(_article_resource(article), modified=article.posted)
        if article.attachment:
            site[article.attachment_path] = Resource(_attachment_bytes(article), article.attachment_type,
                                                     modified=article.posted)
    return site


def _attachment_bytes(article: Article) -> bytes:
    if article.attachment == "scan":
        return docfiles.scanned_pdf_bytes()
    return docfiles.WRITERS[article.attachment](article.document)


def _article_resource(article: Article) -> Resource:
    return replace(_html(templates.article_page(article), article.charset, article.header_charset), gzip=article.gzip)


NOT_FOUND = Resource(templates.not_found_page().encode("utf-8"), "text/html; charset=utf-8", 404)
