"""Attachment links, attachment-only pages and the page context of an attachment's record."""

from __future__ import annotations

import pytest

from crawler.core.attachments import attachment_links, attachment_name, in_page_context, is_attachment_only
from crawler.core.types import Extracted


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("http://x.gov.cn/xxgk/202003/P020200320.pdf", "P020200320.pdf"),
        ("http://x.gov.cn/a/%E5%B9%B4%E6%8A%A5.DOCX", "年报.DOCX"),
        ("http://x.gov.cn/module/download/downfile.jsp?classid=0&filename=2019nb.xls", "2019nb.xls"),
        ("http://x.gov.cn/xxgk/202003/t20200320_1.html", None),
        ("http://x.gov.cn/pdf/index.html", None),
    ],
)
def test_attachment_name(url, name):
    assert attachment_name(url) == name


def test_attachment_links_are_absolute_unique_and_in_order():
    html = (
        '<div><a href="./P1.pdf">年度报告.pdf</a><a href="javascript:void(0)">x.pdf</a>'
        '<a href="/d.jsp?filename=b.wps">下载</a><a href="./P1.pdf">again</a><a href="t1.html">page</a></div>'
    )
    links = attachment_links(html, "http://x.gov.cn/xxgk/202003/t1.html")
    assert [(link.url, link.text) for link in links] == [
        ("http://x.gov.cn/xxgk/202003/P1.pdf", "年度报告.pdf"),
        ("http://x.gov.cn/d.jsp?filename=b.wps", "下载"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "附件：样例县2019年政府信息公开工作年度报告.pdf",
        "文件下载：\n样例县2019年政府信息公开工作年度报告.docx",
        "样例县2019年政府信息公开工作年度报告\n相关附件\n1. 年报.xls（56KB）",
    ],
)
def test_attachment_only_pages(text):
    assert is_attachment_only(Extracted(title="t", text=text))


def test_a_page_with_its_own_report_text_is_not_attachment_only():
    text = "一、总体情况\n" + "本年度主动公开政府信息1234条，" * 10 + "\n附件：统计表.xls"
    assert not is_attachment_only(Extracted(title="t", text=text))


def test_page_context_title_only_for_attachment_only_pages():
    document = Extracted(title="附表", text="统计指标\t单位", metadata={"sheets": "表1"})
    only_link = Extracted(title="样例县2019年政府信息公开工作年度报告", text="附件：年报.xls",
                          metadata={"发布日期": "2020-01-20", "sheets": "page"})
    merged = in_page_context(document, only_link)
    assert merged.title == "样例县2019年政府信息公开工作年度报告"
    assert merged.metadata == {"发布日期": "2020-01-20", "sheets": "表1"}  # the document's own keys win
    with_text = Extracted(title="样例县2019年政府信息公开工作年度报告", text="本年度主动公开政府信息1234条。" * 12)
    assert in_page_context(document, with_text).title == "附表"
