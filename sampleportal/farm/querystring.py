"""An ASP.NET county portal addressed by query strings (docs/PORTALS.md "CMS families": others, ``.aspx?cid=…&page=N``).

``/`` → ``/list.aspx?cid=8`` (government and departments) and ``/list.aspx?cid=9`` (townships and
subdistricts), ``&page=N`` from 1, "共N页". A trap: "下一页" never stops (a page past the end repeats the
last one) and every list links a re-sorted copy of itself with a fresh ``&t=`` stamp. Articles
``/content.aspx?id=ID`` (moved ones from ``/show.aspx?id=ID``), files ``/UploadFiles/YYYY/ID.ext``.
Every page is GBK bytes labelled gb2312 (header and ``<meta>``), and the county's name has GBK-only
characters (镕, 堃), as docs/PORTALS.md "Encodings" warns.
"""

from __future__ import annotations

import re
from html import escape
from urllib.parse import parse_qs

from sampleportal.farm import pages
from sampleportal.farm.app import Reply, Request
from sampleportal.farm.pages import GB2312_LABEL
from sampleportal.farm.portal import FarmPortal, paged
from sampleportal.farm.world import Entry

MAIN_CID, LOCAL_CID = 8, 9
_FILE = re.compile(r"^/UploadFiles/\d{4}/(\d+)\.(\w+)$")


class QueryStringPortal(FarmPortal):
    family = "querystring"

    def __init__(self, config) -> None:
        super().__init__(config)
        self.lists = {MAIN_CID: self.main, LOCAL_CID: self.local}

    def article_path(self, entry: Entry, page: int = 0) -> str:
        return f"/content.aspx?id={entry.id}"

    def old_path(self, entry: Entry) -> str:
        return f"/show.aspx?id={entry.id}"

    def attachment_path(self, entry: Entry) -> str:
        return f"/UploadFiles/{entry.posted.year}/{entry.id}.{entry.kind}"

    def route(self, request: Request) -> Reply | None:
        path, query = request.path.lower(), parse_qs(request.query)

        def number(key: str) -> int | None:
            value = query.get(key, [""])[0]
            return int(value) if value.isdigit() else None

        if path in ("/", "/default.aspx"):
            return self._html(self._home())
        if path == "/list.aspx" and (cid := number("cid")) in self.lists:
            items = self.lists[cid]
            _, count = paged(items, 0, self.page_size)
            page = min(max(number("page") or 1, 1), count)  # past the end: the last page again
            shown = paged(items, page - 1, self.page_size)[0]
            return self._html(self._list(cid, shown, page, count, (number("t") or 0) + 1))
        if path in ("/content.aspx", "/show.aspx") and (entry := self.world.by_id.get(number("id") or -1)):
            if path == "/show.aspx":
                return pages.moved(self.url(self.article_path(entry))) if entry.moved else None
            return self.entry_reply(entry, 0, self._article)
        if (match := _FILE.match(request.path)) and (entry := self.world.by_id.get(int(match.group(1)))):
            return pages.attachment_reply(self.world, entry) if request.path == self.attachment_path(entry) else None
        return None

    def _html(self, text: str, entry: Entry | None = None) -> Reply:
        return pages.html_reply(text, GB2312_LABEL, modified=entry.posted if entry else self.today)

    def _page(self, title: str, body: str, head: str = "") -> str:
        form = ('<form name="form1" method="post" action="./default.aspx" id="form1">'
                '<input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="/wEPDwUKMTY1NDU2MTA1MmRk" /></form>')
        nav = f'<div class="top"><a href="/default.aspx">{escape(self.world.county)}人民政府</a></div>'
        return pages.shell(title, nav + form + body, GB2312_LABEL, head)

    def _home(self) -> str:
        links = (f'<li><a href="/list.aspx?cid={MAIN_CID}">{self.column}</a></li>'
                 f'<li><a href="/list.aspx?cid={LOCAL_CID}">乡镇街道政府信息公开年报</a></li>')
        return self._page(f"{self.world.county}人民政府", f"<ul>{links}</ul>")

    def _list(self, cid: int, items, page: int, count: int, stamp: int) -> str:
        rows = "".join(f'<li><a href="{self.listed_path(e)}">{escape(e.title)}</a><span>{e.posted}</span></li>'
                       for e in items)
        pager = (f'<div class="pager">共{count}页 当前第{page}页 <a href="list.aspx?cid={cid}&page=1">首页</a> '
                 f'<a href="list.aspx?cid={cid}&page={max(page - 1, 1)}">上一页</a> '
                 f'<a href="list.aspx?cid={cid}&page={page + 1}">下一页</a> '
                 f'<a href="list.aspx?cid={cid}&page={count}">尾页</a> '
                 f'<a href="list.aspx?cid={cid}&page={page}&order=desc&t={stamp}">按日期排序</a></div>')
        return self._page(self.column, f'<ul class="list">{rows}</ul>{pager}')

    def _article(self, entry: Entry, page: int) -> Reply:
        body = pages.body_html(self.world, entry, self.attachment_path(entry))
        content = (f'{pages.info_table(entry, self.column)}<div class="title">{escape(entry.title)}</div>'
                   f'<div class="content">{body}</div>')
        return self._html(self._page(entry.title, content, pages.article_meta(entry, self.column)), entry)
