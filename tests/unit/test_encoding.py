"""The decoding cascade on generated pages: exact text out, and the decision's source recorded."""

from __future__ import annotations

import codecs

import pytest

from crawler.core.encoding import codec_name, decode

TEXT = "朱镕基主持会议，王堃出席。政府信息公开工作年度报告：主动公开政府信息1200条。"  # 镕, 堃: not in GB2312
RARE = "𠀀𪚥〇八年度报告"  # characters only GB18030's four-byte area encodes


def page(body: str, meta: str | None) -> str:
    head = f'<meta http-equiv="Content-Type" content="text/html; charset={meta}">' if meta else ""
    return f"<html><head>{head}<title>年度</title></head><body><p>{body}</p></body></html>"


def test_gb2312_and_gbk_labels_decode_as_gb18030():
    assert codec_name("GB2312") == codec_name("gbk") == codec_name("x-gbk") == "gb18030"


def test_utf8_by_http_header():
    html = page(TEXT, None)
    result = decode(html.encode("utf-8"), "text/html; charset=UTF-8")
    assert (result.text, result.encoding, result.source) == (html, "utf-8", "http")


def test_gbk_labelled_gb2312_in_meta_keeps_gbk_only_characters():
    html = page(TEXT, "gb2312")
    result = decode(html.encode("gbk"), "text/html")
    assert result.text == html
    assert (result.encoding, result.source, result.declared) == ("gb18030", "meta", "gb2312")
    assert result.replacement_share == 0


def test_gb18030_four_byte_characters():
    html = page(RARE + TEXT, "gb18030")
    assert decode(html.encode("gb18030"), None).text == html


def test_big5_by_header():
    body = "政府資訊公開年度報告，本年度受理申請十二件。"
    html = page(body, None)
    result = decode(html.encode("big5"), "text/html; charset=big5")
    assert (result.text, result.encoding) == (html, "big5")


def test_utf8_page_that_declares_gb2312_is_read_as_utf8():
    html = page(TEXT, "gb2312")
    result = decode(html.encode("utf-8"), "text/html; charset=gb2312")
    assert (result.text, result.encoding, result.source) == (html, "utf-8", "utf8-check")


def test_gbk_page_that_declares_utf8_is_detected():
    html = page(TEXT * 3, "utf-8")
    result = decode(html.encode("gbk"), "text/html; charset=utf-8")
    assert result.text == html
    assert result.encoding == "gb18030" and result.source in {"chardet", "fallback"}


def test_undeclared_gbk():
    html = page(TEXT * 3, None)
    result = decode(html.encode("gbk"), None)
    assert result.text == html and result.encoding == "gb18030"


@pytest.mark.parametrize("label", ["iso-8859-1", "windows-1252", "latin-1"])
def test_western_labels_never_decode_chinese(label):
    html = page(TEXT * 3, label)
    result = decode(html.encode("gbk"), f"text/html; charset={label}")
    assert result.text == html
    assert result.encoding not in {"iso8859-1", "cp1252", "latin-1"}


def test_bom_wins_over_wrong_declaration():
    html = page(TEXT, "gbk")
    result = decode(codecs.BOM_UTF8 + html.encode("utf-8"), "text/html; charset=gbk")
    assert (result.text, result.source) == (html, "bom")


def test_broken_bytes_fall_back_to_gb18030_with_replacement_share():
    raw = page(TEXT, None).encode("gbk") + b"\xff\xff\xff\xff"
    result = decode(raw, None)
    assert result.encoding == "gb18030"
    assert TEXT in result.text
    assert 0 < result.replacement_share < 0.1
