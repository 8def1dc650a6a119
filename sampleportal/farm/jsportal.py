"""A portal whose 年报 list exists only after JavaScript runs.

Each list page (``/zfxxgk/ndbg/index.html``, ``index_1.html``, …) is an empty ``<ul id="list">``
plus ``/js/list.js``, which fetches ``/api/list?page=N`` (JSON: page count and rows) and builds the
article links and the pager. Without a JavaScript engine the list shows no link at all. Articles are
plain HTML: generated reports with known stats and one look-alike.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qs

from sampleportal.farm.app import Reply, Request
from sampleportal.farm.articles import NOT_FOUND, ArticleColumn, column_articles, ok
from sampleportal.farm.portal import PortalConfig, portal_seed

COLUMN = "/zfxxgk/ndbg/"
PAGE_SIZE = 3
LIST_JS = """(function () {
  var list = document.getElementById("list"), page = list.getAttribute("data-page");
  fetch("/api/list?page=" + page).then(function (r) { return r.json(); }).then(function (data) {
    data.rows.forEach(function (row) {
      var li = document.createElement("li"), a = document.createElement("a");
      a.href = row.url; a.textContent = row.title; li.appendChild(a);
      li.appendChild(document.createTextNode(" " + row.date)); list.appendChild(li);
    });
    var pager = document.getElementById("pager");
    for (var n = 0; n < data.pages; n++) {
      var link = document.createElement("a");
      link.href = n === 0 ? "index.html" : "index_" + n + ".html"; link.textContent = String(n + 1);
      pager.appendChild(link);
    }
  });
})();
"""


def list_name(page: int) -> str:
    return "index.html" if page == 0 else f"index_{page}.html"


class JsListPortal(ArticleColumn):
    """PortalApp: home (plain) → a JavaScript-built 年报 list in pages of ``PAGE_SIZE`` → plain articles."""

    def __init__(self, host: str, reports: int = 7, seed: int = 29) -> None:
        self.host = host
        self.articles = column_articles(seed, COLUMN, reports)
        self.page_count = -(-len(self.articles) // PAGE_SIZE)
        self.pages = {
            "/": '<html><head><meta charset="utf-8"><title>县人民政府</title></head><body><a href="/zwgk/index.html">'
                 f'政务公开</a> <a href="{COLUMN}index.html">政府信息公开年报</a></body></html>',
            **{COLUMN + list_name(n): self._list_page(n) for n in range(self.page_count)},
            **{a.path: a.page for a in self.articles},
        }

    def _list_page(self, page: int) -> str:
        return ('<html><head><meta charset="utf-8"><title>政府信息公开年报</title></head><body>'
                f'<h2>政府信息公开年报</h2><ul id="list" data-page="{page}"></ul><div id="pager"></div>'
                '<script src="/js/list.js"></script></body></html>')

    def _api(self, query: str) -> str:
        page = int(parse_qs(query).get("page", ["0"])[0])
        rows = [{"title": a.title, "url": a.path, "date": a.posted}
                for a in self.articles[page * PAGE_SIZE:(page + 1) * PAGE_SIZE]]
        return json.dumps({"pages": self.page_count, "rows": rows}, ensure_ascii=False)

    def handle(self, request: Request) -> Reply:
        if request.path == "/api/list":
            return ok(self._api(request.query), "application/json; charset=utf-8")
        if request.path == "/js/list.js":
            return ok(LIST_JS, "application/javascript")
        if request.path == "/robots.txt":
            return ok("User-agent: *\nDisallow: /search/\n", "text/plain")
        page = self.pages.get(request.path)
        return NOT_FOUND if page is None else ok(page)


def js_list_portal(config: PortalConfig) -> JsListPortal:
    """A farm.toml entry: ``reports`` (default 7)."""
    return JsListPortal(config.host, int(config.options.get("reports", 7)), seed=portal_seed(config))
