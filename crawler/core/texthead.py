"""What the opening lines of a text say about the document: its title and its posting date.

Text documents, and the text of office files and PDFs, often keep the page's head as it was
extracted: site chrome (登录 注册, breadcrumbs, 字号), a title split over two lines (the agency, then
"2020年政府信息公开工作年度报告"), a flattened 信息公开 metadata table ("索 引 号:… 发布机构:…
发布日期:2020-01-22") or a posting line ("发布时间:2012-03-28 00:00 来源:…"). These functions read
them without changing the text.
"""

from __future__ import annotations

import re

from crawler.core.boilerplate import is_chrome_line

_PINYIN_GLOSS = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,6}\)")
_TITLE_LABEL = re.compile(r"^(?:信息名称|名\s*称|标\s*题|文章标题|题\s*名|標\s*題)\s*[:：]?\s*")
# A title ends with the name of a document type, perhaps followed by a note: （图片版）, （超链版）.
_DOCUMENT_WORD = re.compile(
    r"(报告|報告|年报|年報|通知|通报|通報|函|意见|意見|要点|要點|公报|公報|办法|辦法|制度|规定|規定|决定|決定"
    r"|方案|总结|總結|决算|決算|预算|預算|解读|解讀)\s*(?:[（(][^）)]{1,8}[）)])?$"
)
_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+[、.．]"
                      r"|第[一二三四五六七八九十百\d]+条)")
_SENTENCE_PUNCTUATION = re.compile(r"[。，,；;！!？?]")
_DOCUMENT_NUMBER = re.compile(r"[〔\[［(（]\s*\d{4}\s*[〕\]］)）]\s*\d+\s*[号號]")
_SITE_WORDS = re.compile(r"登录|注册|首页|首頁|收藏|无障碍|長者版|长者版|网站|網站|http|www\.|当前位置|您的位置"
                         r"|所在的位置")
# A title line that names no agency of its own: it continues the line above it.
_CONTINUES_ABOVE = re.compile(r"^(?:\d{4}|[〇○零一二三四五六七八九]{4})\s*年"
                              r"|^(?:关于|關於|關于|政府|政务|政務|信息|資訊|工作|年度)")
_CONTINUES_BELOW = re.compile(r"^.{0,16}(通知|通报|通報|函|意见|意見|决定|決定|报告|報告)$")
_NOTICE_TITLE = re.compile(r"关于|關於|關于")
_YEAR = re.compile(r"(?:\d{4}|[〇○零一二三四五六七八九]{4})\s*年")
_HEAD_LINES = 40

_DATE = r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?!\d)"
_TIME = r"(?:\d{1,2}:\d{2}(?::\d{2})?)?"
_DATE_LINE = re.compile("^" + _DATE + r"\s*日?\s*" + _TIME + "$")  # a posting date alone on its line
# Posting-date labels, most specific first; a bare 日期/时间 counts only as a label of its own
# (line start, after a space or a cell bar), never inside 成文日期, 生效日期 or 统计时间.
_LABELS = (r"(?:发布|發佈|發布)(?:时间|日期|時間)", r"(?:公开|公開)日期", r"信息提供日期",
           r"(?:^|(?<=[\s|｜]))(?:日期|时间|時間)")
_POSTED_LABELS: tuple[re.Pattern[str], ...] = (
    *(re.compile(label + r"\s*[:：]?\s*[|｜]?\s*" + _DATE, re.MULTILINE) for label in _LABELS),
    # "2022年01月18日来源：…": a date with the posting line's other fields after it
    re.compile(_DATE + r"\s*日?\s*" + _TIME + r"\s*(?:来源|來源|作者|浏览|瀏覽|点击|點擊)"),
)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines()[:_HEAD_LINES] if line.strip()]


def _title_like(line: str) -> bool:
    return (
        4 <= len(line) <= 80
        and not _SENTENCE_PUNCTUATION.search(line)
        and not _HEADING.match(line)
        and not _DOCUMENT_NUMBER.search(line)
        and not _SITE_WORDS.search(line)
        and ":" not in line and "：" not in line and "|" not in line
        and not is_chrome_line(line)
    )


def without_glosses(text: str) -> str:
    """Spam mirrors gloss characters with pinyin: 公(gong)开(kai) → 公开."""
    return _PINYIN_GLOSS.sub("", text)


def _clean(line: str) -> str:
    return _TITLE_LABEL.sub("", without_glosses(line)).strip()


def guess_title(text: str) -> str | None:
    """The title among the opening lines: the first title-like line naming a document type, joined
    with the line above when it names no agency of its own ("甘谷县人民政府办公室" + "2024年政府
    信息公开工作年度报告") and with the line below when a notice title goes on ("…年度报告" +
    "有关事项的通知"); else the first short title-like line."""
    raw = _lines(text)
    lines = [_clean(line) for line in raw]
    found = [k for k, line in enumerate(lines)
             if _title_like(line) and _DOCUMENT_WORD.search(line) and not _field_value(raw, k)][:2]
    if not found:
        return next((line for line in lines[:6] if _title_like(line) and len(line) <= 40), None)
    k = found[0]
    if len(found) == 2 and found[1] - k <= 3 and not _YEAR.search(lines[k]) and _YEAR.search(lines[found[1]]):
        k = found[1]  # the column's name ("政府信息公开年报") above the report's own title
    title = lines[k]
    above = lines[k - 1] if k else ""
    if above and _title_like(above) and len(above) <= 30 and not _DOCUMENT_WORD.search(above) \
            and not _DATE_LINE.match(above) and _CONTINUES_ABOVE.match(title):
        title = above + title
    below = lines[k + 1] if k + 1 < len(lines) else ""
    if _NOTICE_TITLE.search(title) and _title_like(below) and _CONTINUES_BELOW.match(below):
        title += below
    return title


def _field_value(lines: list[str], k: int) -> bool:
    """Whether line ``k`` is the value of a metadata field whose label stands alone on the line above
    ("组配分类:" / "政府信息公开工作年报"): a column's name, not the title (unless the label says title)."""
    above = lines[k - 1] if k else ""
    return above.endswith((":", "：")) and not _TITLE_LABEL.match(above)


def posted_date(text: str) -> tuple[int, int, int] | None:
    """The posting date a labelled line states (发布时间/发布日期/公开日期/日期/时间, or a date
    followed by 来源), anywhere in the text; the most specific label wins."""
    for pattern in _POSTED_LABELS:
        for match in pattern.finditer(text):
            year, month, day = (int(part) for part in match.groups()[-3:])
            if 1 <= month <= 12 and 1 <= day <= 31:
                return year, month, day
    return None
