"""A hostile portal of the tests' own: fixed replies by path, served through the farm's server on 127.0.0.1.

Its home page links each report-like page by a title the generic spider follows, so a crawl of
``http://{HOST}/`` fetches exactly the pages a test puts there, plus one real report of the farm.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from html import escape
from typing import Any

from sampleportal.farm.app import Reply, Request
from tests.support.farm import farm_apps

HOST = "www.hostile.gov.test"
HTML = (("Content-Type", "text/html; charset=utf-8"),)


def html(text: str) -> Reply:
    return Reply(200, text.encode("utf-8"), HTML)


def farm_reports(count: int) -> list[tuple[Mapping[str, Any], Reply]]:
    """``count`` one-page inline HTML reports of the farm: their manifest entries and pages as served."""
    (app, *_) = farm_apps()
    items = [m for m in app.manifest() if m["kind"] == "html" and m["format"] != "seed" and "parts" not in m]
    return [(item, app.handle(Request("GET", app.host, item["url"].split(app.host, 1)[1], "", {})))
            for item in items[:count]]


class HostilePortal:
    """``pages`` (path → Reply) linked from the home page under ``titles`` (path → link text)."""

    def __init__(self, pages: Mapping[str, Reply], titles: Mapping[str, str], host: str = HOST) -> None:
        self.host, self.pages = host, dict(pages)
        links = "".join(f'<li><a href="{path}">{escape(title)}</a></li>' for path, title in titles.items())
        self.pages["/"] = html(f"<html><head><title>样例县人民政府</title></head><body><ul>{links}</ul></body></html>")

    def handle(self, request: Request) -> Reply:
        return self.pages.get(request.path) or Reply(404, b"not found", (("Content-Type", "text/plain"),))

    def manifest(self) -> Iterator[Mapping[str, Any]]:
        return iter(())

    @property
    def home(self) -> str:
        return f"http://{self.host}/"


BIG_TITLE = "2023年度政府信息公开工作报告（全文）"


def big_page() -> str:
    """An ordinary page, only long (about 7 MB): paragraphs and a table of 20,000 rows."""
    paragraphs = "".join(f"<p>本机关{i}年度主动公开政府信息{i}条，依申请公开办理情况良好。</p>" for i in range(60_000))
    rows = "".join(f"<tr><td>第{i}项</td><td>{i * 7}</td><td>政府信息公开申请办理情况</td></tr>" for i in range(20_000))
    return (f"<html><head><title>{BIG_TITLE}</title></head><body><h1>{BIG_TITLE}</h1>{paragraphs}"
            f"<table>{rows}</table></body></html>")
