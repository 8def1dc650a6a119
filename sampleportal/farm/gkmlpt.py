"""A Guangdong 政府信息公开目录平台 (gkmlpt) portal (docs/PORTALS.md "CMS families": Guangdong gkmlpt).

``/`` → ``/gkmlpt/index``, whose ``window._CONFIG`` holds the ``SID`` and the category ``TREE`` as a
JavaScript object literal (``{SID: '755001', …}``, not JSON). Lists are JSON only:
``/gkmlpt/api/all/{cat}?page=N&sid=SID`` (category 2842 年报 for the government and departments, its
child 2843 镇街年报 for townships and subdistricts; a wrong sid gets 403), counted in
``classify.post_count``. With the option ``subpath`` (e.g. "/zqhjj", a department's platform) every
``/gkmlpt/`` path, articles included, lives under it. Articles
``/gkmlpt/content/{a}/{b}/post_{id}.html`` carry the text in ``_CONFIG.DETAIL.content`` and rendered
in ``.article-content``; files at ``/attachment/0/{b}/{id}/….{ext}``; moved articles answer 301 from
``/gkmlpt/content/old/post_{id}.html``. Odd-numbered articles declare no charset at all.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from html import escape
from urllib.parse import parse_qs

from sampleportal.farm import pages
from sampleportal.farm.app import Reply, Request
from sampleportal.farm.pages import UNDECLARED, UTF8
from sampleportal.farm.portal import FarmPortal, paged
from sampleportal.farm.world import Entry, stable_int

MAIN_CATEGORY, LOCAL_CATEGORY = 2842, 2843
_API = re.compile(r"^/gkmlpt/api/all/(\d+)$")
_ARTICLE = re.compile(r"^/gkmlpt/content/(?:\d+/\d+|old)/post_(\d+)\.html$")
_FILE = re.compile(r"^/attachment/0/\d+/(\d+)/[0-9a-f]+\.(\w+)$")


def js_literal(value: object) -> str:
    """``value`` as a JavaScript object literal the way gkmlpt pages write _CONFIG: bare keys, single quotes."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}: {js_literal(item)}" for key, item in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(js_literal(item) for item in value) + "]"
    if isinstance(value, str):
        text = value.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n").replace("</", "<\\/")
        return f"'{text}'"
    return json.dumps(value)


def _json(value: object, status: int = 200) -> Reply:
    return Reply(status, json.dumps(value, ensure_ascii=False).encode("utf-8"),
                 (("Content-Type", "application/json;charset=UTF-8"),))


class GkmlptPortal(FarmPortal):
    family = "gkmlpt"

    def __init__(self, config) -> None:
        super().__init__(config)
        self.sid = f"{stable_int(config.seed, config.name, 'sid', digits=6):06d}"
        self.categories = {MAIN_CATEGORY: self.main, LOCAL_CATEGORY: self.local}
        self.root = str(config.options.get("subpath", "")).rstrip("/")

    def article_path(self, entry: Entry, page: int = 0) -> str:
        return f"{self.root}/gkmlpt/content/{entry.id % 10}/{entry.id % 10000}/post_{entry.id}.html"

    def old_path(self, entry: Entry) -> str:
        return f"{self.root}/gkmlpt/content/old/post_{entry.id}.html"

    def attachment_path(self, entry: Entry) -> str:
        return f"/attachment/0/{entry.id % 1000}/{entry.id}/{stable_int(entry.id, digits=10):x}.{entry.kind}"

    def route(self, request: Request) -> Reply | None:
        query = (request.query and parse_qs(request.query)) or {}
        if request.path in ("/", "/index.html"):
            return pages.html_reply(self._page(f"{self.world.county}人民政府",
                                               f'<a href="{self.root}/gkmlpt/index">政府信息公开</a>'),
                                    modified=self.today)
        if not request.path.startswith(f"{self.root}/gkmlpt/"):
            return self._file(request.path)
        path = request.path[len(self.root):]
        if path in ("/gkmlpt/index", "/gkmlpt/index.html"):
            return pages.html_reply(self._index(), modified=self.today)
        if (match := _API.match(path)) and int(match.group(1)) in self.categories:
            if query.get("sid", [""])[0] != self.sid:
                return _json({"error": "invalid sid"}, 403)
            page = query.get("page", ["1"])[0]
            return self._api(int(match.group(1)), int(page) if page.isdigit() and int(page) > 0 else 1)
        if (match := _ARTICLE.match(path)) and (entry := self.world.by_id.get(int(match.group(1)))):
            if request.path == self.old_path(entry):
                return pages.moved(self.url(self.article_path(entry))) if entry.moved else None
            return self.entry_reply(entry, 0, self._article) if request.path == self.article_path(entry) else None
        return None

    def _file(self, path: str) -> Reply | None:
        if (match := _FILE.match(path)) and (entry := self.world.by_id.get(int(match.group(1)))):
            return pages.attachment_reply(self.world, entry) if path == self.attachment_path(entry) else None
        return None

    def _page(self, title: str, body: str, charset=UTF8, head: str = "") -> str:
        return pages.shell(title, f'<div class="header">{escape(self.world.county)}人民政府</div>{body}', charset, head)

    def _config(self, **extra: object) -> str:
        tree = [{"id": 1, "name": "机构职能", "children": []},
                {"id": MAIN_CATEGORY, "name": self.column,
                 "children": [{"id": LOCAL_CATEGORY, "name": "镇街政府信息公开年报", "children": []}]},
                {"id": 3, "name": "规划计划", "children": []}]
        script = js_literal({"SID": self.sid, "TREE": tree, **extra})
        return f"<script>window._CONFIG = {script};</script>"

    def _index(self) -> str:
        return self._page("政府信息公开目录", '<div id="app">加载中…</div>' + self._config() +
                          '<script src="/gkmlpt/static/js/app.js"></script>')

    def _api(self, category: int, page: int) -> Reply:
        items, _ = paged(self.categories[category], page - 1, self.page_size)
        articles = [{
            "id": e.id, "title": e.title, "url": self.url(self.listed_path(e)), "publisher": e.unit.name,
            "date": int(datetime(e.posted.year, e.posted.month, e.posted.day, tzinfo=UTC).timestamp()),
            "attachment": ([{"name": f"{e.title}.{e.kind}", "url": self.url(self.attachment_path(e))}]
                           if e.kind != "html" and e.is_report else []),
        } for e in items]
        classify = {"id": category, "post_count": len(self.categories[category])}
        return _json({"classify": classify, "page": page, "page_size": self.page_size, "articles": articles})

    def _article(self, entry: Entry, page: int) -> Reply:
        charset = UNDECLARED if entry.id % 2 else UTF8
        body = pages.body_html(self.world, entry, self.attachment_path(entry))
        detail = {"id": entry.id, "title": entry.title, "publisher": entry.unit.name,
                  "date": entry.posted.isoformat(), "content": body}
        content = (f"{pages.info_table(entry, self.column)}<h1>{escape(entry.title)}</h1>"
                   f'<div class="article-content">{body}</div>{self._config(DETAIL=detail)}')
        return pages.html_reply(self._page(entry.title, content, charset, pages.article_meta(entry, self.column)),
                                charset, modified=entry.posted)
