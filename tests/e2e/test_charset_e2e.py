"""Charsets as portals get them wrong (issue "nothing lost", item 4), crawled from a server of the test's
own: a correct label survives a stray byte, a UTF-16 label on UTF-8 bytes is not believed, and a page
whose text is mojibake is archived with a ``garbled`` warning."""

from __future__ import annotations

import pytest

from sampleportal.farm.app import Reply
from sampleportal.farm.server import FarmServer
from tests.support.archive import records
from tests.support.cli import run_cli
from tests.support.hostile import HostilePortal, farm_reports


def served(body: bytes, content_type: str) -> Reply:
    return Reply(200, body, (("Content-Type", content_type),))


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    reports = farm_reports(3)
    (stray, _), (wide, _), _ = reports
    bodies = [page.body for _, page in reports]
    end = bodies[0].rindex(b"</body>")
    unlabelled = bodies[1].replace(b'charset=utf-8"', b'"')
    unlabelled += b"\n" * (len(unlabelled) % 2)  # an even length: UTF-8 bytes then decode as UTF-16 "cleanly"
    pages = {
        "/nb/stray.html": served(bodies[0][:end] + b"\xff" + bodies[0][end:], "text/html; charset=utf-8"),
        "/nb/wide.html": served(unlabelled, "text/html; charset=utf-16"),
        # UTF-8 once read as GBK by a CMS, stored and served as UTF-8: clean bytes, garbled text.
        "/nb/mojibake.html": served(bodies[2].decode("utf-8").encode("utf-8").decode("gb18030", "replace")
                                    .encode("utf-8"), "text/html; charset=utf-8"),
    }
    titles = {"/nb/stray.html": stray["title"], "/nb/wide.html": wide["title"], "/nb/mojibake.html": "2021年年度报告"}
    hostile = HostilePortal(pages, titles)
    archive = tmp_path_factory.mktemp("charsets") / "archive"
    with FarmServer([hostile]) as server:
        result = run_cli("crawl", hostile.home, "--proxy", server.url, "--archive", str(archive))
    assert result.returncode == 0, result.stderr[-3000:]
    by_url = {r["source"]["url"].rsplit("/", 1)[1]: r for r in records(archive)}
    return {"stray": stray, "wide": wide}, by_url


def test_a_stray_byte_keeps_the_declared_charset(crawled):
    truth, by_url = crawled
    record = by_url["stray.html"]
    assert record["title"] == truth["stray"]["title"] and record["stats"] == truth["stray"]["stats"]
    assert record["source"]["encoding"] == "utf-8" and record["source"]["encoding_source"] == "http"
    assert 0 < record["source"]["replacement_share"] < 0.001
    assert any(w.startswith("decoding replaced") for w in record["parser"]["warnings"])


def test_a_utf16_label_on_utf8_bytes_is_not_believed(crawled):
    truth, by_url = crawled
    record = by_url["wide.html"]
    assert record["source"]["declared_charset"] == "utf-16" and record["source"]["encoding"] == "utf-8"
    assert record["title"] == truth["wide"]["title"] and record["is_report"]
    assert record["stats"] == truth["wide"]["stats"]


def test_a_garbled_text_is_archived_with_a_warning(crawled):
    _, by_url = crawled
    record = by_url["mojibake.html"]
    assert [w for w in record["parser"]["warnings"] if w.startswith("garbled: only ")]
    others = [w for r in by_url.values() if r is not record for w in r["parser"]["warnings"]]
    assert not [w for w in others if w.startswith("garbled")]
