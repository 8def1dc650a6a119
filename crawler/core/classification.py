"""Is this document a 政府信息公开工作年度报告, or a look-alike filed beside it? With the reason.

Decided on the document's own head, in this order:
1. a list or index page (most of its lines are links) is never a report, whatever its title says;
2. its title, when the title names another kind of document (a 通知 about compiling reports, a
   工作要点, a 法治政府建设 report, a budget, an explainer, news) — look-alikes win over report words;
3. the shape of its opening, when it is a notice (a salutation "各乡镇人民政府，县直各部门："), a set
   of rules (第一条, 第二条 …) or a template with blank years ("统计期限自年1月1日起");
4. a title that names a disclosure report;
5. an opening that speaks of itself as the report ("现公布…年度报告", "本报告…", "编制本报告") and of
   disclosure, with the statistics period, the 条例 citation or the report's outline;
6. the report's outline alone (主动公开, 依申请公开, 行政复议/诉讼, 存在的主要问题 …) or its 2019/2021
   tables, for excerpts that start at a section.
What the body cites or mentions (a superior's 通知, the 工作要点, "工作总结如下") never decides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from crawler.core.normalize import for_matching
from crawler.core.texthead import without_glosses

# Patterns run on for_matching() text (Simplified, no whitespace); pinyin glosses "(gong)" removed.
_LOOKALIKE_TITLES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"工作要点"), "title names a 工作要点 (work plan)"),
    (re.compile(r"统计公报"), "title names a 统计公报 (statistical communiqué)"),
    (re.compile(r"政府工作报告"), "title names a 政府工作报告 (government work report)"),
    (re.compile(r"法治政府|依法行政"), "title names a 法治政府建设 report (rule of law), not disclosure"),
    (re.compile(r"预算|决算"), "title names a budget or final accounts (预算/决算)"),
    (re.compile(r"范文|模板|样本|格式"), "title names a template (范文/模板)"),
    (re.compile(r"(关于|做好|编制|报送).*年度报告.*(通知|函)$"), "title is a notice about compiling reports"),
    (re.compile(r"(通知|函|通报|意见|决定|办法|制度|规定|实施方案)$"), "title is a notice, letter or rule"),
    (re.compile(r"^(我|本)[县区市州旗盟镇乡]|召开|培训会|工作会议|座谈会|获评|荣获"),
     "title is news about reports"),
    (re.compile(r"^图解|解读"), "title names an explainer (解读/图解), not the report"),
    (re.compile(r"自查|整改|总结|考核|评议|报表|指南|目录|申请表"), "title names another disclosure document"),
)
_REPORT_TITLE = re.compile(r"(信息公开|资讯公开|政务公开|政府信息|信息年度公开).*?(年度报告|年报|工作报告|公开报告)")

# The opening's shape: a notice's salutation, a set of rules, a template's blank years.
_SALUTATION = re.compile(r"(?:^|\n)\s*(?:各|中共)[^。\n]{1,60}[:：]\s*(?:\n|$)")
_ARTICLES = re.compile(r"(?:^|\n)\s*(第[一二三四五六七八九十]+条)(?!第)")  # not 第二十条第（一）项
_BLANK_YEAR = re.compile(r"(?:自|至|到)年(?:1月1日|12月31日)|公布年度")

# The opening speaks of itself as the report ("本报告", "现公布…年度报告", "…年度报告予以公开"), not of
# reports in general (news: "各级行政机关应公布本单位政府信息公开工作年度报告").
_SELF_REFERENCE = re.compile(
    r"(?:本|此)(?:年度)?(?:报告|年报)(?!的时间)"
    r"|(?:现|特|兹)[^。]{0,12}(?:公布|公开|发布|编制|制定|制作|形成|印发)[^。]{0,40}(?:年度报告|年报)"
    r"|(?:年度报告|年报)[^。]{0,6}予以公开"
    # "XX县2009年政府信息公开工作年度报告（以下简称年报）": this year's report, not reports in general
    r"|(?:\d{4}|[〇○零一二三四五六七八九]{4})年度?[^。]{0,20}(?:年度报告|年报)[(（]以下简称"
)
# ... of disclosure ...
_DISCLOSURE = re.compile(r"政府信息公开|政务公开|政务信息公开|信息公开|政府资讯公开|主动公开政府信息"
                         r"|政府信息依申请公开")
# ... with the statistics period, the 条例 citation or the outline.
_PERIOD = re.compile(r"(?:统计期限|统计时限|统计时间|所列数据|数据的统计|数据统计|数据为|数据核定).{0,20}?\d{4}年")
_REGULATION = re.compile(r"政府信息公开条例|政府资讯公开条例|《条例》")
# The outline counts only in heading lines ("三、政府信息依申请公开情况"): news and notices name the same
# topics inside their sentences.
_OUTLINE = (
    re.compile(r"总体情况|概述|基本情况"),
    re.compile(r"主动公开"),
    re.compile(r"依申请公开|收到和处理政府信息公开申请|依法申请公开"),
    re.compile(r"复议|诉讼"),
    re.compile(r"存在的主要问题|存在问题|主要问题|不足"),
)
_HEADING_LINE = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[）)]|\d+[、.．])(?P<words>.{2,40})$",
    re.MULTILINE,
)
_REPORT_TABLE = re.compile(r"第二十条第[(（]?[一五六八九][)）]?项|本年新收政府信息公开申请数量|政府信息公开情况统计表")
# A portal's annual-report column in a URL path: /zfxxgknb/, /xxgknb_97478/, /gknb/, /ndbg/ (年度报告) …
_REPORT_COLUMN = re.compile(r"/[a-z_]*(?:gknb|ndbg|nianbao)[a-z0-9_]*/", re.IGNORECASE)
_OPENING_CHARS, _OUTLINE_CHARS = 1200, 4000
_LIST_PAGE_SHARE, _LIST_PAGE_LINES = 0.5, 5


@dataclass(frozen=True, slots=True)
class Verdict:
    is_report: bool
    reason: str


def _matching(text: str) -> str:
    return for_matching(without_glosses(text))


def _lookalike_shape(text: str) -> str | None:
    head = without_glosses(text[:_OPENING_CHARS])
    if _SALUTATION.search(head):
        return "opens with a salutation (各…：): a notice or a letter to superiors, not a published report"
    if len(set(_ARTICLES.findall(head))) >= 2:
        return "written in articles (第一条, 第二条 …): rules, not a report"
    if _BLANK_YEAR.search(_matching(head)):
        return "years left blank (统计期限自年1月1日): a template (范文)"
    return None


def _outline_count(text: str) -> int:
    headings = _matching(" ".join(match.group("words") for match in _HEADING_LINE.finditer(text)))
    return sum(1 for pattern in _OUTLINE if pattern.search(headings))


def classify(title: str | None, text: str, link_share: float = 0.0, urls: tuple[str, ...] = ()) -> Verdict:
    """``link_share``: the share of the text's lines that are links (``Extracted.link_share``); ``urls``: the
    document's and, for an attachment, its page's (an annual-report column in the path is evidence)."""
    if link_share >= _LIST_PAGE_SHARE and len(text.splitlines()) >= _LIST_PAGE_LINES:
        return Verdict(False, f"a list or index page ({link_share:.0%} of its lines are links)")
    key = _matching(title or "")
    for pattern, reason in _LOOKALIKE_TITLES:
        if pattern.search(key):
            return Verdict(False, reason)
    if reason := _lookalike_shape(text):
        return Verdict(False, reason)
    if _REPORT_TITLE.search(key):
        return Verdict(True, "title names a 政府信息公开工作年度报告")
    opening, body = _matching(text[:_OPENING_CHARS]), _matching(text[:_OUTLINE_CHARS])
    outline = _outline_count(text[:_OUTLINE_CHARS])
    if _SELF_REFERENCE.search(opening) and _DISCLOSURE.search(opening) and (
            _PERIOD.search(opening) or _REGULATION.search(opening) or outline >= 2):
        return Verdict(True, "opening presents the text as the annual disclosure report")
    if _DISCLOSURE.search(body) and (outline >= 3 or _REPORT_TABLE.search(body)):
        return Verdict(True, "text has the annual report's outline or tables")
    if any(_REPORT_COLUMN.search(url) for url in urls) and _DISCLOSURE.search(opening) and (
            _REGULATION.search(opening) or _PERIOD.search(opening) or outline >= 1):
        return Verdict(True, "filed in an annual-report column (URL) and the opening is about disclosure")
    return Verdict(False, "no annual-report marker in title or opening text")
