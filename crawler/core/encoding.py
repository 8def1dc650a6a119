"""Bytes to text for Chinese portal pages.

The cascade, in order of trust (see docs/ENCODING.md):

1. a byte-order mark;
2. the charset of the HTTP ``Content-Type`` header, if the bytes decode cleanly with it;
3. the ``<meta>`` charset in the first 4 KiB, if the bytes decode cleanly with it;
4. UTF-8 with a few bad bytes (at most ``MAX_ERROR_SHARE`` of the text replaced), then a declared charset
   the same way: one stray byte does not throw a correct label away;
5. chardet's guess, if it names a codec we accept for Chinese text;
6. gb18030 with replacement characters (the share of U+FFFD is recorded).

A UTF-16/32 label is believed only with a byte-order mark or the zero bytes ASCII markup has in those
codecs (a UTF-8 page labelled utf-16 decodes "cleanly" into nonsense). Whatever decided, a text whose
Chinese characters are mostly rare ones is flagged ``garbled`` (``warnings``): the usual look of
mojibake, e.g. UTF-8 read as GBK ("2023骞村寳浜").

Two rules apply throughout: gb2312 and gbk labels decode as gb18030 (its superset, so GBK-only
characters such as 镕 survive a GB2312 label), and no single-byte Western codec (latin-1,
cp1252, ...) is ever used for a page with non-ASCII bytes, whatever a server or detector claims.
A declared GB-family charset is overruled when the bytes are valid multi-byte UTF-8, because
portals often label UTF-8 pages "gb2312" and gb18030 happily decodes UTF-8 bytes into garbage.
"""

from __future__ import annotations

import codecs
import functools
import re
from dataclasses import dataclass

import chardet

_META_WINDOW = 4096
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-.:]+)""", re.IGNORECASE)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9_\-.:]+)""", re.IGNORECASE)
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_GB_FAMILY = {"gb2312", "gbk", "gb18030"}
# Labels browsers accept (WHATWG Encoding Standard) that Python's codec registry does not know.
_LABEL_ALIASES = {
    "x-gbk": "gbk", "x-gb18030": "gb18030", "csgb2312": "gb2312", "gb_2312": "gb2312",
    "gb_2312-80": "gb2312", "iso-ir-58": "gb2312", "chinese": "gb2312", "x-euc-cn": "gb2312",
    "csiso58gb231280": "gb2312", "cn-big5": "big5", "x-x-big5": "big5", "csbig5": "big5",
    "unicode-1-1-utf-8": "utf-8", "x-unicode20utf8": "utf-8",
}
# Codecs trusted for Chinese pages; anything else a header, a meta tag or chardet names (latin-1,
# cp1252, koi8-r, ...) is ignored, so a Western single-byte decode can never happen.
_ACCEPTED = _GB_FAMILY | {"utf-8", "big5", "big5hkscs", "cp950", "utf-16", "utf-32"}
_WIDE = {"utf-16": 2, "utf-32": 4}  # bytes per unit; pages in them have the zero bytes of ASCII markup
_MIN_ZERO_SHARE = 0.01  # of the first 4 KiB: UTF-8 and GB pages have none
MAX_ERROR_SHARE = 0.005  # bad bytes a declared charset (or UTF-8) may have before it is doubted
# A text with at least this many Chinese characters is garbled when under this share of them are common.
_GARBLE_MIN_HAN, _GARBLE_COMMON_SHARE = 20, 0.6
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str  # the codec actually used, e.g. "gb18030"
    source: str  # which step decided: bom | http | meta | utf8-check | chardet | fallback
    declared: str | None  # charset the server or page declared, as written
    replacement_share: float  # share of U+FFFD characters in text
    warnings: tuple[str, ...] = ()  # "garbled: …" when the text looks like mojibake


def codec_name(label: str | None) -> str | None:
    """Python's canonical codec name for a charset label, gb2312/gbk mapped to gb18030."""
    if not label:
        return None
    label = label.strip().lower()
    try:
        name = codecs.lookup(_LABEL_ALIASES.get(label, label)).name
    except LookupError:
        return None
    return "gb18030" if name in _GB_FAMILY else name


def charset_from_content_type(content_type: str | None) -> str | None:
    match = _HEADER_CHARSET.search(content_type or "")
    return match.group(1) if match else None


def charset_from_meta(raw: bytes) -> str | None:
    match = _META_CHARSET.search(raw[:_META_WINDOW])
    return match.group(1).decode("ascii", "replace") if match else None


def decode(raw: bytes, content_type: str | None = None) -> Decoded:
    """Decode ``raw`` by the cascade in this module's docstring."""
    http_label = charset_from_content_type(content_type)
    meta_label = charset_from_meta(raw)
    declared = http_label or meta_label

    for bom, codec in _BOMS:
        if raw.startswith(bom):
            return _decoded(raw.decode(codec, errors="replace"), codec, "bom", declared)

    labels = [(source, codec) for source, label in (("http", http_label), ("meta", meta_label))
              if (codec := _believable(raw, codec_name(label)))]
    for source, codec in labels:
        if codec == "gb18030" and _is_multibyte_utf8(raw):
            return _decoded(raw.decode("utf-8"), "utf-8", "utf8-check", declared)
        text = _strict(raw, codec)
        if text is not None:
            return _decoded(text, codec, source, declared)

    if not raw.isascii():
        utf8_labels = [(source, codec) for source, codec in labels if codec == "utf-8"]
        for source, codec in [*utf8_labels, ("utf8-check", "utf-8"), *labels]:
            text = raw.decode(codec, errors="replace")
            if text.count("\ufffd") <= MAX_ERROR_SHARE * len(text):
                return _decoded(text, codec, source, declared)

    if raw.isascii():
        return _decoded(raw.decode("ascii"), "ascii", "chardet", declared)
    if _is_multibyte_utf8(raw):
        return _decoded(raw.decode("utf-8"), "utf-8", "utf8-check", declared)

    guess = codec_name(chardet.detect(raw).get("encoding"))
    if guess in _ACCEPTED:
        text = _strict(raw, guess)
        if text is not None:
            return _decoded(text, guess, "chardet", declared)

    return _decoded(raw.decode("gb18030", errors="replace"), "gb18030", "fallback", declared)


def _strict(raw: bytes, codec: str) -> str | None:
    try:
        return raw.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _believable(raw: bytes, codec: str | None) -> str | None:
    """The codec to decode ``raw`` with for a label naming ``codec``, None when the label is not believed:
    not a codec for Chinese text, or UTF-16/32 without the zero bytes its ASCII would have (then with the
    byte order those zero bytes show: a label without BOM names no order)."""
    family = codec[:6] if codec else None
    if family not in _WIDE:
        return codec if codec in _ACCEPTED else None
    sample, width = raw[:_META_WINDOW], _WIDE[family]
    if sample.count(0) < _MIN_ZERO_SHARE * len(sample) or not sample:
        return None
    little = sample[width - 1::width].count(0) >= sample[0::width].count(0)  # ASCII "a": 61 00 (LE), 00 61 (BE)
    return f"{family}-{'le' if little else 'be'}"


def garbled(text: str) -> str | None:
    """Why ``text`` looks like mojibake (its Chinese characters mostly rare ones), or None.

    Common means GB2312 level 1 (the 3,755 most used simplified characters) or Big5's frequent set (the
    5,401 traditional ones): real Chinese prose is well over 90 % common; UTF-8 or UTF-16 bytes decoded
    with another codec fall on rare characters (GBK's extension, level 2, CJK extension A).
    """
    han = _HAN.findall(text)
    if len(han) < _GARBLE_MIN_HAN:
        return None
    common = sum(_common(char) for char in han) / len(han)
    if common >= _GARBLE_COMMON_SHARE:
        return None
    return f"garbled: only {common:.0%} of its {len(han)} Chinese characters are common ones"


@functools.lru_cache(maxsize=65536)
def _common(char: str) -> bool:
    for codec, first, last in (("gb2312", 0xB0, 0xD7), ("big5", 0xA4, 0xC6)):
        try:
            if first <= char.encode(codec)[0] <= last:
                return True
        except UnicodeEncodeError:
            pass
    return False


def _is_multibyte_utf8(raw: bytes) -> bool:
    if raw.isascii():
        return False
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _decoded(text: str, codec: str, source: str, declared: str | None) -> Decoded:
    share = text.count("\ufffd") / len(text) if text else 0.0
    why = garbled(text)
    return Decoded(text=text, encoding=codec, source=source, declared=declared, replacement_share=share,
                   warnings=(why,) if why else ())
