"""Report metadata read from the title, the text and the page: year, agency, region, level, dates.

The reporting year comes from the title, then the text, never from the URL date (reports are
re-posted years later). The agency is the issuing body as the report writes it (``agency``), not
the page's 来源 line. ``published`` is the posting date the page states; ``signed`` the date under
the signature; the end of the statistics period is neither.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from crawler.core.agency import agency_name
from crawler.core.normalize import chinese_number, for_matching
from crawler.core.texthead import posted_date

FIRST_YEAR, LAST_YEAR = 2007, 2099
_CN = "〇○◯零一二三四五六七八九十"
_YEAR = rf"(\d{{4}}|[{_CN}]{{4}})"
_TITLE_YEAR = re.compile(_YEAR + r"年")
_TEXT_YEAR = (  # run on the opening with spaces removed, most telling first
    re.compile(_YEAR + r"年1月1日(?:起|开始|開始)?(?:至|到|-|—|－|~|～)"),  # the statistics period
    re.compile(_YEAR + r"年度?(?:政府信息公开|政务公开|政务信息公开|信息公开|政府信息公開|政務公開|信息公開)"
               r"(?:工作)?(?:年度)?(?:报告|報告|年报|年報)"),  # the report named, not "2015年政府信息公开工作我们将…"
    re.compile(_YEAR + r"年度"),
)
_SPACES = re.compile(r"\s+")
_INLINE_SPACES = re.compile(r"[ \t\u3000\xa0]+")
_POSTED_KEYS = ("发布日期", "发布时间", "公开日期", "PubDate", "pubdate", "PublishDate", "PostedLine")
_DATE = re.compile(rf"(\d{{4}}|[{_CN}]{{4}})\s*年\s*(\d{{1,2}}|[{_CN}]{{1,3}})\s*月\s*(\d{{1,2}}|[{_CN}]{{1,3}})\s*日")
_ISO_DATE = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})")
_REGION = re.compile(r"^(.*?(?:省|自治区|市|县|縣|区|區|旗|州))(?!.*(?:省|自治区|县|縣|区|區|旗))")
_GOVERNMENT = r"(?:(?:人民)?政府)?$"  # "XX镇", "XX镇政府", "XX镇人民政府" alike
_LEVELS = (
    (re.compile(r"(街道|街道办事处|街)$"), "subdistrict"),  # 天津's subdistricts are "XX街"
    (re.compile(r"(镇|乡)" + _GOVERNMENT), "township"),
    (re.compile(r"(局|委|委员会|办公室|办|中心|厅|院|所|队|站|馆)$"), "department"),
    (re.compile(r"省" + _GOVERNMENT), "province"),
    (re.compile(r"(县|旗)" + _GOVERNMENT), "county"),
    (re.compile(r"区" + _GOVERNMENT), "district"),
    (re.compile(r"(市|州)" + _GOVERNMENT), "city"),
)


@dataclass(frozen=True, slots=True)
class ReportMetadata:
    year: int | None
    agency: str | None
    region: str | None
    level: str | None
    published: str | None
    signed: str | None


def _year_value(token: str) -> int | None:
    value = int(token) if token.isdigit() else chinese_number(token)
    return value if value is not None and FIRST_YEAR <= value <= LAST_YEAR else None


def reporting_year(title: str | None, text: str) -> int | None:
    """The title's year; else the statistics period's (…2019年1月1日至…); else the year the text
    names the report or the year by (2019年政府信息公开…, 2019年度); else the year the opening
    mentions most (an excerpt that starts at 一、总体情况 "2024年，我县…")."""
    for match in _TITLE_YEAR.finditer(title or ""):
        if (year := _year_value(match.group(1))) is not None:
            return year
    head = _INLINE_SPACES.sub("", text[:2000])
    for pattern in _TEXT_YEAR:
        for match in pattern.finditer(head):
            if (year := _year_value(match.group(1))) is not None:
                return year
    years = [year for match in _TITLE_YEAR.finditer(head) if (year := _year_value(match.group(1))) is not None]
    return max(years, key=lambda year: (years.count(year), -years.index(year))) if years else None


def region_and_level(agency: str | None) -> tuple[str | None, str | None]:
    if not agency:
        return None, None
    key = for_matching(agency)
    level = next((name for pattern, name in _LEVELS if pattern.search(key)), None)
    match = _REGION.match(agency)
    return (match.group(1) if match else None), level


def published_date(page_metadata: dict[str, str], text: str) -> str | None:
    """The posting date the page states: its metadata (发布日期, PubDate …), else a labelled line of
    the text (texthead.posted_date). Never the signature or a date of the body."""
    for key in _POSTED_KEYS:
        value = page_metadata.get(key)
        if value and (iso := _iso(_ISO_DATE.search(value))):
            return iso
    posted = posted_date(text)
    return f"{posted[0]:04d}-{posted[1]:02d}-{posted[2]:02d}" if posted else None


def signed_date(text: str) -> str | None:
    """The date on a line of its own among the closing lines: the signature's."""
    lines = [_INLINE_SPACES.sub("", line) for line in text.strip().splitlines()[-8:]]
    for line in reversed(lines):
        match = _DATE.fullmatch(line)
        if match and (iso := _iso(match)):
            return iso
    return None


def _iso(match: re.Match[str] | None) -> str | None:
    if not match:
        return None
    parts = [int(p) if p.isdigit() else chinese_number(p) for p in match.groups()]
    year, month, day = parts
    if year is None or month is None or day is None or not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def report_metadata(title: str | None, text: str, page_metadata: dict[str, str]) -> ReportMetadata:
    title = _SPACES.sub("", title) if title else title  # "年 度 报 告", "2021 年" and split titles
    agency = agency_name(title, text, page_metadata)
    region, level = region_and_level(agency)
    return ReportMetadata(
        year=reporting_year(title, text),
        agency=agency,
        region=region,
        level=level,
        published=published_date(page_metadata, text),
        signed=signed_date(text),
    )
