"""Pages served at their original URLs for crawl tests: real captures read from ../shared at test time
(never copied into the repository) and generated stand-ins for the pages beside them."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlsplit

import pytest

from sampleportal.farm import pages
from sampleportal.farm.app import Reply, Request
from sampleportal.farm.world import Entry, Unit, World, stable_int
from tests.support.cli import ROOT

DISCOVERY = ROOT.parent / "shared" / "realworld" / "discovery"


def capture(name: str) -> tuple[bytes, dict[str, Any]]:
    """A real page of ../shared/realworld/discovery and its description; the test is skipped without it."""
    page, about = DISCOVERY / f"{name}.html", DISCOVERY / f"{name}.json"
    if not page.exists() or not about.exists():
        pytest.skip(f"the real capture {name} (../shared/realworld/discovery) is not on this machine")
    return page.read_bytes(), json.loads(about.read_text(encoding="utf-8"))


@dataclass
class Site:
    """One host answering fixed replies by path (query included when the key has one); 404 otherwise."""

    host: str
    replies: dict[str, Reply] = field(default_factory=dict)

    def add(self, url: str, reply: Reply) -> None:
        parts = urlsplit(url)
        self.replies[parts.path + (f"?{parts.query}" if parts.query else "")] = reply

    def handle(self, request: Request) -> Reply:
        key = request.path + (f"?{request.query}" if request.query else "")
        return self.replies.get(key) or pages.not_found()

    def manifest(self) -> Iterator[Mapping[str, Any]]:
        return iter(())


def html(body: bytes) -> Reply:
    return Reply(200, body, (("Content-Type", "text/html; charset=utf-8"),))


def report_page(title: str, year: int, agency: str, posted: date) -> Reply:
    """A generated annual report (the farm's generator) under ``title``: a stand-in for a real article."""
    world = World("stand-in", agency, 7, 1, range(year, year + 1))
    entry = Entry(stable_int("stand-in", title), Unit(agency, "government"), year, posted, "report", title=title)
    body = f"{pages.info_table(entry, '信息公开年报')}<h1>{title}</h1>{pages.body_html(world, entry, '')}"
    return pages.html_reply(pages.shell(title, body, head=pages.article_meta(entry, "信息公开年报")))


def list_page(title: str, links: Mapping[str, str]) -> Reply:
    """A small TRS-like list page linking ``links`` (href → text)."""
    items = "".join(f'<li><a href="{href}">{text}</a></li>' for href, text in links.items())
    return pages.html_reply(pages.shell(title, f'<ul class="list">{items}</ul>'))
