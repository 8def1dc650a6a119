"""A 开普云 UCAP district portal (docs/PORTALS.md "CMS families": 开普云 UCAP).

``/`` → ``/xxgk/index.shtml`` → the 年报 column ``/xxgk/gknb/index.shtml``, ``index_N.shtml``
(government and departments) and the 年报汇总 ``/xxgk/nbhz/index.shtml`` → ``/xxgk/nbhz/{year}.shtml``
(every unit's report of a year; townships and subdistricts only appear there). Articles
``/xxgk/gknb/YYYYMM/{32 hex}.shtml`` with ``<meta name="SiteIDCode|ColumnName">`` and the body in
``#UCAP-CONTENT``; files in 文件下载 rows; moved articles answer 301 from ``/xxgk/nb/…``. Some article
pages are UTF-8 bytes that declare gb2312 in ``<meta>`` only.
"""

from __future__ import annotations

import re
from html import escape

from sampleportal.farm import pages
from sampleportal.farm.app import Reply, Request
from sampleportal.farm.pages import UTF8, UTF8_DECLARED_GB2312, Charset
from sampleportal.farm.portal import FarmPortal, by_year, paged
from sampleportal.farm.world import Entry, stable_int

SITE_ID = "9901030001"
_LIST = re.compile(r"^/xxgk/gknb/index(?:_(\d+))?\.shtml$")
_SUMMARY = re.compile(r"^/xxgk/nbhz/(\d{4})\.shtml$")
_ARTICLE = re.compile(r"^/xxgk/(gknb|nb)/\d{6}/([0-9a-f]{12})[0-9a-f]{20}\.shtml$")
_FILE = re.compile(r"^/xxgk/gknb/\d{6}/([0-9a-f]{12})[0-9a-f]{20}/files/[0-9a-f]+\.(\w+)$")


def _hex(entry: Entry) -> str:
    """32 hex digits; the first 12 carry the entry id, so no lookup table is kept."""
    return f"{entry.id:012x}"[-12:] + f"{stable_int(entry.id, 'ucap', digits=24):020x}"[-20:]


class UcapPortal(FarmPortal):
    family = "ucap"

    def __init__(self, config) -> None:
        super().__init__(config)
        self.reports_by_year = by_year([e for e in self.world.entries if e.is_report])

    def article_path(self, entry: Entry, page: int = 0) -> str:
        return f"/xxgk/gknb/{entry.posted:%Y%m}/{_hex(entry)}.shtml"

    def old_path(self, entry: Entry) -> str:
        return f"/xxgk/nb/{entry.posted:%Y%m}/{_hex(entry)}.shtml"

    def attachment_path(self, entry: Entry) -> str:
        return f"/xxgk/gknb/{entry.posted:%Y%m}/{_hex(entry)}/files/{entry.id:x}.{entry.kind}"

    def _entry(self, hex_id: str) -> Entry | None:
        return self.world.by_id.get(int(hex_id, 16))

    def route(self, request: Request) -> Reply | None:
        path = request.path
        if path in ("/", "/index.shtml"):
            return self._html(self._page(f"{self.world.county}人民政府", '<a href="/xxgk/index.shtml">信息公开</a>'))
        if path == "/xxgk/index.shtml":
            links = (f'<li><a href="/xxgk/gknb/index.shtml">{self.column}</a></li>'
                     '<li><a href="/xxgk/nbhz/index.shtml">年报汇总</a></li>')
            return self._html(self._page("信息公开", f"<ul>{links}</ul>"))
        if match := _LIST.match(path):
            page = int(match.group(1) or 0)
            items, count = paged(self.main, page, self.page_size)
            return self._html(self._list(items, page, count)) if page < count else None
        if path == "/xxgk/nbhz/index.shtml":
            years = "".join(f'<li><a href="{y}.shtml">{y}年度政府信息公开年报汇总</a></li>'
                            for y in sorted(self.reports_by_year))
            return self._html(self._page("年报汇总", f"<ul>{years}</ul>"))
        if (match := _SUMMARY.match(path)) and int(match.group(1)) in self.reports_by_year:
            return self._html(self._summary(int(match.group(1))))
        if (match := _ARTICLE.match(path)) and (entry := self._entry(match.group(2))):
            if match.group(1) == "nb":
                return pages.moved(self.url(self.article_path(entry))) if entry.moved else None
            return self.entry_reply(entry, 0, self._article) if path == self.article_path(entry) else None
        if (match := _FILE.match(path)) and (entry := self._entry(match.group(1))):
            return pages.attachment_reply(self.world, entry) if path == self.attachment_path(entry) else None
        return None

    def _html(self, text: str, charset: Charset = UTF8, entry: Entry | None = None) -> Reply:
        return pages.html_reply(text, charset, modified=entry.posted if entry else self.today)

    def _page(self, title: str, body: str, charset: Charset = UTF8, head: str = "") -> str:
        head = f'<meta name="SiteIDCode" content="{SITE_ID}">{head}'
        nav = f'<div class="head"><a href="/">{escape(self.world.county)}人民政府</a></div>'
        return pages.shell(title, nav + body, charset, head)

    def _list(self, items, page: int, count: int) -> str:
        rows = "".join(f'<li><a href="{self.listed_path(e)}">{escape(e.title)}</a><span>{e.posted}</span></li>'
                       for e in items)
        def name(n: int) -> str:
            return "index.shtml" if n == 0 else f"index_{n}.shtml"

        pager = (f'<div class="page">共{count}页 <a href="{name(0)}">首页</a> '
                 + (f'<a href="{name(page + 1)}">下一页</a> ' if page + 1 < count else "")
                 + f'<a href="{name(count - 1)}">尾页</a></div>')
        return self._page(self.column, f'<ul class="list">{rows}</ul>{pager}', head='<meta name="ColumnName" '
                          f'content="{self.column}">')

    def _summary(self, year: int) -> str:
        rows = "".join(f'<tr><td>{escape(e.unit.name)}</td><td><a href="{self.listed_path(e)}">{escape(e.title)}</a>'
                       "</td></tr>" for e in self.reports_by_year[year])
        head = "<tr><th>单位</th><th>年报</th></tr>"
        return self._page(f"{year}年度年报汇总", f'<table class="nbhz">{head}{rows}</table>')

    def _article(self, entry: Entry, page: int) -> Reply:
        charset = UTF8_DECLARED_GB2312 if entry.id % 3 == 0 else UTF8
        href = self.attachment_path(entry)
        body = pages.body_html(self.world, entry, href)
        files = (f'<div class="fjxz"><span>文件下载</span><a href="{href}">{escape(entry.title)}.{entry.kind}</a></div>'
                 if entry.kind != "html" and entry.is_report else "")
        content = (f"{pages.info_table(entry, self.column)}<h1>{escape(entry.title)}</h1>"
                   f'<div id="UCAP-CONTENT"><ucapcontent>{body}</ucapcontent></div>{files}')
        return self._html(self._page(entry.title, content, charset, pages.article_meta(entry, self.column)),
                          charset, entry)
