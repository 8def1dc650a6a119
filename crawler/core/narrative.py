"""Statistics stated in sentences, for reports without a table (docs/FORMATS.md "Narrative-only reports").

A figure is set only when one clause states it unambiguously: a clause naming both 行政复议 and
行政诉讼 with one number is skipped; a figure after "截至…" or "累计" in its sentence may be cumulative
and is skipped ("全年累计" is this year's), so is a part ("其中", except "其中本年度…", this year's part
of a cumulative figure); two different figures for one key leave it unset. A channel (网站, 书面, 信函
...) may be only part of a total: a clause counted through one is taken only when no other clause of its
sentence counts through another and the report does not tell its publications channel by channel in
sub-sections, or when the channels end in "等渠道/等方式" (all of them). A clause that says none was
received or happened gives 0; a negation must govern the thing itself ("未收到…申请"), so
"无依申请公开政府信息" (none received, or none granted?) gives nothing.

Reports of the 2019 and later templates (the text names the 2019 条例's items, or its first year is 2019
or later) get the 表三 cells a sentence names (新收, 上年结转, 予以公开, 结转下年度, all 总计); earlier
reports get the four pre-2019 keys.
"""

from __future__ import annotations

import re

from crawler.core.normalize import chinese_number, for_matching

_NUM = r"(\d+|[零一二两三四五六七八九十]+)"
_UNIT = r"(?:件|宗|个|条|起|项)"
_THIS_YEAR = r"(?:本年度?|今年|全年|当年|20[0-2]\d年度?)"
# 截至/累计 may count since the first year ("全年累计" is this year's); 其中 is a part, "其中本年度…" this
# year's part of a cumulative count.
_PART = re.compile(r"截至|截止|(?<!全年|本年|今年|年度|年内)累计|公报|其中(?!" + _THIS_YEAR + ")")
_CHANNEL = re.compile(r"网站|网页|微博|微信|书面|当面|信函|传真|网络|网上|线上|渠道|公开栏|报纸|电视|广播")
_COUNT = re.compile(_NUM + _UNIT)
_ALL_CHANNELS = re.compile(r"等(?:多种|各种)?(?:渠道|方式|途径|形式|平台)")
_RECEIVED = (r"(?:(?:收到|受理)(?:政府)?(?:信息公开|公开政府信息)?(?:的)?申请|申请总数为?"
             r"|新收政府信息公开申请(?:数量)?|(?:收到|受理)依申请公开(?:政府)?(?:信息)?(?:的)?(?:申请)?)")
_NO_APPLICATION = re.compile(r"(?:未|没有)(?:收到|接到|受理)(?:任何|过)?"
                             r"(?:[^,]{0,16}?(?:政府信息公开|信息公开|公开政府信息)(?:的)?申请"
                             r"|依申请公开(?:的)?(?:政府信息)?(?:申请|请求|来信|事项)?(?![^,]*(?:复议|诉讼))"
                             r"|(?:的)?申请)")
_NONE = r"(?:未|没有|无)(?:发生|出现|产生|收到|接到|有)"
# "全年无…行政复议…的案件"
_NO_CASES = r"^(?:全年|本年度?|20[0-2]\d年度?)?无(?!论|法)[^,]{{0,24}}{}[^,]{{0,8}}(?:案件|案)"
# This year's publications: 主动公开, 公开/发布 of 各类 (all kinds of) information, or this year's part of a
# cumulative count ("累计公开…，其中本年度公开…").
_PUBLISHED = re.compile(
    r"(?:主动公开(?:政府)?信息(?:数|总数)?|(?:公开|发布)了?各[类种项](?:政府)?信息(?:内容)?"
    r"|(?<!申请)共(?:公开|发布)了?(?:政府)?信息)"
    r"(?:共计?|为|达)?" + _NUM + _UNIT
    + r"|^其中" + _THIS_YEAR + r"(?:(?!申请|不予|部分)[^,])*?(?:新增|公开|发布)(?:(?!申请)[^,])*?" + _NUM + "条")
_PRE2019 = {
    "主动公开政府信息数": (_PUBLISHED, None),
    "收到政府信息公开申请数": (re.compile(_RECEIVED + r"(?:共|总数为?)?" + _NUM + _UNIT), _NO_APPLICATION),
    "行政复议数": (re.compile(r"行政复议(?:案件)?(?:共)?" + _NUM + _UNIT),
                re.compile(_NONE + r".*行政复议|" + _NO_CASES.format("行政复议"))),
    "行政诉讼数": (re.compile(r"行政诉讼(?:案件)?(?:共)?" + _NUM + _UNIT),
                re.compile(_NONE + r".*诉讼|" + _NO_CASES.format("诉讼"))),
}
_SINCE_2019 = {
    "本年新收政府信息公开申请数量/总计": (re.compile(_RECEIVED + r"(?:共|总数为?)?" + _NUM + _UNIT), _NO_APPLICATION),
    "上年结转政府信息公开申请数量/总计": (
        re.compile(r"上年(?:度)?结转(?:政府信息公开申请(?:数量)?)?" + _NUM + _UNIT), None),
    "本年度办理结果/予以公开/总计": (re.compile(r"^予以公开" + _NUM + _UNIT), None),
    "结转下年度继续办理/总计": (re.compile(r"结转下(?:一)?年(?:度)?(?:继续办理)?" + _NUM + _UNIT), None),
}
TABLE3_KEYS = frozenset(_SINCE_2019)
_THIS_YEARS_PART = re.compile("^其中" + _THIS_YEAR)
# "（一）…网站主动公开政府信息情况" "（二）…公开专栏主动公开政府信息情况": publication told channel by channel
_PUBLISHED_PART = re.compile(r"^\(?[一二三四五六七八九十\d]{1,2}[)、.][^,。]{0,24}主动公开[^,。]{0,8}情况")
_OTHER = {"行政复议数": "行政诉讼", "行政诉讼数": "行政复议"}
_TEMPLATE_2019 = re.compile(r"收到和处理政府信息公开申请|国令第711号|第二十条|〔2019〕60号")
_YEAR = re.compile(r"(20[0-2]\d)年")


def narrative_stats(text: str) -> dict[str, int]:
    lines = [for_matching(line).replace("资讯", "信息") for line in text.splitlines()]
    patterns = _SINCE_2019 if _since_2019("".join(lines)) else _PRE2019
    by_channel = sum(1 for line in lines if _PUBLISHED_PART.match(line)) > 1
    found: dict[str, set[int]] = {}
    for sentence in (sentence for line in lines for sentence in re.split(r"[。；;！!]", line)):
        clauses = re.split(r"[，,：:]", sentence)
        for key, (pattern, negation) in patterns.items():
            matches = [pattern.search(clause) for clause in clauses]
            through = sum(1 for clause, match in zip(clauses, matches, strict=True) if _through_channel(clause, match))
            several_channels = through > 1 or (by_channel and key == "主动公开政府信息数")
            said = ""  # the sentence before this clause ("截至…，" scopes what follows), from "其中本年度…" on
            for clause, match in zip(clauses, matches, strict=True):
                said = "" if _THIS_YEARS_PART.match(clause) else said
                if match is not None:
                    number, prefix = _number(match), clause[: match.start()]
                    one_key = _OTHER.get(key, "\0") not in clause  # not one figure for 复议 and 诉讼 together
                    if (number is not None and one_key and not _PART.search(said + prefix)
                            and _one_channel(prefix, several_channels)):
                        found.setdefault(key, set()).add(number)
                elif negation and negation.search(clause) and not _PART.search(clause) and _one_channel(clause, True):
                    found.setdefault(key, set()).add(0)
                said += clause + ","
    return {key: values.pop() for key, values in found.items() if len(values) == 1}


def _number(match: re.Match[str]) -> int | None:
    digits = next(group for group in match.groups() if group is not None)
    return int(digits) if digits.isdigit() else chinese_number(digits)


def _one_channel(prefix: str, other_channels: bool) -> bool:
    """Whether a figure is not one channel's of several (channels ending in "等渠道" are all of them)."""
    return not (_CHANNEL.search(prefix) and other_channels and not _ALL_CHANNELS.search(prefix))


def _through_channel(clause: str, match: re.Match[str] | None) -> bool:
    """A clause giving a count through a channel (网站, 公开栏 …), whether or not the key's pattern read it
    (``match``)."""
    count = match or _COUNT.search(clause)
    return count is not None and _CHANNEL.search(clause[: count.start()]) is not None


def _since_2019(plain: str) -> bool:
    first_year = _YEAR.search(plain)
    return bool(_TEMPLATE_2019.search(plain)) or (first_year is not None and int(first_year.group(1)) >= 2019)
