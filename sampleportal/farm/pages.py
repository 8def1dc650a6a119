"""HTML every farm family shares: charsets, the page shell, an entry's article body, attachments, errors.

Families differ in URLs, lists and the markup around the body (docs/PORTALS.md "CMS families"); what an
entry says — a generated report, a seed, a look-alike, a deleted or missing page, a link to its file —
is the same everywhere and rendered here.
"""

from __future__ import annotations

import random
import re
import zipfile
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email.utils import format_datetime
from html import escape
from io import BytesIO

from sampleportal import docfiles, templates
from sampleportal.catalog import seed_document
from sampleportal.farm.app import Reply
from sampleportal.farm.lookalikes import lookalike_html
from sampleportal.farm.world import Entry, World


@dataclass(frozen=True, slots=True)
class Charset:
    """How a page's bytes are encoded and labelled (docs/PORTALS.md "Encodings")."""

    codec: str  # the bytes
    header: str | None  # charset in Content-Type, None: a bare text/html
    meta: str | None  # charset in <meta>, None: none


UTF8 = Charset("utf-8", "utf-8", "utf-8")
GBK_BY_HEADER = Charset("gbk", "GBK", None)
GB2312_LABEL = Charset("gbk", "gb2312", "gb2312")  # GBK-only characters (镕, 堃) under a GB2312 label
UTF8_DECLARED_GB2312 = Charset("utf-8", None, "gb2312")
UNDECLARED = Charset("utf-8", None, None)
_CORE_DATES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")
FILE_TYPES = {"pdf": "application/pdf", "docx": "application/octet-stream", "doc": "application/msword",
              "xls": "application/vnd.ms-excel", "xlsx": "application/octet-stream"}


def last_modified(day: date) -> tuple[str, str]:
    return ("Last-Modified", format_datetime(datetime(day.year, day.month, day.day, 1, 30, tzinfo=UTC), usegmt=True))


def html_reply(text: str, charset: Charset = UTF8, status: int = 200, modified: date | None = None) -> Reply:
    content_type = f"text/html; charset={charset.header}" if charset.header else "text/html"
    headers = [("Content-Type", content_type)]
    if modified:
        headers.append(last_modified(modified))
    return Reply(status, text.encode(charset.codec, errors="xmlcharrefreplace"), tuple(headers))


def shell(title: str, body: str, charset: Charset = UTF8, head: str = "") -> str:
    """A whole page: doctype, charset meta (when the portal writes one), title, body."""
    meta = f'<meta http-equiv="Content-Type" content="text/html; charset={charset.meta}">' if charset.meta else ""
    return (f'<!DOCTYPE html>\n<html lang="zh-CN"><head>{meta}<title>{escape(title)}</title>{head}</head>\n'
            f"<body>{body}\n</body></html>\n")


def article_meta(entry: Entry, column: str) -> str:
    """<meta> tags most article pages carry (docs/PORTALS.md "Most article pages carry …")."""
    return (f'<meta name="ArticleTitle" content="{escape(entry.title)}">'
            f'<meta name="PubDate" content="{entry.posted.isoformat()} 09:30">'
            f'<meta name="ContentSource" content="{escape(entry.unit.name)}">'
            f'<meta name="ColumnName" content="{escape(column)}">')


def info_table(entry: Entry, column: str) -> str:
    """The 信息公开 metadata table: 索引号, 分类, 发布机构, 发布日期, 名称."""
    return ('<table class="xxgk-info">'
            f"<tr><td>索引号：</td><td>{entry.id % 10**9:09d}/{entry.posted.year}-{entry.id % 100000:05d}</td>"
            f"<td>分类：</td><td>{escape(column)}</td></tr>"
            f"<tr><td>发布机构：</td><td>{escape(entry.unit.name)}</td>"
            f"<td>发布日期：</td><td>{entry.posted.isoformat()}</td></tr>"
            f'<tr><td>名称：</td><td colspan="3">{escape(entry.title)}</td></tr></table>')


def body_html(world: World, entry: Entry, attachment_href: str, page: int | None = None) -> str:
    """The article text of an entry: all of it, or page ``page`` of a report split over several."""
    if entry.role == "seed":
        return templates.blocks_html(seed_document(entry.variant))
    if entry.role == "lookalike":
        return lookalike_html(entry.variant, world.county, entry.year)
    if entry.kind != "html":
        name = escape(f"{entry.title}.{entry.kind}")
        if entry.id % 2:
            return f'<div class="download">文件下载：<a href="{attachment_href}" target="_blank">{name}</a></div>'
        return f'<p>附件：<a href="{attachment_href}">{name}</a></p>'
    soup = random.Random(entry.id).random() < 0.5
    parts = world.report(entry).body_parts(soup=soup, split_headers=soup)
    if page is None:
        return "\n".join(parts)
    cut = len(parts) // entry.pages
    return "\n".join(parts[page * cut : None if page == entry.pages - 1 else (page + 1) * cut])


def attachment_reply(world: World, entry: Entry) -> Reply:
    body = docfiles.WRITERS[entry.kind](world.report(entry).document())
    if entry.kind in ("docx", "xlsx"):
        body = stable_zip(body, entry.posted)
    return Reply(200, body, (("Content-Type", FILE_TYPES[entry.kind]), last_modified(entry.posted)))


def stable_zip(data: bytes, day: date) -> bytes:
    """An Office file with the clock taken out (zip entry times, created/modified properties set to
    ``day``), so the same file is the same bytes on every request and its ETag holds."""
    stamp = f"{day.isoformat()}T09:30:00Z".encode()
    out = BytesIO()
    with zipfile.ZipFile(BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "docProps/core.xml":
                content = _CORE_DATES.sub(rb"\g<1>" + stamp + rb"\g<2>", content)
            target.writestr(zipfile.ZipInfo(info.filename, (day.year, day.month, day.day, 9, 30, 0)), content,
                            zipfile.ZIP_DEFLATED)
    return out.getvalue()


def deleted_page(charset: Charset = UTF8) -> Reply:
    """What a portal serves where an article was withdrawn: a notice that sends the reader home."""
    head = '<meta http-equiv="refresh" content="3;url=/">'
    return html_reply(shell("提示信息", "<div class='tips'><p>内容已删除</p><p>3秒后返回首页</p></div>", charset, head),
                      charset)


def soft_404(charset: Charset = UTF8) -> Reply:
    """A missing page answered with status 200 (docs/PORTALS.md "soft-404 pages with status 200")."""
    text = "<div class='error'><p>抱歉，您访问的页面不存在或已被删除！</p></div>"
    return html_reply(shell("页面不存在", text, charset), charset)


def not_found(charset: Charset = UTF8) -> Reply:
    return html_reply(shell("404", "<p>404 Not Found</p>", charset), charset, status=404)


def moved(location: str) -> Reply:
    return Reply(301, b"", (("Location", location), ("Content-Type", "text/html")))


def robots(*disallowed: str) -> Reply:
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in disallowed)]
    return Reply(200, ("\n".join(lines) + "\n").encode(), (("Content-Type", "text/plain"),))
