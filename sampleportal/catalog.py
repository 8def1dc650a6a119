"""What the sample county portal publishes in its 政府信息公开年报 column.

Five real reports (the seeds), one of them re-posted years later at a second URL, two look-alikes
filed in the same column, as real portals do, and five attachment-only articles whose report is a
PDF, DOCX, XLS, XLSX or scanned PDF file (generated reports, see ``synthetic.py``). Dates in the URL
are posting dates, not report years.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from importlib import resources

from sampleportal import reportgen, synthetic
from sampleportal.seedtext import Paragraph, SeedDocument, parse_seed

SITE_NAME = "样例县人民政府"


@dataclass(frozen=True)
class Article:
    article_id: int
    posted: str  # YYYY-MM-DD, the date in the URL and in the list
    title: str
    publisher: str  # the 发布机构 cell of the metadata table
    document: SeedDocument
    charset: str = "utf-8"  # encoding of the served bytes
    header_charset: bool = True  # False: charset only in <meta>
    meta_charset: str | None = None  # label written in <meta>; defaults to charset
    attachment: str | None = None  # pdf | docx | xls | xlsx | scan: the report is this file, not the page
    attachment_type: str = "application/octet-stream"  # Content-Type the portal serves it with
    gzip: bool = False  # served gzip-encoded to clients that accept it (Content-Encoding: gzip)

    @property
    def path(self) -> str:
        ym, ymd = self.posted[:7].replace("-", ""), self.posted.replace("-", "")
        return f"/xxgk/zfxxgknb/{ym}/t{ymd}_{self.article_id}.html"

    @property
    def attachment_path(self) -> str:
        """TRS names uploads P0<date><id>.<ext> beside the article."""
        extension = "pdf" if self.attachment == "scan" else self.attachment
        return self.path.rsplit("/", 1)[0] + f"/P0{self.posted.replace('-', '')}{self.article_id}.{extension}"


def seed_document(name: str) -> SeedDocument:
    text = resources.files("sampleportal").joinpath("seeds", name).read_text(encoding="utf-8")
    return parse_seed(text)


def _lookalike(*paragraphs: str) -> SeedDocument:
    return SeedDocument(title=None, blocks=tuple(Paragraph(p) for p in paragraphs))


WORKPLAN_LETTER = _lookalike(
    "各乡镇人民政府、街道办事处，县政府各部门：",
    "现将《样例县2020年政务公开工作要点》印发给你们，请结合实际认真贯彻落实。",
    "一、加强政策解读。各单位要围绕县委、县政府重大决策部署，做好政策文件的解读和回应工作，"
    "确保群众看得到、听得懂、信得过。",
    "二、做好年度报告工作。各单位要按照《中华人民共和国政府信息公开条例》要求，于2020年1月31日前"
    "编制并公布本单位2019年政府信息公开工作年度报告，县政府办公室将对报告质量进行检查。",
    "三、强化监督考核。县政务公开办将政务公开工作纳入年度绩效考核，定期通报工作情况。",
    "样例县人民政府办公室",
    "2020年4月8日",
)

STATISTICAL_COMMUNIQUE = _lookalike(
    "2019年，全县上下坚持稳中求进工作总基调，经济运行总体平稳，发展质量稳步提升。",
    "一、综合。全年实现地区生产总值186.5亿元，按可比价格计算，比上年增长6.8%。"
    "其中，第一产业增加值25.3亿元，增长3.1%；第二产业增加值71.2亿元，增长7.5%；"
    "第三产业增加值90.0亿元，增长7.2%。",
    "二、农业。全年粮食种植面积52.4万亩，粮食总产量21.6万吨，比上年增长1.9%。",
    "三、工业和建筑业。全年规模以上工业增加值比上年增长8.1%，规模以上工业企业实现利润12.7亿元。",
    "四、人民生活。全年全体居民人均可支配收入26418元，比上年增长8.9%。",
    "注：本公报中部分数据为初步统计数，各项统计数据均未包括驻县单位。",
    "样例县统计局",
    "2020年3月25日",
)


def articles() -> list[Article]:
    miyun = seed_document("000_a548a34bccc868de.txt")
    pengxi = seed_document("001_5e7b7750513ba6ef.txt")
    alashankou = seed_document("002_5ec431ede201274a.txt")
    taoranting = seed_document("003_c2e2148ac72f28cc.txt")
    yuncheng = seed_document("004_b722d12b70247cc9.txt")
    return [
        # GBK bytes labelled gb2312 in <meta> only, Traditional characters outside GB2312 (報, 資).
        Article(1048576, "2018-03-22", miyun.title or "", "北京市密云区人民政府", miyun,
                charset="gbk", header_charset=False, meta_charset="gb2312"),
        Article(1048702, "2020-01-20", "蓬溪县政府办公室2019年度政府信息公开工作报告", "蓬溪县人民政府办公室", pengxi,
                gzip=True),
        Article(1048311, "2017-03-15", "阿拉山口市人民政府2016年政府信息公开工作年度报告", "阿拉山口市人民政府办公室",
                alashankou),
        Article(1048455, "2018-01-26", taoranting.title or "", "陶然亭街道办事处", taoranting),
        Article(1048650, "2019-02-28", yuncheng.title or "", "云城区人民政府办公室", yuncheng),
        # The same 陶然亭 report re-posted four years later: same text, new URL, new surroundings.
        Article(1049301, "2022-03-10", taoranting.title or "", "样例县人民政府办公室", taoranting),
        Article(1048733, "2020-04-08", "关于印发样例县2020年政务公开工作要点的函", "样例县人民政府办公室",
                WORKPLAN_LETTER),
        Article(1048720, "2020-03-25", "样例县2019年国民经济和社会发展统计公报", "样例县统计局",
                STATISTICAL_COMMUNIQUE),
        *attachment_articles(),
    ]


def attachment_articles() -> list[Article]:
    """Articles whose body is only a link to the report file."""
    entries = (
        (1049410, "2020-03-20", "样例县财政局", 2019, "pdf", "application/pdf"),
        (1049420, "2021-01-28", "样例县教育局", 2020, "docx", "application/octet-stream"),
        (1049430, "2019-03-05", "样例县城关镇人民政府", 2018, "xls", "application/vnd.ms-excel"),
        (1049440, "2022-01-30", "样例县卫生健康局", 2021, "xlsx", "application/octet-stream"),
        (1049450, "2016-03-30", "样例县水利局", 2015, "scan", "application/pdf"),
    )
    articles = []
    for article_id, posted, agency, year, kind, content_type in entries:
        document = synthetic.report(agency, year, seed=article_id)
        title = document.title + ("（图片版）" if kind == "scan" else "")
        articles.append(Article(article_id, posted, title, agency, document, attachment=kind,
                                attachment_type=content_type))
    return articles


NEW_YEAR_AGENCIES = ("样例县人民政府", "样例县财政局", "样例县教育局")


def new_year_articles(year: int) -> list[Article]:
    """One generated 2021-format report per agency of ``NEW_YEAR_AGENCIES`` for ``year``, posted in January
    of the next year: what a portal adds when a new reporting year comes out (``SamplePortal(new_year=…)``)."""
    articles = []
    for number, agency in enumerate(NEW_YEAR_AGENCIES):
        generated = reportgen.generate(random.Random(f"{agency}{year}"), fmt="2021")
        title = f"{agency}{year}年政府信息公开工作年度报告"
        report = replace(generated, agency=agency, year=year, title=title)
        articles.append(Article(1050000 + (year % 100) * 10 + number, f"{year + 1}-01-{20 + number}", title, agency,
                                report.document()))
    return articles
