"""The issuing body of a report, as the report writes it.

Read in order of trust: the title (the words before the year, or before 政府信息公开 in a title that
opens with its year); the opening sentences ("现公布XX街道办事处2019年政府信息公开工作年度报告",
"由XX镇人民政府编制", "2019年，XX街道办事处高度重视…"); the page's 发布机构; the signature (an
organisation's line above the closing date); the contact line ("请与XX局政府信息公开…联系") and its
address. Every candidate must read as an organisation's name (it ends in 政府, 局, 街道, 镇, 办公室 …)
and never as 我局/本镇, a bare 政府 or a sentence fragment, so a report that only says 我乡 has no agency.
A township's internal office that compiled the report (XX镇人民政府党政办公室) stands for the township.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Mapping

_YEAR = r"(?:\d{4}|[〇○零一二三四五六七八九]{4})\s*年度?"
_SUBJECT = (r"(?:政府信息公开|政府信息公開|政务公开|政務公開|政务信息公开|政務信息公開|信息公开|信息公開"
            r"|政府资讯公开|政府資訊公開)")
_NAME = r"(?P<org>[^《》，。,;；：:、\n]{2,40}?)"
_ORG_END = re.compile(
    r"(政府|办公室|辦公室|办公厅|辦公廳|办事处|辦事處|街道|局|委员会|委員會|委|办|辦|镇|鎮|乡|鄉|县|縣|区|區|市|旗"
    r"|州|盟|中心|院|所|站|馆|館|厅|廳|队|隊|会|會|处|處|公司|社区|社區|社|场|場|署|街|校|团|團|关|關)$"
)
_NOT_ORG = re.compile(r"^(?:我|本|该|該|全|各|其|此|在|对|對|将|將|已|并|並)|工作|报告|報告|年度|如下|情况|情況|以下")
_NAME_CHARS = re.compile(r"[\u4e00-\u9fff（）()·]+$")
# An organisation word with no name of its own ("编制2020年政府信息公开…": 政府)
_GENERIC = re.compile(r"^(?:本级)?(?:人民)?(?:政府|政府办公室|办公室|街道|街道办事处|办事处|镇政府|乡政府|镇|乡|局)$")
# A township's or subdistrict's internal office compiles its report: the report is the township's.
_INTERNAL_OFFICE = re.compile(r"^(?P<body>.+(?:镇|乡|鎮|鄉|街道)(?:人民政府|政府|办事处|辦事處)?)"
                              r"(?:党政综合办公室|党政办公室|党政办|综合办公室|综合办|办公室|黨政辦公室|辦公室)$")
_TITLE_YEAR = re.compile(_YEAR)
_TITLE_SUBJECT = re.compile(_SUBJECT)
_LEADING_YEAR = re.compile(r"^" + _YEAR)
_NOTICE_PREFIX = re.compile(r"^关于(?:印发|转发|做好|公布)?|^關於|^關于")

_OPENING = (
    # 现公布/现将/特编制 XX 2019年政府信息公开…; 《XX2023年政府信息公开工作年度报告》
    re.compile(r"(?:公布|公开|公開|发布|發布|编制|編製|制定|形成了|现将|現將|制作|《)" + _NAME + _YEAR + _SUBJECT),
    # 特向社会公布2013年度黄村镇政府信息公开年度报告
    re.compile(r"(?:公布|公开|公開|发布|發布|编制|編製)" + _YEAR + _NAME + _SUBJECT),
    # 本报告由XX镇人民政府编制 / 按照…要求编制
    re.compile(r"由" + _NAME + r"(?:按照|根据|根據|依据|依據|依照|编制|編製|编写|综合|綜合|负责|負責|结合|結合)"),
    # …要求，XX镇政府编制2020年政府信息公开年度报告
    re.compile(r"(?P<org>[\u4e00-\u9fff（）()]{2,40}?)(?:编制|編製)了?" + _YEAR + _SUBJECT),
    # 一、总体情况 / 2019年，XX街道办事处高度重视…
    # any "XX2023年政府信息公开工作年度报告": XX is the run of Chinese characters before the year
    re.compile(r"(?P<org>[\u4e00-\u9fff（）()]{2,40}?)" + _YEAR + _SUBJECT
               + r"(?:工作)?(?:年度)?(?:报告|報告|年报|年報)"),
    re.compile(r"(?:^|\n)" + _YEAR + r"[,，]" + r"(?P<org>[^《》，。,;；：:、\n]{2,20}?)"
               r"(?:在|高度重视|高度重視|认真|認真|坚持|堅持|按照|严格|嚴格|紧紧|緊緊|紧密|始终|深入|全面|继续|繼續"
               r"|进一步|進一步|围绕|圍繞|以)"),
)
_VERB_PREFIX = re.compile(r"^.*?(?:公布|公佈|公开|公開|发布|發布|编制|編製|制定|製定|形成了?|印发|印發|现将|現將)")
_PUBLISHER = re.compile(r"(?:发布机构|發佈機構|發布機構|发布单位|發佈單位|發布單位)\s*[:：]?\s*[|｜]?\s*"
                        r"(?P<org>[^\s|｜:：]{2,30})")
_CONTACT = re.compile(
    r"请与" + r"(?P<org>[^，。,;；：:、（(\n]{2,40}?)"
    r"(?:政府信息公开|信息公开|政务公开)?(?:工作)?(?:领导小组)?(?:办公室|受理机构|联系)"
)
_ADDRESS = re.compile(r"地址[:：]" + r"(?P<org>[^，。,;；：:、）)\n]{2,40}?)"
                      r"(?:党政综合办公室|党政办公室|党政办|综合办公室|办公室)")
_DAY = r"[\d一二三四五六七八九十]{1,3}"
_DATE_LINE = re.compile(r"^(?:\d{4}|[〇○零一二三四五六七八九]{4})\s*年\s*" + _DAY + r"\s*月\s*" + _DAY + r"\s*日$")
_INLINE_SPACES = re.compile(r"[ \t\u3000\xa0]+")


def organisation(candidate: str | None) -> str | None:
    """The candidate as an organisation's name, or None: its trailing run of Chinese characters
    (spam and site names glued in front fall away), 2–30 long, ending in an organisation word."""
    if not candidate:
        return None
    match = _NAME_CHARS.search(candidate.strip())
    name = match.group(0) if match else ""
    if not 2 <= len(name) <= 30 or _NOT_ORG.search(name) or not _ORG_END.search(name) or _GENERIC.match(name):
        return None
    office = _INTERNAL_OFFICE.match(name)
    return office.group("body") if office else name


def from_title(title: str | None) -> str | None:
    """The title's words before its year, or before 政府信息公开 when the title opens with the year."""
    title = _INLINE_SPACES.sub("", title or "")
    for match in (_TITLE_YEAR.search(title), _TITLE_SUBJECT.search(title)):
        if not match:
            continue
        words = _NOTICE_PREFIX.sub("", _LEADING_YEAR.sub("", title[: match.start()]))
        if name := organisation(words):
            return name
    return None


def _candidates(text: str, page_metadata: Mapping[str, str]) -> Iterator[str | None]:
    head = _INLINE_SPACES.sub("", text[:2000])
    for pattern in _OPENING:
        for match in pattern.finditer(head):
            yield _VERB_PREFIX.sub("", match.group("org"))
    for key in ("发布机构", "发布单位", "發佈機構"):
        yield page_metadata.get(key)
    yield from (match.group("org") for match in _PUBLISHER.finditer(head))
    yield _signature(text)
    whole = _INLINE_SPACES.sub("", text)
    yield from (match.group("org") for match in _CONTACT.finditer(whole))
    yield from (match.group("org") for match in _ADDRESS.finditer(whole))


def _signature(text: str) -> str | None:
    """The organisation line right above the closing date."""
    lines = [_INLINE_SPACES.sub("", line) for line in text.strip().splitlines()[-8:]]
    lines = [line for line in lines if line]
    for above, line in itertools.pairwise(lines):
        if _DATE_LINE.match(line) and len(above) <= 30:
            return above
    return None


def agency_name(title: str | None, text: str, page_metadata: Mapping[str, str] | None = None) -> str | None:
    """The first candidate, in order of trust, that reads as an organisation's name."""
    if name := from_title(title):
        return name
    return next((name for candidate in _candidates(text, page_metadata or {})
                 if (name := organisation(candidate))), None)
