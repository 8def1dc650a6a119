"""Portal chrome that main-text extraction keeps, removed line by line from extracted text."""

from __future__ import annotations

import re

# One line of portal chrome: breadcrumbs, font-size switches, share bars, print/close buttons,
# posting lines ("发布时间：… 来源：…"), view counters and the "leaving this site" notices.
_CHROME_LINE = re.compile(
    r"^\s*(?:"
    r"(?:当前位置|當前位置|您的位置|你的位置)[:：].*"
    r"|【?\s*字[号號体體]\s*[:：]?\s*[【\[]?\s*(?:大\s*中\s*小)?\s*[】\]]?.*"
    r"|(?:分享到|分享)\s*[:：].*"
    r"|(?:打印本页|打印本頁|关闭窗口|關閉窗口|\s|TOP|top|【|】|\[|\])+"
    r"|(?:发布时间|發佈時間|发布日期|日期|时间)\s*[:：]\s*\d{4}.{0,40}(?:来源|來源)?.*"
    r"|(?:来源|來源|浏览人数|浏览次数|访问量|点击数)\s*[:：].{0,60}"
    r"|背景颜色\s*[:：].*"
    r"|新媒体|×关闭|已归档|已歸檔"
    r"|您(?:访问|訪問)的(?:链接|連結)即将离开.*|您訪問的連結即將離開.*"
    r")\s*$"
)


def is_chrome_line(line: str) -> bool:
    return bool(_CHROME_LINE.match(line))


def strip_chrome(text: str) -> str:
    """Drop chrome lines and surrounding blank lines; keep every other line as printed."""
    lines = [line.rstrip() for line in text.splitlines()]
    kept = [line for line in lines if line.strip() and not is_chrome_line(line)]
    return "\n".join(kept)
