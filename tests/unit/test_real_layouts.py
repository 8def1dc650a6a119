"""Layouts and traps seen in real portals' material, each reproduced by a short text of our own.

Every case here is written for this file (agencies are made up); none is copied from a real page.
Each one stands for a pattern the development corpus showed the parser getting wrong.
"""

from __future__ import annotations

import json

import pytest

from crawler.core.documents import read_document, sniff
from crawler.core.record import Fetched, build_record
from crawler.core.texthead import guess_title, posted_date

OPENING = ("根据《中华人民共和国政府信息公开条例》（以下简称《条例》）要求，"
           "现公布{agency}{year}年政府信息公开工作年度报告。本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。")
OUTLINE = ("一、总体情况\n{year}年，我单位认真落实《条例》。\n（一）主动公开情况\n全年主动公开信息120条。\n"
           "（二）依申请公开情况\n全年未收到政府信息公开申请。\n"
           "四、政府信息公开行政复议、行政诉讼情况\n无。\n五、存在的主要问题及改进情况\n宣传不够。")


def record_of(text: str, url: str = "http://www.example.gov.test/xxgk/nb/166938.jhtml") -> dict:
    return build_record(Fetched(body=text.encode("utf-8"), url=url))


# --- what a document is comes from its bytes ------------------------------------------------------


def test_plain_text_at_an_html_address_is_text():
    body = "样例县青石镇2021年政府信息公开工作年度报告\n发布时间:2022-01-20\n正文第一段。".encode()
    assert sniff(body, None, "http://x.gov.test/art/2022/1/20/166938.jhtml") == "txt"
    assert sniff(body, "text/html; charset=utf-8", "t20220120_1.html") == "txt"
    assert sniff(b"<div class='zoom'><p>text</p></div>", "text/plain", "a.txt") == "html"
    document = read_document(body, "text/html", "http://x.gov.test/166938.jhtml")
    assert document.kind == "txt"
    assert document.extracted.text.startswith("样例县青石镇2021年")  # the opening is not lost


# --- title from the opening lines -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "title"),
    [
        # split: the agency on one line, "2020年政府信息公开工作年度报告" on the next
        ("样例县人民政府办公室\n2020年政府信息公开工作年度报告\n根据《条例》……",
         "样例县人民政府办公室2020年政府信息公开工作年度报告"),
        # year first, then the agency; the subject on the next line
        ("2019年南关街道\n政府信息公开工作年度报告\n本年度报告根据……", "2019年南关街道政府信息公开工作年度报告"),
        # site chrome and a breadcrumb before the title; the unit's name above the breadcrumb stays out
        ("登录 注册\n样例县青石镇\n您现在所在的位置: 网站首页 > 政府信息公开 > 年报\n青石镇2014年度信息公开年度报告\n"
         "发布时间:2015-01-06 00:00 来源:青石镇 字体:[ ]\n根据……", "青石镇2014年度信息公开年度报告"),
        # a flattened metadata table: "名 称:" carries the title
        ("- 设为首页\n- 加入收藏\n名 称: 北河街道办事处2022年度政府信息公开工作年度报告\n索 引 号: 0001/2023-01\n",
         "北河街道办事处2022年度政府信息公开工作年度报告"),
        # a notice's title goes on past "…年度报告" to its last line
        ("样例省人民政府办公厅\n关于政府信息公开工作年度报告\n有关事项的通知\n各市人民政府：",
         "样例省人民政府办公厅关于政府信息公开工作年度报告有关事项的通知"),
        # pinyin glosses of a spam mirror are not part of the title
        ("政(zheng)府信息公开工作年度报(bao)告\n正文", "政府信息公开工作年度报告"),
        # the column's name above the report's own title
        ("政府信息公开年报\n东山镇2020年政府信息公开工作年度报告\n发布时间：2021-01-10",
         "东山镇2020年政府信息公开工作年度报告"),
        # an excerpt that opens with a sentence has no title
        ("根据《条例》要求，现公布样例县2019年政府信息公开工作年度报告。\n一、总体情况", None),
        # a metadata table, each label alone on its line and its value below: the column's name ("组配分类")
        # is a field's value, and the posting date above the title is not part of it
        ("索引号:\n\n001/2018-12\n\n发布机构:\n\n样例县交通局\n\n组配分类:\n\n政府信息公开工作年报\n\n"
         "发布日期:\n\n2018-03-02\n\n2017年度样例县交通局政府信息公开工作年度报告\n\n本年报根据《条例》编制。",
         "2017年度样例县交通局政府信息公开工作年度报告"),
    ],
)
def test_title_from_opening_lines(text, title):
    assert guess_title(text) == title


# --- report or look-alike, from the document's own head -------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # no title line; the opening names itself and the period
        OPENING.format(agency="南关街道办事处", year=2019) + "\n" + OUTLINE.format(year=2019),
        # the opening cites a superior's 通知 about compiling the reports
        "根据《条例》和《样例市人民政府办公室关于做好2021年度政府信息公开工作年度报告编制和公布工作的通知》"
        "（样政办函〔2022〕3号）要求，编制本报告。本报告所列数据的统计期限为2021年1月1日至12月31日。\n"
        + OUTLINE.format(year=2021),
        # it cites the year's 政务公开工作要点 and says 工作总结如下
        "按照《2020年政务公开工作要点》，现将我局2020年度政府信息公开工作总结如下。本报告中所列数据的统计期限"
        "自2020年1月1日起至2020年12月31日止。\n" + OUTLINE.format(year=2020),
        # an excerpt that starts at a section: the outline alone
        "（二）依申请公开情况\n2019年度受理申请0件。\n（三）行政复议、行政诉讼情况\n未发生。\n五、存在的主要问题\n"
        "宣传不够。\n二、主动公开政府信息情况\n第二十条第(一)项\n信息内容\n本年新制作数量",
        # the first sentence names the report and its parts, no title line above it
        "样例县2009年政府信息公开工作年度报告（以下简称年报）根据《中华人民共和国政府信息公开条例》进行编制。"
        "全文包括概述，政府信息主动公开情况，依申请公开情况等6个部分。\n一、概述\n（一）规范公开内容。",
        # 繁体 mirror of the first case
        "根據《中華人民共和國政府信息公開條例》要求，現公布南關街道辦事處2019年政府信息公開工作年度報告。"
        "本報告中所列數據的統計期限自2019年1月1日起至2019年12月31日止。",
    ],
)
def test_reports_without_a_title_line(text):
    record = record_of(text)
    assert record["is_report"], record["parser"]["verdict_reason"]


# An excerpt that starts at the report's first heading, its outline further down, cut off.
SECTION_ONLY = ("一、总体情况\n2022年，我办贯彻落实《中华人民共和国政府信息公开条例》，加大主动公开力度。\n"
                "（一）加强组织领导，明确工作责任。我办高度重视政务公开工作，研究部署政务公开工作。")


@pytest.mark.parametrize(("url", "is_report"), [
    ("http://www.example.gov.test/zwgk/zfxxgknb/202301/t20230130_1.html", True),  # the 年报 column
    ("http://www.example.gov.test/bmjz/eljd_97738/xxgknb_97478/202301/t20230130_2.html", True),
    ("http://www.example.gov.test/slj/ndbg/201706/t20170621_3.htm", True),  # 年度报告
    ("http://www.example.gov.test/xwzx/gzdt/202301/t20230130_4.html", False),  # news: no column to go by
])
def test_an_untitled_excerpt_in_an_annual_report_column_is_a_report(url, is_report):
    assert record_of(SECTION_ONLY, url)["is_report"] is is_report


def test_a_notice_in_the_annual_report_column_stays_a_lookalike():
    notice = ("各乡镇人民政府，县政府各部门：\n根据《中华人民共和国政府信息公开条例》，请于1月31日前报送年度报告。")
    record = record_of(notice, "http://www.example.gov.test/zwgk/zfxxgknb/202301/t20230105_9.html")
    assert not record["is_report"]


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("关于2022年政府信息公开工作年度报告的解读\n一图读懂样例县2022年政府信息公开工作年度报告。", "解读"),
        ("样例县2023年度法治政府建设情况报告\n2023年，县政府深入推进依法行政。", "法治政府"),
        ("样例县财政局2024年度部门决算\n一、部门基本情况", "决算"),
        ("中共样例县委、县人民政府：\n2022年，县政府办公室坚持依法行政……现将工作情况报告如下：\n"
         "一、主动公开\n二、依申请公开\n三、行政复议\n四、存在的问题", "salutation"),
        ("各乡镇人民政府，县直各部门：\n现就做好2021年政府信息公开工作年度报告编制工作通知如下。本报告……",
         "salutation"),
        ("第一条 为规范政府信息公开工作年度报告编制工作，制定本制度。\n第二条 本制度由政务公开办负责解释。\n"
         "第三条 各单位负责编制本单位的政府信息公开年度报告。", "articles"),
        ("區政辦資訊公開工作報告\n特向社會公佈年度區人民政府辦公室資訊公開工作年度報告。本報告中所列資料的統計期限"
         "自年1月1日起至年12月31日止。", "blank"),
        ("县政府召开政府信息公开年度报告编制工作培训会\n3月2日，县政府办公室召开培训会。", "news"),
        # news about reports in general: it names the topics inside sentences, not as headings
        ("每年3月31日前，各级行政机关应当公布本单位政府信息公开工作年度报告。记者梳理发现，各地年报普遍包括"
         "主动公开、依申请公开、行政复议和行政诉讼等内容，依据是《中华人民共和国政府信息公开条例》。",
         "no annual-report marker"),
        # the national format's text defines "年度报告" in general, for no year of its own
        ("政府信息公开工作年度报告（以下简称年度报告），是《中华人民共和国政府信息公开条例》确立的法定制度安排。"
         "\n一、报告内容\n年度报告内容，要严格按照《条例》第五十条的规定确定。", "no annual-report marker"),
    ],
)
def test_lookalikes_stay_lookalikes(text, why):
    record = record_of(text)
    assert not record["is_report"]
    assert why in record["parser"]["verdict_reason"]


def test_list_page_with_the_report_title_is_not_a_report():
    rows = "".join(f'<li><a href="t2023010{k}_{k}.html">样例县第{k}单位2022年政府信息公开工作年度报告</a>'
                   f"<span>2023-01-0{k}</span></li>" for k in range(1, 9))
    page = (f"<html><head><title>政府信息公开年报</title></head><body><h1>政府信息公开年报</h1><ul>{rows}</ul>"
            "</body></html>")
    record = build_record(Fetched(body=page.encode(), url="http://x.gov.test/xxgk/nb/index.html"))
    assert not record["is_report"]
    assert "list or index page" in record["parser"]["verdict_reason"]


# --- agency, year, published, signed --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "agency"),
    [
        ("2021年迎春路街道政府信息公开工作年度报告\n正文", "迎春路街道"),
        (OPENING.format(agency="样例县青石镇人民政府", year=2023), "样例县青石镇人民政府"),
        ("本报告由样例县河西乡人民政府按照《条例》要求编制。", "样例县河西乡人民政府"),
        ("一、总体情况\n2019年，南关街道办事处高度重视政府信息公开工作。", "南关街道办事处"),
        ("现编制形成了《spam站@:样例县东山镇人民政府2023年政府信息公开工作年度报告》。", "样例县东山镇人民政府"),
        ("现公布我乡2023年政府信息公开工作年度报告。", None),  # only 我乡: no agency
        ("本年度政府信息公开工作总结如下：全年主动公开信息50条。", None),  # never a sentence fragment
        ("【字体：大 中 小】打印\n2020年政府信息公开工作年度报告", None),  # never site chrome
        ("……全年未收到申请。\n样例县东山镇人民政府\n2020年1月15日", "样例县东山镇人民政府"),  # the signature
        ("如对本报告有任何疑问，请与样例县水务局政府信息公开工作领导小组办公室联系。", "样例县水务局"),
        # the compiler named before 编制, never the bare 政府 after the year
        ("根据《条例》要求，青石镇政府编制2020年政府信息公开年度报告。", "青石镇政府"),
        ("按照要求编制2020年政府信息公开年度报告。", None),
        # a township's internal office compiles the township's report
        ("本报告是根据《条例》要求，由河西镇人民政府党政办公室编制。", "河西镇人民政府"),
        ("本报告由样例县人民政府办公室编制。", "样例县人民政府办公室"),  # a county's office reports too
    ],
)
def test_agency(text, agency):
    assert record_of(text)["agency"] == agency


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("2021年迎春路街道政府信息公开工作年度报告\n正文", 2021),
        ("样例县人民政府办公室\n2020年政府信息公开工作年度报告\n", 2020),
        ("本报告所列数据为2020年1月1日至2020年12月31日。", 2020),
        ("本报告中所列数据的统计期限自 2023年 1 月 1 日起至2023年 12 月 31 日止。", 2023),
        # an excerpt from the middle: next year's plan is not the reporting year
        ("2014年我镇主动公开政府信息160条。\n2014年度及历年来没有收费。\n六、存在问题\n"
         "2015年政府信息公开工作我们将积极改进。", 2014),
    ],
)
def test_year(text, year):
    assert record_of(text)["year"] == year


@pytest.mark.parametrize(
    ("text", "published"),
    [
        ("样例县2011年政府信息公开工作年度报告\n发布时间:2012-03-28\n正文", "2012-03-28"),
        ("样例县2021年政府信息公开工作年度报告\n2022年01月18日来源:样例县人民政府\n正文", "2022-01-18"),
        ("样例县2016年政府信息公开工作年度报告\n时间:2017-01-12 10:01\n正文", "2017-01-12"),
        ("索引号:0001/2020-00001\n文    号成文日期:2020-01-20发布日期:2020-01-22\n正文", "2020-01-22"),
        ("索引号: | 0001/2024-1 | 公开方式: | 主动公开 |\n文号: | 公开日期: | 2024-01-26 | |\n正文", "2024-01-26"),
        # never the end of the statistics period, a body date or the signature
        ("统计期限自2014年1月1日起至2014年12月31日止。2015年3月1日召开会议。\n样例县人民政府\n2015年3月20日", None),
    ],
)
def test_published_is_the_posting_date_the_page_states(text, published):
    assert record_of(text)["published"] == published


def test_signed_is_the_signature_date():
    record = record_of("样例县2014年政府信息公开工作年度报告\n正文。\n样例县人民政府\n二〇一五年三月二十日")
    assert (record["published"], record["signed"]) == (None, "2015-03-20")
    assert posted_date("发布时间：2015-03-28") == (2015, 3, 28)


# --- format: table first, else the year -----------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "fmt"),
    [(2010, "pre2019"), (2018, "pre2019"), (2019, "2019"), (2020, "2019"), (2021, "2021"), (2024, "2021")],
)
def test_format_by_year_without_a_table(year, fmt):
    record = record_of(OPENING.format(agency="样例县", year=year))
    assert (record["format"], record["parser"]["format_source"]) == (fmt, "year")


def test_format_by_table_wins_over_year():
    table = ("第二十条第(一)项\t\t\t\n信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量\n规章\t0\t0\t0\n"
             "规范性文件\t1\t1\t3\n")
    record = record_of(OPENING.format(agency="样例县", year=2022) + "\n二、主动公开政府信息情况\n" + table)
    assert (record["format"], record["parser"]["format_source"]) == ("2019", "table")


def test_record_keys_keep_the_design_order():
    record = record_of(OPENING.format(agency="样例县", year=2022))
    keys = list(record)
    assert keys[keys.index("published"):keys.index("published") + 3] == ["published", "signed", "format"]
    json.dumps(record, ensure_ascii=False)


@pytest.mark.parametrize(("agency", "level"), [("青石镇政府", "township"), ("样例县政府", "county"),
                                               ("河西镇人民政府", "township"), ("样例县水务局", "department"),
                                               ("佳木里街", "subdistrict")])
def test_level_of_the_agency(agency, level):
    assert record_of(OPENING.format(agency=agency, year=2020))["level"] == level
