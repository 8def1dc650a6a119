"""The coverage page: rendered from its template, readable colours, and every found cell leads to its
records and their source URLs — checked in headless Chromium."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from playwright.sync_api import sync_playwright

from crawler.export.coverpage import PALETTE
from crawler.settings import NIANBAO_CHROMIUM, NIANBAO_CHROMIUM_ARGS
from tests.support.cli import run_cli

pytestmark = pytest.mark.browser  # real Chromium


def _luminance(colour: str) -> float:
    channels = [int(colour[k:k + 2], 16) / 255 for k in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_every_status_has_readable_text():
    for status, (background, text) in PALETTE.items():
        light, dark = sorted((_luminance(background), _luminance(text)), reverse=True)
        assert (light + 0.05) / (dark + 0.05) >= 4.5, status  # WCAG AA for normal text


def test_found_cells_link_to_their_records_in_a_real_browser(crawled_archive, tmp_path):
    result = run_cli("coverage", "--archive", str(crawled_archive), "--out", str(tmp_path), "--years", "2014-2023")
    assert result.returncode == 0, result.stderr
    page_file = tmp_path / "coverage.html"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=NIANBAO_CHROMIUM, args=NIANBAO_CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(page_file.as_uri())
            assert page.title() == "nianbao coverage: Coverage"
            found = page.locator("td.s-found")
            assert found.count() >= 5
            for k in range(found.count()):
                anchor = found.nth(k).locator("a").get_attribute("href")
                section = page.locator(f"section{anchor}")
                assert section.count() == 1
                sources = section.locator("a.source")
                assert sources.count() >= 1
                assert all(sources.nth(j).get_attribute("href").startswith("http://")
                           for j in range(sources.count()))
                records = section.locator("a.record")
                for j in range(records.count()):
                    target = Path(unquote(urlsplit(records.nth(j).get_attribute("href")).path))
                    assert target.is_file() and target.is_relative_to(crawled_archive.resolve())
            first = found.first.locator("a")
            first.click()
            assert page.evaluate("location.hash") == first.get_attribute("href")
            assert page.locator("section:target li").count() >= 1
        finally:
            browser.close()
