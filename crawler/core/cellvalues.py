"""One printed table cell to a value: null markers, signs, units and thousands separators (docs/FORMATS.md)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Printed stand-ins for "nothing": never 0, always null with the raw string kept.
NULL_MARKERS = frozenset({"", "/", "\\", "—", "——", "-", "--", "–", "空", "无", "無", "－"})
_NUMBER = re.compile(r"^([+-]?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(万元|元|万条|条|件|个|次|篇|人次|人|项|宗|%)?$")


@dataclass(frozen=True, slots=True)
class Value:
    number: int | float | None
    raw: str
    unit: str | None = None

    @property
    def plain(self) -> bool:
        """True when the printed cell is exactly the number (nothing worth keeping in ``cells``)."""
        return self.number is not None and self.unit is None and self.raw == str(self.number)


@lru_cache(maxsize=8192)  # cells repeat (0, /, labels); Value is immutable
def read_value(raw: str) -> Value | None:
    """The cell as a value, or None when it is a label (text that is neither a number nor a null marker)."""
    squeezed = unicodedata.normalize("NFKC", re.sub(r"\s+", "", raw))
    if squeezed in NULL_MARKERS:
        return Value(None, raw)
    match = _NUMBER.match(squeezed.replace("，", ","))
    if not match:
        return None
    sign, digits, decimals, unit = match.groups()
    digits = digits.replace(",", "")
    number: int | float = float(sign + digits + decimals) if decimals else int(sign + digits)
    return Value(number, raw, unit)
