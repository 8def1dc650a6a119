"""Generated annual reports: the 2019/2021 outline with numbers drawn from a seeded generator.

The sample portal's attachment articles and the evaluation set (tests/eval) need more reports than
the five seeds; these are built from the agency, year and a seed number, so each text is distinct
and reproducible.
"""

from __future__ import annotations

import random

from sampleportal.seedtext import Paragraph, SeedDocument, Table

CN_DIGITS = "〇一二三四五六七八九"


def cn_year(year: int) -> str:
    """2019 → 二〇一九 (the digit-by-digit form signatures use)."""
    return "".join(CN_DIGITS[int(d)] for d in str(year))


def cn_date(year: int, month: int, day: int) -> str:
    """2020, 3, 20 → 二〇二〇年三月二十日."""
    return f"{cn_year(year)}年{_cn_small(month)}月{_cn_small(day)}日"


def _cn_small(n: int) -> str:
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else CN_DIGITS[tens] + "十")
    return head + (CN_DIGITS[ones] if ones or not head else "")


def report(
    agency: str, year: int, signed: tuple[int, int, int] | None = None, seed: int = 0, title: str | None = None,
    chinese_signature: bool = False,
) -> SeedDocument:
    rng = random.Random(f"{agency}{year}{seed}")
    published, received = rng.randint(40, 900), rng.randint(0, 60)
    signed = signed or (year + 1, rng.randint(1, 3), rng.randint(1, 28))
    date = cn_date(*signed) if chinese_signature else f"{signed[0]}年{signed[1]}月{signed[2]}日"
    blocks = (
        Paragraph(
            f"本报告根据《中华人民共和国政府信息公开条例》要求，由{agency}编制。全文包括总体情况、主动公开政府信息情况、"
            f"收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、"
            f"其他需要报告的事项。本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。"
        ),
        Paragraph("一、总体情况"),
        Paragraph(
            f"{year}年，{agency}坚持以公开为常态、不公开为例外，全年主动公开政府信息{published}条，"
            f"其中政策文件{rng.randint(5, 40)}件，政策解读{rng.randint(2, 20)}篇。"
        ),
        Paragraph("二、主动公开政府信息情况"),
        Table(rows=(
            ("信息内容", "本年制发件数", "本年废止件数", "现行有效件数"),
            ("规章", "0", "0", "0"),
            ("行政规范性文件", str(rng.randint(0, 9)), str(rng.randint(0, 3)), str(rng.randint(10, 60))),
        )),
        Paragraph("三、收到和处理政府信息公开申请情况"),
        Paragraph(f"本年度共收到政府信息公开申请{received}件，均在法定期限内答复。"),
        Paragraph("四、政府信息公开行政复议、行政诉讼情况"),
        Paragraph(f"本年度发生政府信息公开行政复议{rng.randint(0, 3)}起，行政诉讼{rng.randint(0, 2)}起。"),
        Paragraph("五、存在的主要问题及改进情况"),
        Paragraph("政策解读形式还不够丰富，下一步将加强培训，提升公开质量。"),
        Paragraph("六、其他需要报告的事项"),
        Paragraph("本年度未收取信息处理费。"),
        Paragraph(agency),
        Paragraph(date),
    )
    return SeedDocument(title=title or f"{agency}{year}年政府信息公开工作年度报告", blocks=blocks)
