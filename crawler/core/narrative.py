"""Statistics stated in sentences, for reports without a table (FORMATS.md "Narrative-only reports").

A figure is set only when one clause states it unambiguously: a clause naming both 行政复议 and
行政诉讼 with one number is skipped, "截至/累计" may be cumulative and is skipped, a channel
(网站, 微博, 书面 ...) is only part of the total and is skipped; two different figures for one key
leave it unset. A clause that says none was received or happened gives 0.
"""

from __future__ import annotations

import re

from crawler.core.normalize import chinese_number, for_matching

_NUM = r"(\d+|[零一二两三四五六七八九十]+)"
_PARTIAL = re.compile(r"截至|累计|网站|微博|微信|公报|书面|当面|信函|传真|网络|其中")
_NONE = re.compile(r"(未|没有|无)(收到|发生|出现|接到|有)")
_PATTERNS = {
    "主动公开政府信息数": (re.compile(r"主动公开政府信息(?:数|总数)?(?:为|共)?" + _NUM + r"(?:条|件|项)"), None),
    "收到政府信息公开申请数": (
        re.compile(r"(?:收到(?:政府信息公开)?申请|申请总数为?|受理(?:政府信息公开)?申请)(?:共|总数为?)?" + _NUM
                   + r"(?:件|宗|个|条)"), "申请"),
    "行政复议数": (re.compile(r"行政复议(?:案件)?(?:共)?" + _NUM + r"(?:件|宗|起)"), "行政复议"),
    "行政诉讼数": (re.compile(r"行政诉讼(?:案件)?(?:共)?" + _NUM + r"(?:件|宗|起)"), "行政诉讼"),
}
_OTHER = {"行政复议数": "行政诉讼", "行政诉讼数": "行政复议"}


def narrative_stats(text: str) -> dict[str, int]:
    found: dict[str, set[int]] = {}
    plain = for_matching(text).replace("资讯", "信息")
    for clause in re.split(r"[。；;！!，,：:]", plain):
        for key, (pattern, negatable) in _PATTERNS.items():
            if _OTHER.get(key, "\0") in clause:
                continue  # one figure for 复议 and 诉讼 together
            match = pattern.search(clause)
            if match and not _PARTIAL.search(clause[: match.start()]):
                number = int(match.group(1)) if match.group(1).isdigit() else chinese_number(match.group(1))
                if number is not None:
                    found.setdefault(key, set()).add(number)
            elif negatable and negatable in clause and _NONE.search(clause) and not _PARTIAL.search(clause):
                found.setdefault(key, set()).add(0)
    return {key: values.pop() for key, values in found.items() if len(values) == 1}
