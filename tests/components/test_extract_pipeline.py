"""ExtractPipeline driven directly: attachments get their page as context, bad files a logged reason."""

from __future__ import annotations

import asyncio

import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

import crawler.settings as project_settings
from crawler.core.record import Fetched
from crawler.items import DocumentItem
from pipelines.extract import ExtractPipeline
from sampleportal import docfiles, synthetic
from sampleportal.site import build_site

PAGE_PATH = "/xxgk/zfxxgknb/202003/t20200320_1049410.html"
PDF_PATH = "/xxgk/zfxxgknb/202003/P0202003201049410.pdf"


def pipeline(**settings) -> ExtractPipeline:
    defaults = {k: getattr(project_settings, k) for k in dir(project_settings) if k.startswith("NIANBAO_")}
    crawler = get_crawler(settings_dict={**defaults, **settings})
    return ExtractPipeline.from_crawler(crawler)


def document(path: str, body: bytes, content_type: str | None, page: Fetched | None = None) -> DocumentItem:
    url = "http://www.yangli.gov.test" + path
    return DocumentItem(url=url, final_url=url, status=200, content_type=content_type, body=body,
                        fetched_at="2020-01-01T00:00:00+00:00", portal="p", page=page)


def test_attachment_only_page_is_dropped_with_its_reason():
    site = build_site()
    extract = pipeline()
    with pytest.raises(DropItem, match=r"attachment-only page .*t20200320_1049410\.html"):
        asyncio.run(extract.process_item(document(PAGE_PATH, site[PAGE_PATH].body, site[PAGE_PATH].content_type)))
    assert extract.stats.get_value("nianbao/attachment_only_pages") == 1


def test_attachment_record_uses_the_page_as_context():
    site = build_site()
    page = Fetched(body=site[PAGE_PATH].body, url="http://www.yangli.gov.test" + PAGE_PATH,
                   content_type=site[PAGE_PATH].content_type)
    item = asyncio.run(pipeline().process_item(document(PDF_PATH, site[PDF_PATH].body, "application/pdf", page)))
    record = item.record
    assert record["source"]["kind"] == "pdf" and record["source"]["page_url"] == page.url
    assert (record["title"], record["published"]) == ("样例县财政局2019年政府信息公开工作年度报告", "2020-03-20")


def test_unreadable_attachment_is_dropped_with_its_reason():
    body = docfiles.pdf_bytes(synthetic.report("样例县审计局", 2020))
    extract = pipeline()
    with pytest.raises(DropItem, match=r"unreadable document .*\.pdf: broken or truncated PDF"):
        asyncio.run(extract.process_item(document(PDF_PATH, body[:500], "application/pdf")))
    assert extract.stats.get_value("nianbao/unreadable_documents") == 1


def test_size_limit_comes_from_settings():
    body = docfiles.pdf_bytes(synthetic.report("样例县审计局", 2020))
    with pytest.raises(DropItem, match="over the 1000-byte limit"):
        asyncio.run(pipeline(NIANBAO_MAX_DOCUMENT_BYTES=1000).process_item(document(PDF_PATH, body, None)))
