"""The labelled evaluation set: every case built in Python from the seeds or from text, no binaries.

Groups: ``seed`` (the five seeds as the sample portal serves them), ``encoding`` (one generated report
per byte encoding and labelling mistake), ``attachment`` (every file type, with and without its
article page), ``hard`` (reports that are easy to miss) and ``lookalike`` (documents filed beside
reports that are not reports). Labels are written here by hand; ``expected_text`` is the document's
printed text, compared as characters after whitespace removal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

import opencc

from crawler.core.record import Fetched
from sampleportal import docfiles, synthetic, templates
from sampleportal.catalog import Article, articles
from sampleportal.seedtext import Paragraph, SeedDocument, Table
from sampleportal.site import SAMPLE_HOST
from tests.support.legacy_office import doc_bytes
from tests.support.scans import scanned_report_pdf

BASE = f"http://{SAMPLE_HOST}/xxgk/zfxxgknb/"
SEED_000_CHROME = re.compile(r"^\s*(日期:|分享:|字號:|您訪問的連結即將離開|已歸檔)")


@dataclass(frozen=True)
class Case:
    name: str
    group: str
    fetched: Fetched
    is_report: bool
    year: int | None = None  # scored for reports only
    agency: str | None = None  # scored for reports only
    published: str | None = None  # the posting date the page states; None when only the signature dates it
    expected_text: str | None = None  # None: not scored (scans)
    page: Fetched | None = None  # the article page of an attachment
    signed: str | None = None  # the signature's date, where the case labels it


def _s2t(text: str) -> str:
    return _converter("s2t").convert(text)


@lru_cache(maxsize=2)
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def page_fetched(article: Article, charset: str | None = None, header: bool = True, meta: str | None = None,
                 drop_meta: bool = False) -> Fetched:
    """The sample portal's article page for ``article``, with its bytes and headers chosen here."""
    charset = charset or article.charset
    article = replace(article, charset=charset, meta_charset=meta)
    html = templates.article_page(article)
    if drop_meta:
        html = re.sub(r'<meta http-equiv="Content-Type"[^>]*>', "", html)
    content_type = f"text/html; charset={meta if header and meta else charset}" if header else "text/html"
    return Fetched(body=html.encode(charset, errors="xmlcharrefreplace"), url=BASE + article.path.split("/", 3)[3],
                   content_type=content_type)


def _article(article_id: int, posted: str, document: SeedDocument, publisher: str, title: str | None = None) -> Article:
    return Article(article_id, posted, title or document.title or "", publisher, document)


# --- seeds -------------------------------------------------------------------------------------

SEED_LABELS = {  # article id → (year, agency as written, published)
    1048576: (2017, "北京市密雲區人民政府", "2018-03-22"),
    1048702: (2019, "蓬溪县政府办公室", "2020-01-20"),
    1048311: (2016, "阿拉山口市人民政府", "2017-03-15"),
    1048455: (2017, "陶然亭街道", "2018-01-26"),
    1048650: (2018, "云城区", "2019-02-28"),
}


def seed_cases() -> list[Case]:
    cases = []
    for article in articles():
        if article.article_id not in SEED_LABELS:
            continue
        year, agency, published = SEED_LABELS[article.article_id]
        text = "\n".join(line for line in article.document.body_text().splitlines() if not SEED_000_CHROME.match(line))
        fetched = page_fetched(article, header=article.header_charset, meta=article.meta_charset)
        cases.append(Case(f"seed-{article.article_id}", "seed", fetched, True, year, agency, published, text))
    return cases


# --- encodings ---------------------------------------------------------------------------------

RARE = "本年度新增䶮、𠮷、镕等生僻字地名信息公开3条。"  # CJK Ext A/B and a GBK-only character


def encoding_cases() -> list[Case]:
    specs = (  # name, agency, charset, header, meta label, drop <meta>
        ("utf8", "样例县发展和改革局", "utf-8", True, None, False),
        ("gbk-meta-only", "样例县农业农村局", "gbk", False, "gbk", False),
        ("gb18030-rare", "样例县文化旅游局", "gb18030", True, None, False),
        ("big5", "樣例縣交通運輸局", "big5", True, None, False),
        ("utf8-declared-gb2312", "样例县自然资源局", "utf-8", False, "gb2312", False),
        ("gbk-declared-utf8", "样例县商务局", "gbk", True, "utf-8", False),
        ("gbk-undeclared", "样例县退役军人事务局", "gbk", False, None, True),
        ("gb2312-label-gbk-chars", "样例县医疗保障局", "gbk", True, "gb2312", False),
    )
    cases = []
    for number, (name, agency, charset, header, meta, drop) in enumerate(specs):
        year = 2019 + number % 4
        document = synthetic.report(agency, year, seed=number)
        if name == "gb18030-rare":
            document = replace(document, blocks=(Paragraph(RARE), *document.blocks))
        if name == "gb2312-label-gbk-chars":
            document = replace(document, blocks=(Paragraph("朱镕基同志题写的“樣例”二字为GBK字符。"), *document.blocks))
        if charset == "big5":
            document = _traditional(document)
        article = _article(1050000 + number, f"{year + 1}-02-1{number % 9}", document, agency)
        fetched = page_fetched(article, charset=charset, header=header, meta=meta, drop_meta=drop)
        cases.append(Case(f"encoding-{name}", "encoding", fetched, True, year, agency, article.posted,
                          document.body_text()))
    return cases


def _traditional(document: SeedDocument) -> SeedDocument:
    blocks = tuple(Paragraph(_s2t(b.text)) if isinstance(b, Paragraph) else
                   Table(tuple(tuple(_s2t(c) for c in row) for row in b.rows)) for b in document.blocks)
    return SeedDocument(title=_s2t(document.title or ""), blocks=blocks)


# --- attachments -------------------------------------------------------------------------------


def attachment_cases() -> list[Case]:
    cases = []
    specs = (  # kind, agency, year, with its article page, signature in Chinese numerals
        ("pdf", "样例县审计局", 2019, False, True),
        ("pdf", "样例县生态环境局", 2020, True, False),
        ("docx", "样例县应急管理局", 2021, False, True),
        ("docx", "样例县人力资源和社会保障局", 2018, True, False),
        ("xls", "样例县粮食和物资储备局", 2017, True, False),
        ("xlsx", "样例县城市管理局", 2022, False, False),
        ("txt", "样例县体育局", 2016, False, True),
        ("doc", "样例县信访局", 2019, True, True),
        ("wps", "样例县供销合作社", 2014, False, False),
    )
    for number, (kind, agency, year, with_page, chinese) in enumerate(specs):
        signed = (year + 1, 3, 20 + number)
        document = synthetic.report(agency, year, signed=signed, seed=number, chinese_signature=chinese)
        body = _txt_bytes(document) if kind == "txt" else doc_bytes(document) if kind in ("doc", "wps") \
            else docfiles.WRITERS[kind](document)
        article = replace(_article(1051000 + number, f"{year + 3}-04-0{number + 1}", document, agency),
                          attachment=kind)
        fetched = Fetched(body=body, url=BASE + article.attachment_path.split("/", 3)[3])
        page = page_fetched(article) if with_page else None
        published = article.posted if with_page else None  # a file alone states no posting date
        text = "\n".join([document.title or "", document.body_text()])  # files print their title
        cases.append(Case(f"attachment-{kind}-{number}", "attachment", fetched, True, year, agency, published,
                          text, page, signed=f"{signed[0]}-{signed[1]:02d}-{signed[2]:02d}"))
    scan = Article(1051100, "2016-03-30", "样例县水利局2015年政府信息公开工作年度报告（图片版）", "样例县水利局",
                   synthetic.report("样例县水利局", 2015), attachment="scan")
    ocr_report = synthetic.report("样例县扶贫开发局", 2018, signed=(2019, 1, 30), seed=77)
    ocr_lines = [line[k : k + 30] for line in [ocr_report.title or "", *ocr_report.body_text().splitlines()]
                 for k in range(0, len(line), 30)]
    cases.append(Case("attachment-scan-ocr", "attachment",
                      Fetched(body=scanned_report_pdf(ocr_lines), url=BASE + "201902/P020190201.pdf"),
                      True, 2018, "样例县扶贫开发局", None, "\n".join(ocr_lines), signed="2019-01-30"))
    cases.append(Case("attachment-scan", "attachment",
                      Fetched(body=docfiles.scanned_pdf_bytes(), url=BASE + "201603/P020160330.pdf"),
                      True, 2015, "样例县水利局", "2016-03-30", None, page_fetched(scan)))
    return cases


def _txt_bytes(document: SeedDocument) -> bytes:
    return "\n".join([document.title or "", document.body_text()]).encode("gbk")


# --- hard reports ------------------------------------------------------------------------------


def _raw_page(number: int, posted: str, h1_html: str, paragraphs: tuple[str, ...], publisher: str,
              dated: bool = True) -> Fetched:
    """A page without ArticleTitle meta: the title is only in its <h1> (split or spaced as printed);
    ``dated=False`` leaves the 发布日期 out, so only the signature dates the report."""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    date_cells = f"<td>发布日期：</td><td>{posted}</td>" if dated else ""
    html = (
        '<html><head><meta charset="utf-8"><title>信息公开年报</title></head><body>'
        '<div class="location">当前位置：首页 &gt; 信息公开 &gt; 年报</div>'
        f'<table class="xxgk-info"><tr><td>发布机构：</td><td>{publisher}</td>{date_cells}</tr>'
        f'</table><div class="article"><h1>{h1_html}</h1><div id="zoom">{body}</div></div></body></html>'
    )
    ym, ymd = posted[:7].replace("-", ""), posted.replace("-", "")
    return Fetched(body=html.encode("utf-8"), url=f"{BASE}{ym}/t{ymd}_{number}.html",
                   content_type="text/html; charset=utf-8")


def hard_cases() -> list[Case]:
    cases = []

    def add(name: str, agency: str, year: int, title: str | None, posted: str, **report_args) -> None:
        document = synthetic.report(agency, year, seed=len(cases), **report_args)
        shown = replace(document, title=title) if title else document
        article = _article(1052000 + len(cases), posted, shown, agency)
        cases.append(Case(f"hard-{name}", "hard", page_fetched(article), True, year, agency, posted,
                          document.body_text()))

    add("title-without-zhengfu-gongzuo", "样例县市场监督管理局", 2019, "样例县市场监督管理局2019年信息公开年报",
        "2020-01-15")
    add("statistics-bureau-own-report", "样例县统计局", 2020, None, "2021-01-20")
    add("chinese-numeral-year", "样例县住房和城乡建设局", 2019,
        "样例县住房和城乡建设局二〇一九年度政府信息公开工作年度报告", "2020-03-01")
    add("reposted-years-later", "样例县民族宗教事务局", 2013, None, "2023-06-30")
    add("pre2019-department", "样例县档案局", 2012, "样例县档案局2012年信息公开年度报告", "2013-03-30")
    add("hyperlink-edition", "样例县科学技术局", 2021, "样例县科学技术局2021年政府信息公开工作年度报告（超链版）",
        "2022-01-25")
    add("township", "样例县河西乡人民政府", 2020, None, "2021-01-29")
    add("subdistrict", "样例县东城街道办事处", 2021, None, "2022-01-30")
    add("year-only-in-text", "样例县林业局", 2018, "样例县林业局政府信息公开工作年度报告", "2019-03-20")
    add("year-first-title", "样例县商务和粮食局", 2020, "2020年度样例县商务和粮食局政府信息公开工作年度报告",
        "2021-02-02")
    add("gov-work-in-agency-name", "样例县政府办公室", 2019, "样例县政府办公室2019年政务公开工作年度报告", "2020-01-31")

    traditional = _traditional(synthetic.report("樣例縣民政局", 2019, seed=99))
    article = _article(1052100, "2020-02-10", traditional, "樣例縣民政局")
    cases.append(Case("hard-traditional-mirror", "hard", page_fetched(article), True, 2019, "樣例縣民政局",
                      "2020-02-10", traditional.body_text()))

    for number, (name, h1) in enumerate((
        ("spaced-title", "样例县司法局2019年政府信息公开工作年 度 报 告"),
        ("split-title", "样例县司法局2020年政府信息公开<br>工作年度报告"),
        ("spaced-split-title", "样例县 司法局 2021 年<br>政 府 信 息 公 开 工 作<br>年 度 报 告"),
    )):
        year = 2019 + number
        document = synthetic.report("样例县司法局", year, seed=200 + number)
        paragraphs = tuple(b.text for b in document.blocks if isinstance(b, Paragraph))
        fetched = _raw_page(1052200 + number, f"{year + 1}-01-2{number}", h1, paragraphs, "样例县司法局")
        cases.append(Case(f"hard-{name}", "hard", fetched, True, year, "样例县司法局", f"{year + 1}-01-2{number}",
                          "\n".join(paragraphs)))

    for number, (name, title, year) in enumerate((
        ("full-width-year", "样例县交通运输局２０１９年政府信息公开工作年度报告", 2019),
        ("signature-date-only", "样例县气象局政府信息公开工作年度报告", 2016),
    )):
        agency = title[: title.index("局") + 1]
        document = synthetic.report(agency, year, signed=(year + 1, 2, 20), seed=300 + number, chinese_signature=True)
        paragraphs = tuple(b.text for b in document.blocks if isinstance(b, Paragraph))
        fetched = _raw_page(1052300 + number, f"{year + 4}-05-01", title, paragraphs, "样例县人民政府办公室",
                            dated=False)
        cases.append(Case(f"hard-{name}", "hard", fetched, True, year, agency, None, "\n".join(paragraphs),
                          signed=f"{year + 1}-02-20"))
    return cases


# --- look-alikes -------------------------------------------------------------------------------

_QUOTE = "《样例县{y}年政府信息公开工作年度报告》"
# Title and body of each look-alike: paragraphs ({c} county, {y} year) or a table's rows.
LOOKALIKES: tuple[tuple[str, tuple[str | tuple[tuple[str, ...], ...], ...]], ...] = (
    (
        "关于印发{c}{y}年政务公开工作要点的通知",
        (
            "各乡镇人民政府，县政府各部门：",
            "现将《{c}{y}年政务公开工作要点》印发给你们，请认真贯彻落实。",
            "一、加强政策解读。二、做好政府信息公开工作年度报告编制发布工作。",
        ),
    ),
    (
        "{c}{y}年政务公开工作要点",
        (
            "为深入推进政务公开工作，制定本要点。",
            "一、围绕重点领域推进信息公开。",
            "二、按时编制发布政府信息公开工作年度报告，主动公开信息、依申请公开、行政复议情况如实报告。",
        ),
    ),
    (
        "关于{y}年政府信息公开工作年度报告有关问题整改落实情况的函",
        (
            "县政府办公室：",
            "根据年度报告评议意见，我局对存在的主要问题逐项整改，现将落实情况函告如下。",
            "一、主动公开栏目已补充完善。",
        ),
    ),
    (
        "关于做好{y}年政府信息公开工作年度报告编制和发布工作的通知",
        (
            "各单位：",
            "请于规定时间前编制本单位{y}年政府信息公开工作年度报告，并填报附表。",
            "附表：政府信息公开情况统计表",
            "单位名称：　　填报人：　　",
            (("统计指标", "单位", "统计数"), ("主动公开政府信息数", "条", ""), ("收到申请数", "件", "")),  # empty 附表
        ),
    ),
    (
        "{c}政府信息公开工作年度报告范文",
        (
            "一、总体情况",
            "XX年，XX单位认真贯彻《条例》，主动公开政府信息XX条。",
            "二、主动公开政府信息情况",
            "三、收到和处理政府信息公开申请情况",
            "四、存在的主要问题及改进情况",
        ),
    ),
    (
        "政府信息公开工作年度报告模板（{y}年版）",
        (
            "（单位名称）{y}年政府信息公开工作年度报告",
            "一、总体情况（请填写）",
            "二、主动公开政府信息情况（按表格填写）",
        ),
    ),
    (
        "{c}{y}年国民经济和社会发展统计公报",
        (
            "{y}年，全县地区生产总值186.5亿元，比上年增长6.8%。",
            "全年粮食总产量21.6万吨。",
            "注：本公报数据为初步统计数。",
        ),
    ),
    (
        "{c}{y}年政府工作报告",
        (
            "各位代表：",
            "现在，我代表县人民政府向大会报告工作，请予审议。",
            "过去一年，全县推进政务公开，主动公开政府信息1200余条。",
        ),
    ),
    (
        "我县发布{y}年政府信息公开工作年度报告",
        (
            "近日，" + _QUOTE + "在县政府门户网站正式发布。",
            "报告显示，全年主动公开政府信息1500余条，收到依申请公开23件，行政复议1起。",
            "记者　王某　通讯员　李某",
        ),
    ),
    (
        "县政府召开政府信息公开年度报告编制工作培训会",
        (
            "3月5日，县政府办公室召开培训会，",
            "会议解读了" + _QUOTE + "的编制要求和行政复议、行政诉讼数据填报口径。",
        ),
    ),
    (
        "{c}政府信息公开指南",
        (
            "一、主动公开",
            "（一）公开范围",
            "二、依申请公开",
            "申请人可通过信函、网络提出申请。",
        ),
    ),
    (
        "{c}{y}年法治政府建设年度报告",
        (
            "{y}年，我县深入推进依法行政。",
            "一、主要举措和成效",
            "二、存在的不足和原因",
            "三、下一步工作安排",
        ),
    ),
    (
        "{c}{y}年部门决算公开",
        (
            "一、部门基本情况",
            "二、收入支出决算总体情况",
            "三、一般公共预算财政拨款支出决算情况",
        ),
    ),
    (
        "{c}{y}年政府信息公开工作自查报告",
        (
            "按照上级通知要求，我县对政府信息公开工作开展了自查。",
            "一、自查情况",
            "二、存在问题",
            "三、整改措施",
        ),
    ),
    (
        "{c}{y}年政务公开工作总结",
        (
            "{y}年，全县政务公开工作取得新进展。",
            "一、主要做法",
            "二、存在问题",
            "三、{y1}年工作打算",
        ),
    ),
    (
        "关于{y}年度政府信息公开工作考核结果的通报",
        (
            "各乡镇、各部门：",
            "经考核，现将{y}年度政府信息公开工作考核结果通报如下。",
            "优秀单位：县财政局、县教育局。",
        ),
    ),
    (
        "{c}人民政府门户网站{y}年工作年度报表",
        (
            "网站名称：{c}人民政府门户网站",
            "信息发布总数：1234条",
            "政务新媒体：2个",
        ),
    ),
)
COUNTIES = ("样例县", "示范县")


def lookalike_cases() -> list[Case]:
    cases = []
    for number, (title_template, paragraphs) in enumerate(LOOKALIKES):
        for variant, county in enumerate(COUNTIES):
            year = 2015 + (number + 3 * variant) % 8
            values = {"c": county, "y": year, "y1": year + 1}
            title = title_template.format(**values)
            blocks = tuple(Table(p) if isinstance(p, tuple) else Paragraph(p.format(**values)) for p in paragraphs)
            document = SeedDocument(title=title, blocks=blocks)
            posted = f"{year + 1}-0{1 + number % 9}-1{variant}"
            article = _article(1053000 + 10 * number + variant, posted, document, f"{county}人民政府办公室")
            cases.append(Case(f"lookalike-{number:02d}-{variant}", "lookalike", page_fetched(article), False,
                              expected_text=document.body_text()))
    return cases


def all_cases() -> list[Case]:
    return [*seed_cases(), *encoding_cases(), *attachment_cases(), *hard_cases(), *lookalike_cases()]
