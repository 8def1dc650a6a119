"""Report or look-alike, and the metadata read from title and text."""

from __future__ import annotations

import pytest

from crawler.core.agency import agency_name
from crawler.core.classification import classify
from crawler.core.metadata import published_date, region_and_level, reporting_year, signed_date
from crawler.core.normalize import chinese_number, for_matching


@pytest.mark.parametrize(
    "title",
    [
        "XX县人民政府2019年政府信息公开工作年度报告",
        "北京市密雲區人民政府2017年政府信息公開工作年度報告",
        "XX县统计局2018年政府信息公开工作年度报告",
        "XX镇2013年信息公开年报",
        "XX县发展和改革局2020年政府信息公开年 度 报 告",
        "XX县职业技能培训中心2019年政府信息公开工作年度报告",  # 培训 in the agency's name
        "XX縣民政局2019年政府資訊公開工作年度報告（超链版）",
        "XX县市场监督管理局2019年信息公开年报",
    ],
)
def test_report_titles(title):
    assert classify(title, "").is_report


@pytest.mark.parametrize(
    ("title", "reason_word"),
    [
        ("关于印发XX县2020年政务公开工作要点的函", "工作要点"),
        ("XX县2019年国民经济和社会发展统计公报", "统计公报"),
        ("2020年XX县政府工作报告", "政府工作报告"),
        ("关于做好2019年政府信息公开工作年度报告编制发布工作的通知", "notice"),
        ("政府信息公开工作年度报告范文", "范文"),
        ("我县发布2019年政府信息公开工作年度报告", "news"),
        ("县政府召开政府信息公开年度报告编制工作培训会", "news"),
        ("图解：XX县2019年政府信息公开工作年度报告", "explainer"),
        ("XX县2019年政府信息公开工作自查报告", "another disclosure document"),
        ("XX县人民政府门户网站2019年工作年度报表", "another disclosure document"),
        ("XX县2019年法治政府建设年度报告", "法治政府"),
    ],
)
def test_lookalike_titles(title, reason_word):
    verdict = classify(title, "")
    assert not verdict.is_report
    assert reason_word in verdict.reason


def test_untitled_report_recognised_by_text():
    text = (
        "根据条例，特制定本单位2019年度政府信息公开工作年度报告。\n一、总体情况\n"
        "主动公开……依申请公开……\n四、行政复议、行政诉讼情况"
    )
    assert classify(None, text).is_report
    assert not classify(None, "县政府召开常务会议，研究部署安全生产工作。").is_report


@pytest.mark.parametrize(
    ("title", "text", "year"),
    [
        ("XX县2019年度政府信息公开工作年度报告", "", 2019),
        ("二○一二年度政府信息公开工作报告", "", 2012),
        (None, "特制定蓬溪县政府办公室2019年度政府信息公开工作报告", 2019),
        (None, "本报告中所列数据的统计期限自2016年1月1日起至2016年12月31日止。", 2016),
        ("政府信息公开工作年度报告", "无年份", None),
    ],
)
def test_reporting_year(title, text, year):
    assert reporting_year(title, text) == year


def test_agency_from_title_then_text():
    assert agency_name("陶然亭街道2017年政府信息公开工作年度报告", "") == "陶然亭街道"
    assert agency_name(None, "特制定蓬溪县政府办公室2019年度政府信息公开工作报告") == "蓬溪县政府办公室"
    assert agency_name("政府信息公开年报", "无") is None


@pytest.mark.parametrize(
    ("agency", "region", "level"),
    [
        ("北京市密雲區人民政府", "北京市密雲區", "district"),
        ("阿拉山口市人民政府", "阿拉山口市", "city"),
        ("蓬溪县政府办公室", "蓬溪县", "department"),
        ("陶然亭街道", None, "subdistrict"),
        ("XX县青山镇人民政府", "XX县", "township"),
    ],
)
def test_region_and_level(agency, region, level):
    assert region_and_level(agency) == (region, level)


def test_published_from_metadata_never_from_the_signature():
    assert published_date({"发布日期": "2019-02-28"}, "") == "2019-02-28"
    assert published_date({}, "……\nXX县人民政府办公室\n二○一二年二月二十日") is None
    assert signed_date("……\nXX县人民政府办公室\n二○一二年二月二十日") == "2012-02-20"
    assert published_date({}, "没有日期") is None


def test_normalization_is_for_matching_only():
    assert for_matching("政府信息公開 年度報告　２０１９") == "政府信息公开年度报告2019"
    assert chinese_number("二○一九") == 2019
    assert chinese_number("二十") == 20 and chinese_number("十二") == 12 and chinese_number("三十一") == 31
    assert chinese_number("年") is None


def test_spaced_split_title_gives_year_and_agency():
    from crawler.core.metadata import report_metadata

    meta = report_metadata("样例县 司法局 2021 年\n政 府 信 息 公 开 工 作\n年 度 报 告", "", {})
    assert (meta.year, meta.agency, meta.level) == (2021, "样例县司法局", "department")


@pytest.mark.parametrize(
    "title",
    ["样例县林业局政府信息公开工作年度报告", "2019年样例县林业局政府信息公开工作年度报告",
     "二〇一九年度样例县林业局政务公开工作年度报告"],
)
def test_agency_from_a_title_without_a_leading_agency(title):
    assert agency_name(title, "") == "样例县林业局"
