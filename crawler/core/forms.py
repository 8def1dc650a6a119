"""The official report forms: their tables, rows and columns, and every stats key they define.

One vocabulary for the parser (which reads these labels), the sample report generator (which prints
them) and the data dictionary (docs/DATA.md lists ``form_keys`` of each format). Key naming follows
docs/FORMATS.md 'Stats keys': row path and column, ordinals stripped, joined by "/".
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from crawler.core.labels import split_ordinal

APPLICANTS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
SUBTOTAL = "法人或其他组织小计"
TOTAL = "总计"
REVIEW_COLUMNS = ("结果维持", "结果纠正", "其他结果", "尚未审结", TOTAL)
REVIEW_GROUPS = ("行政复议", "行政诉讼/未经复议直接起诉", "行政诉讼/复议后起诉")
# 表三 outcome rows (2021 wording) and their sub-rows; the 2019 form has no sub-rows under 其他处理.
OUTCOMES_2021: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("予以公开", ()),
    ("部分公开（区分处理的，只计这一情形，不计其他情形）", ()),
    ("不予公开", ("属于国家秘密", "其他法律行政法规禁止公开", "危及“三安全一稳定”", "保护第三方合法权益",
                 "属于三类内部事务信息", "属于四类过程性信息", "属于行政执法案卷", "属于行政查询事项")),
    ("无法提供", ("本机关不掌握相关政府信息", "没有现成信息需要另行制作", "补正后申请内容仍不明确")),
    ("不予处理", ("信访举报投诉类申请", "重复申请", "要求提供公开出版物", "无正当理由大量反复申请",
                 "要求行政机关确认或重新出具已获取信息")),
    ("其他处理", ("申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                 "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "其他")),
)
TABLE3_NEW, TABLE3_CARRIED_IN, TABLE3_RESULTS, TABLE3_CARRIED_OUT = (
    "本年新收政府信息公开申请数量", "上年结转政府信息公开申请数量", "本年度办理结果", "结转下年度继续办理")
# 表二 (第二十条 items): (item, columns, rows) per form.
TABLE2_2021: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("一", ("本年制发件数", "本年废止件数", "现行有效件数"), ("规章", "行政规范性文件")),
    ("五", ("本年处理决定数量",), ("行政许可",)),
    ("六", ("本年处理决定数量",), ("行政处罚", "行政强制")),
    ("八", ("本年收费金额（单位：万元）",), ("行政事业性收费",)),
)
TABLE2_2019: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("一", ("本年新制作数量", "本年新公开数量", "对外公开总数量"), ("规章", "规范性文件")),
    ("五", ("上一年项目数量", "本年增/减", "处理决定数量"), ("行政许可", "其他对外管理服务事项")),
    ("六", ("上一年项目数量", "本年增/减", "处理决定数量"), ("行政处罚", "行政强制")),
    ("八", ("上一年项目数量", "本年增/减"), ("行政事业性收费",)),
    ("九", ("采购项目数量", "采购总金额"), ("政府集中采购",)),
)
# The national pre-2019 统计表: (indicator as printed, unit); unit "——" marks a section row without data.
PRE2019_NATIONAL: tuple[tuple[str, str], ...] = (
    ("一、主动公开情况", "——"), ("（一）主动公开政府信息数", "条"), ("其中：主动公开规范性文件数", "条"),
    ("制发规范性文件总数", "件"), ("二、回应解读情况", "——"), ("（一）回应公众关注热点或重大舆情数", "次"),
    ("三、依申请公开情况", "——"), ("（一）收到申请数", "件"), ("1.当面申请数", "件"), ("2.网络申请数", "件"),
    ("（二）申请办结数", "件"), ("四、行政复议数量", "件"), ("五、行政诉讼数量", "件"),
    ("六、举报投诉数量", "件"), ("七、依申请公开信息收取的费用", "万元"),
)
CUMULATIVE = "历年累计"
NARRATIVE_KEYS = ("主动公开政府信息数", "收到政府信息公开申请数", "行政复议数", "行政诉讼数")
FORMATS = ("2021", "2019", "pre2019")


def _bare(label: str) -> str:
    """The label without punctuation, for matching printed labels whose punctuation differs or drifted."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", label) if not unicodedata.category(ch).startswith("P"))


_TABLE3_LABELS = {
    _bare(label): label
    for label in (TABLE3_NEW, TABLE3_CARRIED_IN, TABLE3_RESULTS, TABLE3_CARRIED_OUT,
                  *(name.split("（")[0] for name, _ in OUTCOMES_2021),
                  *(sub for _, subs in OUTCOMES_2021 for sub in subs))
}


def table3_label(name: str) -> str:
    """The form's spelling of a 表三 row label printed with other punctuation (quotes, a stray 、)."""
    return _TABLE3_LABELS.get(_bare(name), name)


_TABLE2_COLUMNS = {_bare(col): col for _, cols, _ in (*TABLE2_2021, *TABLE2_2019) for col in cols}


def table2_column(name: str) -> str | None:
    """The form's spelling of a printed 表二 column name (punctuation and width may differ), else None."""
    return _TABLE2_COLUMNS.get(_bare(name))


def table2_truncated_columns(printed: list[str]) -> list[str] | None:
    """Column names cut short in the file ("本年新", "本年新", "对外公开总数量") restored from the one form
    item whose columns, in order, they are the beginnings of; None when no or several items fit."""
    bare = [_bare(name) for name in printed]
    fits = {cols for _, cols, _ in (*TABLE2_2021, *TABLE2_2019) if len(cols) == len(bare)
            and all(len(b) >= 2 and _bare(col).startswith(b) for b, col in zip(bare, cols, strict=True))}
    return list(fits.pop()) if len(fits) == 1 else None


def is_table3_label(name: str) -> bool:
    return _bare(name) in _TABLE3_LABELS


def numbered_sub_row(parent: str, number: int, printed: str) -> str | None:
    """The form's sub-row ``number`` of outcome ``parent`` when a printed label lost characters in the
    file ("其他法律行政止公开" for 其他法律行政法规禁止公开): its characters, in order, are most of the
    form's label and fit no other sub-row of that outcome. None when not certain."""
    subs = next((subs for name, subs in OUTCOMES_2021 if name.split("（")[0] == parent), ())
    bare = _bare(printed)
    fits = [sub for sub in subs if _is_subsequence(bare, _bare(sub)) and 2 * len(bare) >= len(_bare(sub))]
    if 0 < number <= len(subs) and fits == [subs[number - 1]]:
        return subs[number - 1]
    return None


def _is_subsequence(short: str, long: str) -> bool:
    chars = iter(long)
    return all(ch in chars for ch in short)


@dataclass(frozen=True)
class FormKey:
    key: str
    table: str
    meaning: str


def outcome_rows(fmt: str) -> list[tuple[str, ...]]:
    """表三 row paths under 本年度办理结果 (short names, sub-rows where the form has them), then 总计."""
    rows: list[tuple[str, ...]] = []
    for name, subs in OUTCOMES_2021:
        short = name.split("（")[0]
        subs = subs if fmt == "2021" or short != "其他处理" else ()
        rows += [(TABLE3_RESULTS, short, sub) for sub in subs] or [(TABLE3_RESULTS, short)]
    return rows


def table3_rows(fmt: str) -> list[tuple[str, ...]]:
    return [(TABLE3_NEW,), (TABLE3_CARRIED_IN,), *outcome_rows(fmt), (TABLE3_RESULTS, TOTAL), (TABLE3_CARRIED_OUT,)]


def form_keys(fmt: str) -> list[FormKey]:
    """Every stats key the ``fmt`` form defines, in printed order."""
    if fmt == "pre2019":
        keys = []
        for printed, unit in PRE2019_NATIONAL:
            if unit != "——":
                name = split_ordinal(printed)[1]
                keys += [FormKey(name, "统计表", f"{printed}, current year ({unit})"),
                         FormKey(f"{name}/{CUMULATIVE}", "统计表", f"{printed}, cumulative column where printed")]
        return keys
    table2 = TABLE2_2021 if fmt == "2021" else TABLE2_2019
    keys = [FormKey(f"{row}/{col}", "表二", f"第二十条第（{item}）项: {row}, {col}")
            for item, cols, rows in table2 for row in rows for col in cols]
    columns = (*APPLICANTS, SUBTOTAL, TOTAL)
    keys += [FormKey("/".join((*path, col)), "表三", f"{' › '.join(path)}; applicant {col}")
             for path in table3_rows(fmt) for col in columns]
    keys += [FormKey(f"{group}/{col}", "表四", f"{group.replace('/', ' › ')}: {col}")
             for group in REVIEW_GROUPS for col in REVIEW_COLUMNS]
    return keys


def narrative_keys() -> list[FormKey]:
    """Keys set from sentences of reports without tables (docs/FORMATS.md), only when stated unambiguously."""
    return [FormKey(key, "narrative", "stated in the text of a report without tables") for key in NARRATIVE_KEYS]
