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
