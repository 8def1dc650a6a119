"""Is this document a 政府信息公开工作年度报告, or a look-alike filed beside it? With the reason."""

from __future__ import annotations

import re
from dataclasses import dataclass

from crawler.core.normalize import for_matching

# Look-alikes win over report markers: "关于做好2019年政府信息公开工作年度报告编制工作的通知" names a
# report but is a notice. Patterns run on for_matching() text (Simplified, no whitespace).
_LOOKALIKE_TITLES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"工作要点"), "title names a 工作要点 (work plan)"),
    (re.compile(r"统计公报"), "title names a 统计公报 (statistical communiqué)"),
    (re.compile(r"政府工作报告"), "title names a 政府工作报告 (government work report)"),
    (re.compile(r"范文|模板|样本|格式"), "title names a template (范文/模板)"),
    (re.compile(r"(关于|做好|编制|报送).*年度报告.*(通知|函)$"), "title is a notice about compiling reports"),
    (re.compile(r"(通知|函|通报)$"), "title is a notice or letter"),
    (re.compile(r"^(我|本)[县区市州旗盟镇乡]|召开|培训会|工作会议|座谈会|获评|荣获"),
     "title is news about reports"),
    (re.compile(r"^图解|解读"), "title names an explainer (解读/图解), not the report"),
    (re.compile(r"自查|整改|总结|考核|评议|报表|指南|目录|申请表"), "title names another disclosure document"),
)
# A report title names disclosure (信息公开/政务公开) and a report; "年度报告" alone is not enough
# ("法治政府建设年度报告"): such titles need the text test below.
_REPORT_TITLE = re.compile(r"(信息公开|资讯公开|政务公开|政府信息).*?(年度报告|年报|工作报告)")
_REPORT_TEXT = re.compile(r"(政府信息公开|政务公开)(工作)?年度报告|政府信息公开工作报告")
_REPORT_SECTIONS = re.compile(r"(主动公开|依申请公开).{0,400}(行政复议|行政诉讼|存在的主要问题|存在问题)", re.S)


@dataclass(frozen=True, slots=True)
class Verdict:
    is_report: bool
    reason: str


def classify(title: str | None, text: str) -> Verdict:
    key = for_matching(title or "")
    for pattern, reason in _LOOKALIKE_TITLES:
        if pattern.search(key):
            return Verdict(False, reason)
    if _REPORT_TITLE.search(key):
        return Verdict(True, "title names a 政府信息公开工作年度报告")
    body = for_matching(text[:3000])
    if _REPORT_TEXT.search(body[:600]) and _REPORT_SECTIONS.search(for_matching(text)):
        return Verdict(True, "text opens as an annual disclosure report and has its sections")
    return Verdict(False, "no annual-report marker in title or opening text")
