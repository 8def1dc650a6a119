"""Normalization used for matching only; stored text always keeps what was printed."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc

_WHITESPACE = re.compile(r"\s+")
_CN_DIGITS = {"〇": 0, "○": 0, "◯": 0, "零": 0, "Ｏ": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    return _t2s().convert(text)


@lru_cache(maxsize=1)
def _s2t() -> opencc.OpenCC:
    return opencc.OpenCC("s2t")


def to_traditional(text: str) -> str:
    """For generating 繁体 test pages only."""
    return _s2t().convert(text)


def for_matching(text: str) -> str:
    """NFKC (full-width digits and brackets to ASCII), Traditional to Simplified, no whitespace."""
    return _WHITESPACE.sub("", _t2s().convert(unicodedata.normalize("NFKC", text)))


def chinese_number(text: str) -> int | None:
    """二○一九 → 2019 (digit by digit), 二十 → 20, 十二 → 12, 三十一 → 31; None if not a numeral."""
    if text and all(ch in _CN_DIGITS for ch in text):
        return int("".join(str(_CN_DIGITS[ch]) for ch in text))
    if "十" in text and text.count("十") == 1:
        tens, _, ones = text.partition("十")
        if all(ch in _CN_DIGITS for ch in tens + ones) and len(tens) <= 1 and len(ones) <= 1:
            return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)
    return None
