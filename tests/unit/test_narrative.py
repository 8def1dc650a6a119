"""Narrative statistics: set only when a clause states them unambiguously."""

from __future__ import annotations

import pytest

from crawler.core.narrative import narrative_stats


@pytest.mark.parametrize(("text", "expected"), [
    ("2018年主动公开政府信息数1200条。", {"主动公开政府信息数": 1200}),
    ("本年度共收到政府信息公开申请15件。", {"收到政府信息公开申请数": 15}),
    ("全年未收到政府信息公开申请。", {"收到政府信息公开申请数": 0}),
    ("全年没有发生因政府信息公开引起的行政复议案件。", {"行政复议数": 0}),
    ("发生行政诉讼案件二件。", {"行政诉讼数": 2}),
    ("全區申請總數為232件。", {"收到政府信息公开申请数": 232}),
])
def test_stated_figures(text, expected):
    assert narrative_stats(text) == expected


@pytest.mark.parametrize("text", [
    "截至2018年底共收到政府信息公开申请300件。",  # may be cumulative
    "因政府信息公开申请行政复议、提起行政诉讼案件3宗。",  # one figure for two keys
    "政府网站共主动公开政府信息6998条。",  # one channel only
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
])
def test_reports_of_2019_and_later_get_table3_totals(text, expected):
    assert narrative_stats(text) == expected
