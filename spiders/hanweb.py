"""Hanweb 大汉 jcms portals: /col/colN/index.html columns whose rows come from the dataproxy.jsp XML
(POSTed in ranges, as the portal's own jpage script does), per-year xxgkAnnualReport.jsp lists, and
/art/Y/M/D/art_COL_ID.html articles (docs/PORTALS.md "CMS families": Hanweb 大汉 jcms)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import scrapy
from scrapy.http import Response

from spiders import meta
from spiders.base import PortalSpider
from spiders.links import COLUMN_TEXT, HUB_TEXT, hrefs, links_by_text

_COLUMN_HREF = re.compile(r"/col/col\d+/index\.html$")
_ARTICLE_HREF = re.compile(r"/art/\d{4}/\d{1,2}/\d{1,2}/art_\d+_\d+\.html$")
_YEAR_LIST_HREF = re.compile(r"/module/xxgk/xxgkAnnualReport\.jsp\?(?:[^\"'#]*&)?fbtime=\d{4}")
_PARAM = "{}\\s*[:=]\\s*['\"]?(\\d+)"
_RECORD_HREF = re.compile(r"""href=["']([^"']+)["']""")
_TOTAL = re.compile(r"<totalrecord>\s*(\d+)\s*</totalrecord>")
DATAPROXY = "/module/web/jpage/dataproxy.jsp"


def jpage_params(text: str) -> dict[str, str] | None:
    """columnid, unitid, webid and perpage of a column page's jpage script; None when it has none."""
    found = {key: re.search(_PARAM.format(key), text) for key in ("columnid", "unitid", "webid", "perpage")}
    if not all(found[key] for key in ("columnid", "unitid", "webid")):
        return None
    return {key: match.group(1) if match else "15" for key, match in found.items()}


class HanwebSpider(PortalSpider):
    name = "hanweb"

    def parse(self, response: Response) -> Iterator[scrapy.Request]:
        """A start page: a home page or hub (its columns followed), or a 年报 column itself (jpage script)."""
        if jpage_params(response.text):
            yield from self.parse_column(response)
        for href in links_by_text(response, HUB_TEXT) + links_by_text(response, COLUMN_TEXT):
            if _COLUMN_HREF.search(href):
                yield self.follow(response, href, self.parse_column)

    def parse_column(self, response: Response) -> Iterator[scrapy.Request]:
        for href in links_by_text(response, COLUMN_TEXT):
            if _COLUMN_HREF.search(href):
                yield self.follow(response, href, self.parse_column)
            elif _YEAR_LIST_HREF.search(href):
                yield self.follow(response, href, self.parse_list)
        params = jpage_params(response.text)
        if params and COLUMN_TEXT.search(response.css("title::text").get() or ""):
            yield self.records(response, params, 1)

    def records(self, response: Response, params: dict[str, str], start: int) -> scrapy.FormRequest:
        """The dataproxy range from ``start``: three pages of rows at a time, as jpage asks."""
        end = start + 3 * int(params["perpage"]) - 1
        form = {**params, "startrecord": str(start), "endrecord": str(end), "col": "1", "appid": "1"}
        return scrapy.FormRequest(response.urljoin(DATAPROXY), formdata=form, callback=self.parse_records,
                                  errback=self.fetch_failed, cb_kwargs={"params": params})

    def parse_records(self, response: Response, params: dict[str, str]) -> Iterator[scrapy.Request]:
        articles = [h for h in dict.fromkeys(_RECORD_HREF.findall(response.text)) if _ARTICLE_HREF.search(h)]
        for href in articles:
            yield self.follow(response, href, self.parse_article)
        current, step = response.meta.get(meta.RANGE_START, 1), 3 * int(params["perpage"])
        total = int(match.group(1)) if (match := _TOTAL.search(response.text)) else 0
        ranges = self.list_pages(response, -(-total // step), first=current == 1)
        later = []
        for start in range(current + step, min(total, step * ranges) + 1, step):
            request = self.records(response, params, start)
            request.meta[meta.RANGE_START] = start
            later.append(request)
        yield from self.paging(response, articles, later, first=current == 1)

    def parse_list(self, response: Response) -> Iterator[scrapy.Request]:
        for href in hrefs(response, _ARTICLE_HREF):
            yield self.follow(response, href, self.parse_article)
