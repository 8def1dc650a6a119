"""Statistics stated in sentences, for reports without a table (docs/FORMATS.md "Narrative-only reports").

A figure is set only when one clause states it unambiguously: a clause naming both 行政复议 and
行政诉讼 with one number is skipped, "截至/累计" may be cumulative and is skipped, a channel
(网站, 微博, 书面 ...) is only part of the total and is skipped; two different figures for one key
leave it unset. A clause that says none was received or happened gives 0; a negation must govern the
thing itself ("未收到…申请"), so "无依申请公开政府信息" (none received, or none granted?) gives nothing.

Reports of the 2019 and later templates (the text names the 2019 条例's items, or its first year is 2019
or later) get the 表三 cells a sentence names (新收, 上年结转, 予以公开, 结转下年度, all 总计); earlier
reports get the four pre-2019 keys.
"""

from __future__ import annotations

import re

from crawler.core.normalize import chinese_number, for_matching

_NUM = r"(\d+|[零一二两三四五六七八九十]+)"
_UNIT = r"(?:件|宗|个|条|起|项)"
_PARTIAL = re.compile(r"截至|累计|网站|微博|微信|公报|书面|当面|信函|传真|网络|其中|渠道")
_RECEIVED = (r"(?:(?:收到|受理)(?:政府)?(?:信息公开|公开政府信息)?(?:的)?申请|申请总数为?"
             r"|新收政府信息公开申请(?:数量)?)")
_NO_APPLICATION = re.compile(r"(?:未|没有)(?:收到|接到|受理)(?:任何|过)?(?:政府信息公开|依申请公开)?(?:的)?申请")
_NONE = r"(?:未|没有|无)(?:发生|出现|产生|收到|接到|有)"
_PRE2019 = {
    "主动公开政府信息数": (re.compile(r"主动公开政府信息(?:数|总数)?(?:为|共)?" + _NUM + _UNIT), None),
    "收到政府信息公开申请数": (re.compile(_RECEIVED + r"(?:共|总数为?)?" + _NUM + _UNIT), _NO_APPLICATION),
    "行政复议数": (re.compile(r"行政复议(?:案件)?(?:共)?" + _NUM + _UNIT), re.compile(_NONE + r".*行政复议")),
    "行政诉讼数": (re.compile(r"行政诉讼(?:案件)?(?:共)?" + _NUM + _UNIT), re.compile(_NONE + r".*诉讼")),
}
_SINCE_2019 = {
    "本年新收政府信息公开申请数量/总计": (re.compile(_RECEIVED + r"(?:共|总数为?)?" + _NUM + _UNIT), _NO_APPLICATION),
    "上年结转政府信息公开申请数量/总计": (
        re.compile(r"上年(?:度)?结转(?:政府信息公开申请(?:数量)?)?" + _NUM + _UNIT), None),
    "本年度办理结果/予以公开/总计": (re.compile(r"^予以公开" + _NUM + _UNIT), None),
    "结转下年度继续办理/总计": (re.compile(r"结转下(?:一)?年(?:度)?(?:继续办理)?" + _NUM + _UNIT), None),
}
_OTHER = {"行政复议数": "行政诉讼", "行政诉讼数": "行政复议"}
_TEMPLATE_2019 = re.compile(r"收到和处理政府信息公开申请|国令第711号|第二十条|〔2019〕60号")
_YEAR = re.compile(r"(20[0-2]\d)年")


def narrative_stats(text: str) -> dict[str, int]:
    plain = for_matching(text).replace("资讯", "信息")
    patterns = _SINCE_2019 if _since_2019(plain) else _PRE2019
    found: dict[str, set[int]] = {}
    for line in text.splitlines():
        for clause in re.split(r"[。；;！!，,：:]", for_matching(line).replace("资讯", "信息")):
            for key, (pattern, negation) in patterns.items():
                match = pattern.search(clause)
                if match and _OTHER.get(key, "\0") not in clause and not _PARTIAL.search(clause[: match.start()]):
                    number = int(match.group(1)) if match.group(1).isdigit() else chinese_number(match.group(1))
                    if number is not None:
                        found.setdefault(key, set()).add(number)
                elif not match and negation and negation.search(clause) and not _PARTIAL.search(clause):
                    found.setdefault(key, set()).add(0)
    return {key: values.pop() for key, values in found.items() if len(values) == 1}


def _since_2019(plain: str) -> bool:
    first_year = _YEAR.search(plain)
    return bool(_TEMPLATE_2019.search(plain)) or (first_year is not None and int(first_year.group(1)) >= 2019)
