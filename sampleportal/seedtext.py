"""Turn a seed report text (as extracted from a real portal) back into structured blocks.

The seeds keep the tables of their source in three flattened shapes, read by
``crawler.core.texttables`` so the sample portal can serve them as real HTML ``<table>``s:

* pipe rows: one table row per line, cells separated by ``|`` (two or more pipes on the line);
* pipe cells: one cell per line ending in `` |``; the row width is the number of header cells before
  the first cell that opens with a Chinese ordinal (``一、``);
* tab cells: one cell per line starting with a tab, rows separated by blank lines.

Lines that are the source portal's own chrome (breadcrumbs, 字号, 分享, 打印本页 ...) are dropped: the
sample portal draws its own chrome around the text, as a real portal would.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from crawler.core.texttables import Block, Paragraph, Table, text_blocks

__all__ = ["Block", "Paragraph", "SeedDocument", "Table", "parse_seed"]

_CHROME = re.compile(
    r"^(当前位置|當前位置|日期[:：].*(来源|來源)|发布时间[:：]|来源[:：]|浏览人数|【?字[号號][:：]|背景颜色|"
    r"分享(到)?[:：]|TOP\s*打印本页|新媒体$|×关闭$|您訪問的連結即將離開|您访问的链接即将离开|已歸檔$|已归档$)"
)
_BOOKMARK = re.compile(r"^\[bookmark: [^\]]*\]")
_TITLE = re.compile(r"(年度报告|年度報告|年报|年報)$")


@dataclass(frozen=True)
class SeedDocument:
    title: str | None
    blocks: tuple[Block, ...] = field(default_factory=tuple)

    def body_text(self) -> str:
        """The report text a reader sees: paragraphs and table cells in reading order."""
        parts: list[str] = []
        for block in self.blocks:
            if isinstance(block, Paragraph):
                parts.append(block.text)
            else:
                parts.extend(cell for row in block.rows for cell in row if cell)
        return "\n".join(parts)


def parse_seed(text: str) -> SeedDocument:
    lines = [_BOOKMARK.sub("", line.rstrip("\n")) for line in text.splitlines()]
    lines = [line for line in lines if not _CHROME.match(line.strip())]
    title = None
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is not None and len(lines[first].strip()) < 80 and _TITLE.search(lines[first].strip()):
        title = lines[first].strip()
        lines = lines[first + 1 :]
    return SeedDocument(title=title, blocks=tuple(text_blocks(lines)))


