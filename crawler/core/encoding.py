"""Bytes to text for Chinese portal pages.

The cascade, in order of trust (see docs/ENCODING.md):

1. a byte-order mark;
2. the charset of the HTTP ``Content-Type`` header, if the bytes decode cleanly with it;
3. the ``<meta>`` charset in the first 4 KiB, if the bytes decode cleanly with it;
4. chardet's guess, if it names a codec we accept for Chinese text;
5. gb18030 with replacement characters (the share of U+FFFD is recorded).

Two rules apply throughout: gb2312 and gbk labels decode as gb18030 (its superset, so GBK-only
characters such as 镕 survive a GB2312 label), and no single-byte Western codec (latin-1,
cp1252, ...) is ever used for a page with non-ASCII bytes, whatever a server or detector claims.
A declared GB-family charset is overruled when the bytes are valid multi-byte UTF-8, because
portals often label UTF-8 pages "gb2312" and gb18030 happily decodes UTF-8 bytes into garbage.
"""

from __future__ import annotations

import codecs
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


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str  # the codec actually used, e.g. "gb18030"
    source: str  # which step decided: bom | http | meta | utf8-check | chardet | fallback
    declared: str | None  # charset the server or page declared, as written
    replacement_share: float  # share of U+FFFD characters in text


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

    for source, label in (("http", http_label), ("meta", meta_label)):
        codec = codec_name(label)
        if codec not in _ACCEPTED:
            continue
        if codec == "gb18030" and _is_multibyte_utf8(raw):
            return _decoded(raw.decode("utf-8"), "utf-8", "utf8-check", declared)
        text = _strict(raw, codec)
        if text is not None:
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
    return Decoded(text=text, encoding=codec, source=source, declared=declared, replacement_share=share)
