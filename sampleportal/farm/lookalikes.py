"""Texts of the look-alikes portals file beside their reports (docs/FORMATS.md "Hazards seen in real texts").

Each names annual reports or disclosure, as the real ones do, so that only a classifier that reads
titles and structure — not one that greps for 年度报告 — keeps them out.
"""

from __future__ import annotations

from html import escape


def _paragraphs(*texts: str) -> str:
    return "\n".join(f'<p style="text-indent:2em">{escape(t)}</p>' for t in texts)


def _empty_form() -> str:
    """The 附表 of a notice: the statistics form with its labels and no numbers."""
    rows = [("统计指标", "单位", "统计数"), ("一、主动公开情况", "——", ""), ("（一）主动公开政府信息数", "条", ""),
            ("二、依申请公开情况", "——", ""), ("（一）收到申请数", "件", "")]
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f'<p>附表：政府信息公开情况统计表</p><table border="1">{body}</table>'


def lookalike_html(variant: str, county: str, year: int) -> str:
    if variant == "workplan":
        return _paragraphs(
            "各乡镇人民政府、街道办事处，县政府各部门：",
            f"现将《{county}{year}年政务公开工作要点》印发给你们，请结合实际认真贯彻落实。",
            "一、加强政策解读。各单位要围绕重大决策部署，做好政策文件的解读和回应工作。",
            f"二、做好年度报告工作。各单位要于{year + 1}年1月31日前编制并公布本单位政府信息公开工作年度报告。",
            f"{county}人民政府办公室")
    if variant == "notice":
        return _paragraphs(
            "各乡镇人民政府、街道办事处，县政府各部门：",
            f"为做好{year}年度政府信息公开工作年度报告编制发布工作，现将有关事项通知如下：",
            "一、各单位按照国办公开办函〔2021〕30号要求的格式编制年度报告，包括主动公开、依申请公开、"
            "行政复议和行政诉讼、存在的主要问题及改进情况等内容。",
            "二、请于规定时间前报送县政务公开办。") + _empty_form()
    if variant == "template":
        return _paragraphs(
            "XX县XX局XXXX年政府信息公开工作年度报告",
            "一、总体情况（简述本年度政府信息公开工作情况）",
            "二、主动公开政府信息情况（按表格填写）", "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项")
    if variant == "communique":
        return _paragraphs(
            f"{year}年，全县经济运行总体平稳，发展质量稳步提升。",
            "一、综合。全年实现地区生产总值186.5亿元，按可比价格计算，比上年增长6.8%。",
            "二、农业。全年粮食总产量21.6万吨，比上年增长1.9%。",
            "三、人民生活。全年全体居民人均可支配收入26418元，比上年增长8.9%。",
            f"{county}统计局")
    if variant == "work-report":
        return _paragraphs(
            f"—{year}年1月10日在{county}第十八届人民代表大会第三次会议上", "各位代表：",
            f"现在，我代表{county}人民政府，向大会报告工作，请予审议。",
            "一、过去一年工作回顾。我们坚持依法行政，深化政务公开，主动公开政府信息，依法办理政府信息公开申请。",
            "二、今年工作安排。持续推进法治政府建设。")
    if variant == "news":
        return _paragraphs(
            f"近日，{county}召开{year}年度政务公开工作培训会，各乡镇、各部门分管领导和信息员参加。",
            "会议解读了政府信息公开工作年度报告格式要求，通报了上年度报告编制中存在的问题。")
    raise ValueError(f"unknown look-alike {variant!r}")
