"""Narrative statistics: set only when a clause states them unambiguously."""

from __future__ import annotations

import pytest

from crawler.core.narrative import narrative_stats


@pytest.mark.parametrize(("text", "expected"), [
    ("2018年主动公开政府信息数1200条。", {"主动公开政府信息数": 1200}),
    ("本年度共收到政府信息公开申请15件。", {"收到政府信息公开申请数": 15}),
    ("全年未收到政府信息公开申请。", {"收到政府信息公开申请数": 0}),
    ("全年没有发生因政府信息公开引起的行政复议案件。", {"行政复议数": 0}),
    ("2011年度本乡没有接到群众要求公开政府信息的申请。", {"收到政府信息公开申请数": 0}),
    ("全年无因政府信息公开申请行政复议、提起行政诉讼的案件。", {"行政复议数": 0, "行政诉讼数": 0}),
    ("发生行政诉讼案件二件。", {"行政诉讼数": 2}),
    ("全區申請總數為232件。", {"收到政府信息公开申请数": 232}),
    ("政府网站共主动公开政府信息6998条。", {"主动公开政府信息数": 6998}),  # the one channel named
    ("今年以来，全镇共发布各类信息内容52条，涵盖机构概况、工作动态等方面。", {"主动公开政府信息数": 52}),
    ("2012年，我乡通过门户网站公开各类信息31条。其中工作动态类20条；其他类11条", {"主动公开政府信息数": 31}),
    ("我办在市政府门户网站和本办网站进行了主动公开信息19条，其中概况信息2条。", {"主动公开政府信息数": 19}),
    # this year's part of a cumulative figure
    ("截至2013年底，我局主动公开政府信息历年累计80条，其中2013年新增主动公开政府信息21条。",
     {"主动公开政府信息数": 21}),
    ("截至2015年12月31日，在县政府网站累计公开政府信息500条，其中本年度在县政府网站公开120条。",
     {"主动公开政府信息数": 120}),
    ("（一）主动公开政府信息的数量：2013年度全乡共公开政府信息88条。", {"主动公开政府信息数": 88}),
    ("2016年，全年累计主动公开政府信息75条，其中通过网站公开50条，通过公开栏公开25条。", {"主动公开政府信息数": 75}),
])
def test_stated_figures(text, expected):
    assert narrative_stats(text) == expected


@pytest.mark.parametrize("text", [
    "截至2018年底共收到政府信息公开申请300件。",  # may be cumulative
    "截止到2016年末，我局共收到政府信息公开申请12件。",
    "本局历年累计主动公开政府信息900条。",
    "因政府信息公开申请行政复议、提起行政诉讼案件3宗。",  # one figure for two keys
    "通过政府网站主动公开政府信息120条，通过公开栏公开信息30条。",  # one channel of two
    "通过网上收到政府信息公开申请3件，当面收到申请2件。",
    "全年依申请公开信息5条，不予公开信息1条。",  # granted, not received
    "本年度依申请共公开信息5条。",
    "无论是否发生行政复议案件，均及时报告。",
    # publications told channel by channel: the website's count is one part
    "二、主动公开政府信息情况\n（一）区政府网站主动公开政府信息情况。本年度区政府网站共主动公开政府信息320条。\n"
    "（二）政务公开专栏主动公开政府信息情况。在政府大院设立公开专栏，公开工作动态。",
    "主动公开政府信息100条。另主动公开政府信息120条。",  # two figures for one key
])
def test_ambiguous_sentences_set_nothing(text):
    assert narrative_stats(text) == {}


@pytest.mark.parametrize(("text", "expected"), [
    ("二〇一〇年我局未发生因政府信息公开引起的行政复议和行政诉讼。", {"行政复议数": 0, "行政诉讼数": 0}),
    ("2010年，未產生針對我局政府信息公開的行政複議與行政訴訟。", {"行政复议数": 0, "行政诉讼数": 0}),
    ("2012年本镇无依申请公开政府信息。", {}),  # none received, or none granted? not said
])
def test_negations_govern_the_item(text, expected):
    assert narrative_stats(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("2023年，本街道未收到政府信息公开申请。", {"本年新收政府信息公开申请数量/总计": 0}),
    ("2022年共收到信息公开申请6件，上年度结转2件；予以公开5件，结转下年继续办理3件。",
     {"本年新收政府信息公开申请数量/总计": 6, "上年结转政府信息公开申请数量/总计": 2,
      "本年度办理结果/予以公开/总计": 5, "结转下年度继续办理/总计": 3}),
    ("2024年，通过网上、信函等渠道收到依申请公开信息8件，均已按时答复。",  # every channel: the total
     {"本年新收政府信息公开申请数量/总计": 8}),
    ("2023年度未接到针对本单位有关政府信息公开的申请。", {"本年新收政府信息公开申请数量/总计": 0}),
    ("2025年度全年共收到依申请公开申请 2 件，均按期答复。", {"本年新收政府信息公开申请数量/总计": 2}),
])
def test_reports_of_2019_and_later_get_table3_totals(text, expected):
    assert narrative_stats(text) == expected
