"""Report articles for farm portals: generated reports with known stats, one look-alike, their truth.

``column_articles(seed, column, count)`` gives ``count`` reports (formats in turn: 2021, 2019, pre2019)
and then one look-alike (a 工作要点 letter), each at a TRS-style path under ``column``
(``YYYYMM/tYYYYMMDD_ID.html``) with its whole page and, for reports, its manifest truth.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from html import escape
from typing import Any

from sampleportal.farm.app import Reply
from sampleportal.reportgen import generate

_FORMATS = ("2021", "2019", "pre2019")
HTML = "text/html; charset=utf-8"
NOT_FOUND = Reply(404, b"<html><body>404</body></html>", (("Content-Type", HTML),))


def ok(body: str, content_type: str = HTML) -> Reply:
    return Reply(200, body.encode("utf-8"), (("Content-Type", content_type),))


@dataclass(frozen=True)
class FarmArticle:
    path: str
    title: str
    posted: str  # YYYY-MM-DD
    page: str  # the whole HTML page
    truth: Mapping[str, Any] | None  # manifest fields (unit, year, format, kind, stats); None: a look-alike


def column_articles(seed: int, column: str, count: int) -> list[FarmArticle]:
    rng = random.Random(seed)
    articles = []
    for number in range(count):
        report = generate(rng, _FORMATS[number % len(_FORMATS)])
        posted = f"{report.year + 1}-01-{10 + number:02d}"
        truth = {"unit": report.agency, "year": report.year, "format": report.format, "kind": "html",
                 "stats": report.stats}
        articles.append(FarmArticle(_path(column, posted, seed * 1000 + number), report.title, posted,
                                    report.html(), truth))
    title = f"关于印发{report.agency}{report.year + 1}年政务公开工作要点的通知"
    posted = f"{report.year + 1}-03-02"
    page = (f"<html><head><meta charset='utf-8'><title>{escape(title)}</title></head><body>"
            f"<div class='article'><h1>{escape(title)}</h1><p>各乡镇人民政府，县政府各部门：</p>"
            f"<p>现将《{report.year + 1}年政务公开工作要点》印发给你们，请认真贯彻落实。</p></div></body></html>")
    articles.append(FarmArticle(_path(column, posted, seed * 1000 + count), title, posted, page, None))
    return articles


def _path(column: str, posted: str, article_id: int) -> str:
    day = posted.replace("-", "")
    return f"{column}{day[:6]}/t{day}_{article_id}.html"


class ArticleColumn:
    """What the browser portals share: one column of ``articles`` at ``host``, its manifest and look-alikes."""

    host: str
    articles: list[FarmArticle]

    def manifest(self) -> Iterator[Mapping[str, Any]]:
        """The PortalApp manifest (look-alikes left out)."""
        for article in self.articles:
            if article.truth is not None:
                yield {"url": f"http://{self.host}{article.path}", "portal": self.host, **article.truth}

    def lookalikes(self) -> Iterator[str]:
        return (f"http://{self.host}{article.path}" for article in self.articles if article.truth is None)
