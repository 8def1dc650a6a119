"""A TRS WCM county portal (docs/PORTALS.md "CMS families": TRS WCM).

``/`` → ``/xxgk/index.html`` (hub) → ``/xxgk/zfxxgknb/index.html``, ``index_N.html`` (government and
departments, ``createPageHTML(count, cur, "index", "html")`` and ``var countPage``) with per-year
sub-columns ``/xxgk/zfxxgknb/{year}/index.html`` (townships, subdistricts). Articles
``./YYYYMM/tYYYYMMDD_ID.html``, long ones continued at ``tYYYYMMDD_ID_1.html``; files beside them as
``P0YYYYMMDD{ID}.{ext}``; moved articles answer 301 from ``/xxgk/gknb/…``. A calendar under
``/xxgk/rili/`` pages through months forever (robots.txt disallows it), and one old link moves off the
portal to another host.
"""

from __future__ import annotations

import re
from html import escape
from urllib.parse import parse_qs

from sampleportal.farm import pages
from sampleportal.farm.app import Reply, Request
from sampleportal.farm.pages import UTF8, Charset
from sampleportal.farm.portal import CENTRAL, FarmPortal, paged
from sampleportal.farm.world import Entry

COLUMN = "/xxgk/zfxxgknb/"
GUIDE = "/xxgk/zn/index.html"  # the 政府信息公开指南 beside the column on the hub
_LIST = re.compile(r"^/xxgk/zfxxgknb/(?:(\d{4})/)?index(?:_(\d+))?\.html$")
_ARTICLE = re.compile(r"^/xxgk/(zfxxgknb|gknb)/(?:\d{4}/)?\d{6}/t\d{8}_(\d+)(?:_(\d+))?\.html$")
_FILE = re.compile(r"^/xxgk/zfxxgknb/(?:\d{4}/)?\d{6}/P0\d{8}(\d+)\.(\w+)$")
OFFSITE_LINK = "/xxgk/zfxxgknb/201901/t20190101_1.html"  # answers 301 to a host outside the registry
OFFSITE_TARGET = "http://www.nianbao-archive.test/gknb/index.html"
SEED_CHARSET = Charset("gbk", None, "gb2312")  # the 密云 seed: GBK bytes, gb2312 only in <meta>


class TrsPortal(FarmPortal):
    family = "trs"
    multipage = True

    def _dir(self, entry: Entry) -> str:
        sub = "" if entry.unit.level in CENTRAL else f"{entry.year}/"
        return f"{COLUMN}{sub}{entry.posted:%Y%m}/"

    def article_path(self, entry: Entry, page: int = 0) -> str:
        return f"{self._dir(entry)}t{entry.posted:%Y%m%d}_{entry.id}{f'_{page}' if page else ''}.html"

    def attachment_path(self, entry: Entry) -> str:
        return f"{self._dir(entry)}P0{entry.posted:%Y%m%d}{entry.id}.{entry.kind}"

    def old_path(self, entry: Entry) -> str:
        return f"/xxgk/gknb/{entry.posted:%Y%m}/t{entry.posted:%Y%m%d}_{entry.id}.html"

    def route(self, request: Request) -> Reply | None:
        path = request.path
        if path in ("/", "/index.html"):
            return pages.html_reply(self._home(), modified=self.today)
        if path == "/xxgk/index.html":
            return pages.html_reply(self._hub(), modified=self.today)
        if path == GUIDE:
            return pages.html_reply(self._page("政府信息公开指南", "<p>本指南说明政府信息公开的范围、方式和程序。</p>"))
        if path == OFFSITE_LINK:
            return pages.moved(OFFSITE_TARGET)
        if path == "/xxgk/rili/index.html":
            return pages.html_reply(self._calendar(parse_qs(request.query).get("month", ["2020-01"])[0]))
        if match := _LIST.match(path):
            year, page = match.group(1), int(match.group(2) or 0)
            entries = self.local_by_year.get(int(year), []) if year else self.main
            if year and not entries:
                return None
            items, count = paged(entries, page, self.page_size)
            return pages.html_reply(self._list(items, page, count, year), modified=self.today) if page < count else None
        if match := _ARTICLE.match(path):
            entry = self.world.by_id.get(int(match.group(2)))
            part = int(match.group(3) or 0)
            if entry is None or part >= entry.pages:
                return None
            if match.group(1) == "gknb":
                return pages.moved(self.url(self.article_path(entry))) if entry.moved else None
            return self.entry_reply(entry, part, self._article) if path == self.article_path(entry, part) else None
        if (match := _FILE.match(path)) and (entry := self.world.by_id.get(int(match.group(1)))):
            return pages.attachment_reply(self.world, entry) if path == self.attachment_path(entry) else None
        return None

    def _page(self, title: str, body: str, charset: Charset = UTF8, head: str = "") -> str:
        nav = ('<div class="header"><a href="/">' + escape(self.world.county) + '人民政府</a><ul class="nav">'
               '<li><a href="/">首页</a></li><li><a href="/xxgk/index.html">信息公开</a></li></ul></div>')
        footer = ('<div class="footer"><a href="http://www.gov.cn/">中国政府网</a> 主办：'
                  f"{escape(self.world.county)}人民政府办公室</div>")
        return pages.shell(title, nav + body + footer, charset, head)

    def _home(self) -> str:
        news = "".join(f'<li><a href="/zwdt/{e.posted:%Y%m}/t{e.posted:%Y%m%d}_{e.id % 10**6}.html">政务要闻</a></li>'
                       for e in self.main[:3])
        return self._page(f"{self.world.county}人民政府", f'<ul class="news">{news}</ul>'
                          '<div class="gk"><a href="/xxgk/index.html">政府信息公开</a></div>')

    def _hub(self) -> str:
        links = f'<li><a href="{GUIDE}">政府信息公开指南</a></li>' + \
            f'<li><a href="{COLUMN}index.html">{self.column}</a></li>'
        return self._page("信息公开", f'<div class="location">当前位置：首页 &gt; 信息公开</div><ul>{links}</ul>')

    def _list(self, items, page: int, count: int, year: str | None) -> str:
        prefix = f"{COLUMN}{year}/" if year else COLUMN
        rows = "".join(f'<li><a href="{_relative(self.listed_path(e), prefix)}" target="_blank">{escape(e.title)}</a>'
                       f"<span>{e.posted.isoformat()}</span></li>" for e in items)
        extra = ""
        if not year:
            years = "".join(f'<a href="./{y}/index.html">{y}年度乡镇（街道）年报</a> '
                            for y in sorted(self.local_by_year))
            extra = (f'<div class="subcol">{years}</div>'
                     '<div class="calendar"><a href="/xxgk/rili/index.html?month=2020-01">年报发布日历</a></div>')
            if page == 0:
                rows += f'<li><a href="{OFFSITE_LINK}">历年年报专栏（已迁移）</a><span>2019-01-01</span></li>'
        body = (f'<div class="location">当前位置：首页 &gt; 信息公开 &gt; {self.column}</div>{extra}'
                f'<div class="list"><ul>{rows}</ul></div><div class="page"><script>var countPage = {count};'
                f'createPageHTML({count}, {page}, "index", "html");</script></div>')
        return self._page(f"{self.column}_{self.world.county}", body)

    def _calendar(self, month: str) -> str:
        year, mon = (int(x) for x in month.split("-")[:2]) if re.fullmatch(r"\d{4}-\d{1,2}", month) else (2020, 1)
        prev = f"{year - (mon == 1)}-{12 if mon == 1 else mon - 1:02d}"
        nxt = f"{year + (mon == 12)}-{1 if mon == 12 else mon + 1:02d}"
        return self._page("年报发布日历", f'<a href="?month={prev}">上个月</a> {year}年{mon}月 '
                          f'<a href="?month={nxt}">下个月</a>')

    def _article(self, entry: Entry, part: int) -> Reply:
        charset = SEED_CHARSET if entry.variant == "000_a548a34bccc868de.txt" else UTF8
        body = pages.body_html(self.world, entry, "./" + self.attachment_path(entry).rsplit("/", 1)[1], part)
        pager = (f'<div class="page"><script>createPageHTML({entry.pages}, {part}, '
                 f'"t{entry.posted:%Y%m%d}_{entry.id}", "html");</script></div>' if entry.pages > 1 else "")
        content = (f'<div class="location">当前位置：首页 &gt; 信息公开 &gt; <a href="{COLUMN}index.html">{self.column}'
                   f"</a></div>{pages.info_table(entry, self.column)}"
                   f'<div class="article"><h1>{escape(entry.title)}</h1>'
                   f'<div class="TRS_Editor" id="zoom">{body}</div>{pager}</div>')
        html = self._page(f"{entry.title}_{self.world.county}人民政府", content, charset,
                          pages.article_meta(entry, self.column))
        return pages.html_reply(html, charset, modified=entry.posted)


def _relative(path: str, prefix: str) -> str:
    """``./202001/t….html`` inside the list's own directory, as TRS writes it; absolute elsewhere."""
    return "./" + path[len(prefix):] if path.startswith(prefix) else path
