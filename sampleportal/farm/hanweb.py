"""A Hanweb 大汉 jcms county portal (docs/PORTALS.md "CMS families": Hanweb), GBK by HTTP header.

``/`` → ``/col/col100/index.html`` (政务公开) → ``/col/col4711/index.html`` (年报). The column page has
no rows: its script names ``columnid``/``unitid``/``webid``/``perpage`` and the rows come only from
``/module/web/jpage/dataproxy.jsp`` (GET or POST) as ``<datastore>`` XML. Townships' and subdistricts'
reports are listed per year at ``/module/xxgk/xxgkAnnualReport.jsp?fbtime=YYYY``. Articles
``/art/Y/M/D/art_4711_ID.html`` (moved ones from column 4710), files at
``/module/download/downfile.jsp?classid=0&filename=….pdf``.
"""

from __future__ import annotations

import re
from html import escape
from urllib.parse import parse_qs

from sampleportal.farm import pages
from sampleportal.farm.app import Reply, Request
from sampleportal.farm.pages import GBK_BY_HEADER
from sampleportal.farm.portal import FarmPortal
from sampleportal.farm.world import Entry

COLUMN_ID, OLD_COLUMN_ID, UNIT_ID, WEB_ID = 4711, 4710, 10086, 3
_ARTICLE = re.compile(r"^/art/\d{4}/\d{1,2}/\d{1,2}/art_(\d+)_(\d+)\.html$")


class HanwebPortal(FarmPortal):
    family = "hanweb"
    default_page_size = 15  # jpage's perpage

    def article_path(self, entry: Entry, page: int = 0) -> str:
        return self._art(entry, COLUMN_ID)

    def old_path(self, entry: Entry) -> str:
        return self._art(entry, OLD_COLUMN_ID)

    def attachment_path(self, entry: Entry) -> str:
        return f"/module/download/downfile.jsp?classid=0&filename={entry.id:x}.{entry.kind}"

    def _art(self, entry: Entry, column: int) -> str:
        day = entry.posted
        return f"/art/{day.year}/{day.month}/{day.day}/art_{column}_{entry.id}.html"

    def route(self, request: Request) -> Reply | None:
        path, query = request.path, parse_qs(request.query)
        if path in ("/", "/index.html"):
            return self._html(self._home())
        if path == "/col/col100/index.html":
            return self._html(self._page("政务公开", f'<ul><li><a href="/col/col{COLUMN_ID}/index.html">'
                                                  f"{self.column}</a></li></ul>"))
        if path == f"/col/col{COLUMN_ID}/index.html":
            return self._html(self._column())
        if path == "/module/web/jpage/dataproxy.jsp":
            form = parse_qs(request.body.decode("latin-1")) if request.method == "POST" else {}
            return self._dataproxy({**query, **form})
        if path == "/module/xxgk/xxgkAnnualReport.jsp":
            year = query.get("fbtime", [""])[0]
            return self._html(self._annual(int(year))) if year.isdigit() and int(year) in self.local_by_year else None
        if path == "/module/download/downfile.jsp":
            name = query.get("filename", [""])[0]
            stem, _, kind = name.partition(".")
            entry = self.world.by_id.get(int(stem, 16)) if re.fullmatch(r"[0-9a-f]+", stem) else None
            if entry is None or entry.kind != kind:
                return None
            reply = pages.attachment_reply(self.world, entry)
            disposition = ("Content-Disposition", f"attachment; filename={name}")
            return Reply(reply.status, reply.body, (*reply.headers, disposition))
        if (match := _ARTICLE.match(path)) and (entry := self.world.by_id.get(int(match.group(2)))):
            if int(match.group(1)) == OLD_COLUMN_ID:
                return pages.moved(self.url(self.article_path(entry))) if entry.moved else None
            return self.entry_reply(entry, 0, self._article) if path == self.article_path(entry) else None
        return None

    def _html(self, text: str, entry: Entry | None = None) -> Reply:
        return pages.html_reply(text, GBK_BY_HEADER, modified=entry.posted if entry else self.today)

    def _page(self, title: str, body: str, head: str = "") -> str:
        nav = (f'<div class="top"><a href="/">{escape(self.world.county)}人民政府</a> '
               '<a href="/col/col100/index.html">政务公开</a></div>')
        return pages.shell(title, nav + body + '<div class="foot">技术支持：大汉网络</div>', GBK_BY_HEADER, head)

    def _home(self) -> str:
        return self._page(f"{self.world.county}人民政府", '<div class="gk"><a href="/col/col100/index.html">'
                          '政务公开</a></div><script src="/module/jslib/jquery/jquery.js"></script>')

    def _column(self) -> str:
        years = "".join(f'<a href="/module/xxgk/xxgkAnnualReport.jsp?fbtime={y}&area=990102">'
                        f"{y}年度乡镇（街道）年报</a> " for y in sorted(self.local_by_year))
        script = ('<script type="text/javascript" src="/module/web/jpage/jpage.js"></script>'
                  f'<div id="{UNIT_ID}"></div><script type="text/javascript">'
                  f"new Jpage({{url: '/module/web/jpage/dataproxy.jsp', columnid: '{COLUMN_ID}', unitid: '{UNIT_ID}', "
                  f"webid: '{WEB_ID}', perpage: {self.page_size}, path: '/'}});</script>")
        return self._page(self.column, f'<div class="bt">{self.column}</div><div class="years">{years}</div>{script}')

    def _dataproxy(self, params: dict[str, list[str]]) -> Reply:
        def number(key: str, default: int) -> int:
            value = params.get(key, [""])[0]
            return int(value) if value.isdigit() else default

        ours = (number("columnid", 0), number("unitid", 0), number("webid", 0)) == (COLUMN_ID, UNIT_ID, WEB_ID)
        rows = self.main if ours else []
        start, end = max(1, number("startrecord", 1)), number("endrecord", 45)
        records = "".join(
            f'<record><![CDATA[<li><a href="{self.listed_path(e)}" target="_blank" title="{escape(e.title)}">'
            f"{escape(e.title)}</a><span>{e.posted.isoformat()}</span></li>]]></record>"
            for e in rows[start - 1 : max(start - 1, end)])
        xml = (f'<?xml version="1.0" encoding="UTF-8"?><datastore><nextgroup><![CDATA[]]></nextgroup>'
               f"<recordset>{records}</recordset><totalrecord>{len(rows)}</totalrecord>"
               f"<totalpage>{-(-len(rows) // max(1, number('perpage', 15)))}</totalpage></datastore>")
        return Reply(200, xml.encode("utf-8"), (("Content-Type", "text/xml;charset=UTF-8"),))

    def _annual(self, year: int) -> str:
        rows = "".join(f'<tr><td>{escape(e.unit.name)}</td><td><a href="{self.listed_path(e)}">{escape(e.title)}</a>'
                       f"</td><td>{e.posted.isoformat()}</td></tr>" for e in self.local_by_year[year])
        return self._page(f"{year}年度政府信息公开年报", f'<table class="nbtable">{rows}</table>')

    def _article(self, entry: Entry, page: int) -> Reply:
        href = self.attachment_path(entry)
        body = pages.body_html(self.world, entry, href)
        content = (f'{pages.info_table(entry, self.column)}<div class="bt_title">{escape(entry.title)}</div>'
                   f'<div class="bt_content" id="zoom">{body}</div>')
        return self._html(self._page(entry.title, content, pages.article_meta(entry, self.column)), entry)
