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


# Lines that are whole chrome words once trafilatura falls back to the full page (short articles):
# the menu, breadcrumb separators, font-size letters and share targets.
_CHROME_WORDS = frozenset((
    "首页", "首頁", "搜索", ">", "»", "›", "大", "中", "小", "打印", "关闭", "返回顶部",
    "微信", "微博", "QQ空间", "QQ", "QQ好友", "新浪微博", "腾讯微博", "人人网", "豆瓣",
))
MENU_LINE = 8  # a leading run of three or more lines this short is the site's menu, not report text


def is_chrome_line(line: str) -> bool:
    return bool(_CHROME_LINE.match(line)) or line.strip() in _CHROME_WORDS


def strip_chrome(text: str) -> str:
    """Drop chrome lines, a leading menu run and blank lines; keep every other line as printed."""
    lines = [line.rstrip() for line in text.splitlines()]
    kept = [line for line in lines if line.strip() and not is_chrome_line(line)]
    menu = next((k for k, line in enumerate(kept) if len(line.strip()) > MENU_LINE), len(kept))
    return "\n".join(kept[menu:] if menu >= 3 else kept)
