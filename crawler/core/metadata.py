"""Report metadata read from the title, the text and the page: year, agency, region, level, date.

The reporting year comes from the title, then the text, never from the URL date (reports are
re-posted years later). The agency is the issuing body as the title or text writes it, not the
page's 来源 line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from crawler.core.normalize import chinese_number, for_matching

FIRST_YEAR, LAST_YEAR = 2007, 2099
_CN = "〇○◯零一二三四五六七八九十"
_YEAR = rf"(\d{{4}}|[{_CN}]{{4}})"
_TITLE_YEAR = re.compile(_YEAR + r"年")
_TEXT_YEAR = (
    re.compile(_YEAR + r"年度?(政府信息公开|政务公开|信息公开)"),
    re.compile(r"统计期限.{0,12}?" + _YEAR + r"年1月1日"),
    re.compile(_YEAR + r"年度"),
)
_TITLE_SUBJECT = re.compile(r"(?:政府信息公开|政务公开|信息公开|政府信息公開|政務公開|信息公開)")
_SPACES = re.compile(r"\s+")
_LEADING_YEAR = re.compile(r"^" + _YEAR + r"年度?")
_AGENCY_TEXT = re.compile(r"(?:特制定|现就|现将|现公布|现发布)(.{2,30}?)" + _YEAR + r"年")
_DATE = re.compile(rf"(\d{{4}}|[{_CN}]{{4}})\s*年\s*(\d{{1,2}}|[{_CN}]{{1,3}})\s*月\s*(\d{{1,2}}|[{_CN}]{{1,3}})\s*日")
_ISO_DATE = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})")
_REGION = re.compile(r"^(.*?(?:省|自治区|市|县|縣|区|區|旗|州))(?!.*(?:省|自治区|县|縣|区|區|旗))")
_LEVELS = (
    (re.compile(r"(街道|街道办事处)$"), "subdistrict"),
    (re.compile(r"(镇|乡)(人民政府)?$"), "township"),
    (re.compile(r"(局|委|委员会|办公室|办|中心|厅|院|所|队|站|馆)$"), "department"),
    (re.compile(r"省(人民政府)?$"), "province"),
    (re.compile(r"(县|旗)(人民政府)?$"), "county"),
    (re.compile(r"区(人民政府)?$"), "district"),
    (re.compile(r"(市|州)(人民政府)?$"), "city"),
)


@dataclass(frozen=True, slots=True)
class ReportMetadata:
    year: int | None
    agency: str | None
    region: str | None
    level: str | None
    published: str | None


def _year_value(token: str) -> int | None:
    value = int(token) if token.isdigit() else chinese_number(token)
    return value if value is not None and FIRST_YEAR <= value <= LAST_YEAR else None


def reporting_year(title: str | None, text: str) -> int | None:
    for match in _TITLE_YEAR.finditer(title or ""):
        if (year := _year_value(match.group(1))) is not None:
            return year
    head = text[:2000]
    for pattern in _TEXT_YEAR:
        for match in pattern.finditer(head):
            if (year := _year_value(match.group(1))) is not None:
                return year
    return None


def agency_name(title: str | None, text: str) -> str | None:
    """The issuing body: the title's words before the year (or, in a title without a year or one that
    opens with it, before 政府信息公开/政务公开), else the text's '特制定XX2019年…'."""
    title = title or ""
    for match in (_TITLE_YEAR.search(title), _TITLE_SUBJECT.search(title)):
        if not match:
            continue
        words = title[: match.start()]
        if match.re is _TITLE_SUBJECT:  # "2019年度样例县财政局政府信息公开…": the year goes, the body stays
            words = _LEADING_YEAR.sub("", words)
        prefix = re.sub(r"^关于(?:印发|转发|做好|公布)?", "", words).strip(" 　:：")
        if len(prefix) >= 2:
            return prefix
    match = _AGENCY_TEXT.search(text[:1000])
    return match.group(1).strip() if match else None


def region_and_level(agency: str | None) -> tuple[str | None, str | None]:
    if not agency:
        return None, None
    key = for_matching(agency)
    level = next((name for pattern, name in _LEVELS if pattern.search(key)), None)
    match = _REGION.match(agency)
    return (match.group(1) if match else None), level


def published_date(page_metadata: dict[str, str], text: str) -> str | None:
    """The page's 发布日期/PubDate, else the last full date in the closing lines (the signature)."""
    for key in ("发布日期", "公开日期", "成文日期", "PubDate"):
        value = page_metadata.get(key)
        if value and (iso := _iso(_ISO_DATE.search(value))):
            return iso
    tail = text[-300:]
    dates = [_iso(m) for m in _DATE.finditer(tail)]
    dates = [d for d in dates if d]
    return dates[-1] if dates else None


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
    agency = agency_name(title, text)
    region, level = region_and_level(agency)
    return ReportMetadata(
        year=reporting_year(title, text),
        agency=agency,
        region=region,
        level=level,
        published=published_date(page_metadata, text),
    )
