"""Row and column labels as printed to stats-key parts: ordinals stripped, whitespace gone, 繁→简."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from crawler.core.normalize import to_simplified

_ORDINALS = (  # (pattern, level): 一、 > （一） > 1.
    (re.compile(r"^[一二三四五六七八九十]+[、.．]"), 1),
    (re.compile(r"^[（(][一二三四五六七八九十]+[）)][、.．]?"), 2),
    (re.compile(r"^[㈠㈡㈢㈣㈤㈥㈦㈧㈨㈩]"), 2),
    (re.compile(r"^\d+[.．、](?!\d)"), 3),
    (re.compile(r"^[（(]\d+[）)]"), 3),
)
_TRAILING_NOTE = re.compile(r"[（(][^（）()]*[）)]$")
_SPACE = re.compile(r"[\s\u3000\xa0]+")


def squeeze(text: str) -> str:
    return _SPACE.sub("", text)


@lru_cache(maxsize=8192)  # the same few hundred labels recur in every report
def split_ordinal(label: str) -> tuple[int | None, str]:
    """("（三）不予公开") → (2, "不予公开"); the level is None when the label has no ordinal."""
    text = squeeze(label)
    for pattern, level in _ORDINALS:
        match = pattern.match(text)
        if match and len(text) > match.end():
            return level, text[match.end():]
    return None, text


@lru_cache(maxsize=8192)
def key_part(label: str, drop_note: bool = False) -> str:
    """The label as a stats-key part; ``drop_note`` removes a trailing parenthetical explanation."""
    name = to_simplified(split_ordinal(label)[1]).replace("资讯", "信息")  # Taiwan usage in 繁体 mirrors
    if drop_note:
        shorter = _TRAILING_NOTE.sub("", name)
        name = shorter or name
    return name


@lru_cache(maxsize=8192)
def matchable(text: str) -> str:
    """For comparing labels only: NFKC, 繁→简, no whitespace, no ordinal."""
    return unicodedata.normalize("NFKC", key_part(text))
