"""Word 97 (.doc) bytes from a ``SeedDocument``: paragraphs and real Word tables, no other formatting.

What is written ([MS-DOC]; nFib 0x00C1, the Word 97 file format):

* ``WordDocument``: the FIB, the text in UTF-16LE (uncompressed pieces), one CHPX page giving all text
  the default character properties, and PAPX pages marking table cells (sprmPFInTable) and row ends
  (sprmPFTtp with sprmTDefTable, the column edges);
* ``1Table``: a style sheet with one style (Normal), one font (宋体), the section table (one section with
  default properties), the CHPX and PAPX bin tables, the document properties (Dop97, nearly all zero)
  and the piece table (CLX).

Paragraphs end with ``\r``; a table cell ends with ``\x07`` and a row with one more ``\x07``, as Word
writes them. Column widths follow the longest cell of each column, so antiword prints every row on one
line. Character formatting, headings, lists, headers, pictures and document properties are not written.
There are no timestamps or ids: the same document gives the same bytes.
"""

from __future__ import annotations

import bisect
import itertools
import string
import struct
import unicodedata
from dataclasses import dataclass

from sampleportal.compoundfile import MINI_STREAM_CUTOFF, SECTOR, compound_file
from sampleportal.seedtext import Paragraph, SeedDocument, Table

PARAGRAPH_MARK, CELL_MARK = "\r", "\x07"
_FIB_SIZE = 0x384  # FibBase, fibRgW (14 words), fibRgLw (22 longs), fibRgFcLcb97 (93 pairs), cswNew
_TEXT_START = 0x400
_LID_ZH_CN = 0x0804
_FIB_FLAGS = 0x0200 | 0x1000  # fWhichTblStm (the 1Table stream), fExtChar (MUST be 1)
_COMPLEX = 0x0004  # fComplex, set with more than one piece: antiword rounds the pieces of other files to 512 bytes
_FC_LCB = {"Stshf": 1, "PlcfSed": 6, "PlcfBteChpx": 12, "PlcfBtePapx": 13, "SttbfFfn": 15, "Dop": 31, "Clx": 33}
_ISTD_NORMAL = b"\0\0"
_FIXED_STYLES = 15
_DOP97_SIZE = 500
_IN_TABLE = struct.pack("<HB", 0x2416, 1)  # sprmPFInTable
_ROW_END = struct.pack("<HB", 0x2417, 1)  # sprmPFTtp
_DEF_TABLE = 0xD608  # sprmTDefTable
_MAX_COLUMNS = 63
_TWIPS_PER_COLUMN = 72  # antiword -w 0 prints about one character column per 67 twips
_MAX_TABLE_TWIPS = 31680  # 22 inches, Word's widest page
_BLOCK_UNITS = 128  # UTF-16 units in one of catdoc's 256-byte encoding-guess blocks
_CONTROLS = {c: " " for c in range(32) if c != 9}  # \r, \x07 and the other marks are Word's, not the text's


@dataclass(frozen=True, slots=True)
class _Run:
    """One paragraph: the character position after its mark, and its style index plus sprms."""

    end: int
    papx: bytes


def doc_bytes(document: SeedDocument) -> bytes:
    text, runs = _story(document)
    word, table = _streams(text, runs)
    return compound_file({"WordDocument": word, "1Table": table})


def _story(document: SeedDocument) -> tuple[bytes, list[_Run]]:
    """The main text as UTF-16LE and its paragraphs. The text always ends with a paragraph mark outside any
    table, as Word requires."""
    parts: list[str] = []
    runs: list[_Run] = []
    cp = 0

    def add(text: str, papx: bytes) -> None:
        nonlocal cp
        parts.append(text)
        cp += len(text.encode("utf-16-le")) // 2
        runs.append(_Run(cp, papx))

    if document.title:
        add(_clean(document.title) + PARAGRAPH_MARK, _ISTD_NORMAL)
    for block in document.blocks:
        if isinstance(block, Paragraph):
            add(_clean(block.text) + PARAGRAPH_MARK, _ISTD_NORMAL)
        else:
            rows = _grid(block)
            row_end = _ISTD_NORMAL + _IN_TABLE + _ROW_END + _table_definition(rows)
            for row in rows:
                for cell in row:
                    add(cell + CELL_MARK, _ISTD_NORMAL + _IN_TABLE)
                add(CELL_MARK, row_end)
    if not runs or runs[-1].papx != _ISTD_NORMAL:
        add(PARAGRAPH_MARK, _ISTD_NORMAL)
    return "".join(parts).encode("utf-16-le"), runs


def _clean(text: str) -> str:
    return text.translate(_CONTROLS)


def _grid(table: Table) -> list[list[str]]:
    """Rows padded with empty cells to the widest row: every row of a Word table row-end names its cells."""
    return [[_clean(cell) for cell in row] for row in table.padded()]


def _table_definition(rows: list[list[str]]) -> bytes:
    """sprmTDefTable: the column count and the cell edges, with no per-cell formatting (rgTc80 left out)."""
    if len(rows[0]) > _MAX_COLUMNS:
        raise ValueError(f"a Word table has at most {_MAX_COLUMNS} columns, not {len(rows[0])}")
    columns = [max(_display_width(row[i]) for row in rows) + 2 for i in range(len(rows[0]))]
    unit = max(1, min(_TWIPS_PER_COLUMN, _MAX_TABLE_TWIPS // sum(columns)))
    edges = [0]
    for width in columns:
        edges.append(edges[-1] + width * unit)
    count = len(columns)
    return struct.pack(f"<HHB{count + 1}h", _DEF_TABLE, 2 * count + 4, count, *edges)


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _streams(text: bytes, runs: list[_Run]) -> tuple[bytes, bytes]:
    """The WordDocument and 1Table streams."""
    ccp = len(text) // 2
    units = struct.unpack(f"<{ccp}H", text)
    fillers = _fillers(units)
    stored = _with_fillers(text, fillers)
    text_end = _TEXT_START + len(stored)
    fkp_start = -(-text_end // SECTOR) * SECTOR
    ends = [_fc(run.end - 1, fillers) + 2 for run in runs]  # just after each paragraph's mark
    papx_pages = _papx_pages(ends, [run.papx for run in runs])
    first_pn = fkp_start // SECTOR
    word_tail = _chpx_page(_TEXT_START, text_end) + b"".join(page for page, _ in papx_pages)
    table_parts = {
        "Stshf": _style_sheet(),
        "PlcfSed": struct.pack("<IIHIHI", 0, ccp, 0, 0xFFFFFFFF, 0, 0xFFFFFFFF),
        "PlcfBteChpx": struct.pack("<III", _TEXT_START, text_end, first_pn),
        "PlcfBtePapx": _bin_table([start for _, start in papx_pages], text_end, first_pn + 1),
        "SttbfFfn": _font_table(),
        "Dop": _document_properties(),
        "Clx": _clx(ccp, fillers),
    }
    table, positions = _concatenate(table_parts)
    word_size = max(fkp_start + len(word_tail), MINI_STREAM_CUTOFF)
    fib = _fib(ccp, text_end, word_size, positions, complex_=bool(fillers))
    word = (fib.ljust(_TEXT_START, b"\0") + stored).ljust(fkp_start, b"\0") + word_tail
    return word.ljust(word_size, b"\0"), table.ljust(MINI_STREAM_CUTOFF, b"\0")


def _fillers(units: tuple[int, ...]) -> list[int]:
    """Where the stored text gets a space that no piece refers to: catdoc ignores the piece table, reads the
    bytes from fcMin to fcMac and takes a 256-byte block for UTF-16 only when it holds an ASCII space, \\r or
    punctuation; Chinese text can go a whole block without one. One filler (an index of ``units`` it goes
    before) in each such block; Word, antiword and LibreOffice never see it, catdoc prints an extra space."""
    fillers = []
    start = 0
    while start < len(units):
        block = range(start, min(start + _BLOCK_UNITS, len(units)))
        if any(_detectable(units[i]) for i in block):
            start = block.stop
        else:
            fillers.append(min(block, key=lambda i: _filler_cost(units, i)))
            start += _BLOCK_UNITS - 1  # the filler took the block's last slot
    return fillers


def _detectable(unit: int) -> bool:
    return unit in (0x20, 0x0D) or chr(unit) in string.punctuation


def _filler_cost(units: tuple[int, ...], i: int) -> int:
    """How much a space before ``units[i]`` disturbs catdoc's text: none before a paragraph mark or the mark
    ending a cell (never between a cell's mark and its row's), little after punctuation, more inside a
    word, most inside a number or Latin word."""
    before = chr(units[i - 1]) if i else "\r"
    if units[i] == 0x0D or (units[i] == 0x07 and before != CELL_MARK):
        return 0
    if unicodedata.category(before).startswith("P"):
        return 1
    return 3 if _latin_or_digit(before) or _latin_or_digit(chr(units[i])) else 2


def _latin_or_digit(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _with_fillers(text: bytes, fillers: list[int]) -> bytes:
    cuts = [0, *fillers, len(text) // 2]
    return b" \0".join(text[2 * a : 2 * b] for a, b in itertools.pairwise(cuts))


def _fc(cp: int, fillers: list[int]) -> int:
    """The file offset of the character at ``cp``, past the fillers stored before it."""
    return _TEXT_START + 2 * (cp + bisect.bisect_right(fillers, cp))


def _concatenate(parts: dict[str, bytes]) -> tuple[bytes, dict[str, tuple[int, int]]]:
    out, positions = b"", {}
    for name, data in parts.items():
        positions[name] = (len(out), len(data))
        out += data
    return out, positions


def _fib(ccp_text: int, text_end: int, word_size: int, positions: dict[str, tuple[int, int]], complex_: bool) -> bytes:
    """The File Information Block. fcMin/fcMac (FibBase reserved5/6) still name the text's bytes: catdoc
    reads the text from them."""
    fib = bytearray(_FIB_SIZE)
    flags = _FIB_FLAGS | (_COMPLEX if complex_ else 0)
    struct.pack_into("<HHHHHHH", fib, 0, 0xA5EC, 0x00C1, 0, _LID_ZH_CN, 0, flags, 0x00BF)
    struct.pack_into("<II", fib, 0x18, _TEXT_START, text_end)
    struct.pack_into("<H", fib, 0x20, 14)  # csw
    struct.pack_into("<H", fib, 0x3C, _LID_ZH_CN)  # fibRgW.lidFE
    struct.pack_into("<H", fib, 0x3E, 22)  # cslw
    struct.pack_into("<I", fib, 0x40, word_size)  # cbMac
    struct.pack_into("<I", fib, 0x4C, ccp_text)
    struct.pack_into("<H", fib, 0x98, 0x5D)  # cbRgFcLcb
    for name, (fc, lcb) in positions.items():
        struct.pack_into("<II", fib, 0x9A + 8 * _FC_LCB[name], fc, lcb)
    fc, lcb = positions["Stshf"]
    struct.pack_into("<II", fib, 0x9A, fc, lcb)  # fcStshfOrig: the same style sheet
    return bytes(fib)


def _chpx_page(start: int, end: int) -> bytes:
    """A CHPX FKP with one run over the whole text and no CHPX: default character properties."""
    page = bytearray(SECTOR)
    struct.pack_into("<IIB", page, 0, start, end, 0)
    page[-1] = 1
    return bytes(page)


def _papx_pages(ends: list[int], papxs: list[bytes]) -> list[tuple[bytes, int]]:
    """PAPX FKPs for paragraphs ending at file offsets ``ends``, each page with its first file offset.
    Identical PAPXs on a page are stored once."""
    pages: list[tuple[bytes, int]] = []
    start = _TEXT_START
    i = 0
    while i < len(ends):
        page, count = _papx_page(start, ends[i:], papxs[i:])
        pages.append((page, start))
        start = ends[i + count - 1]
        i += count
    return pages


def _papx_page(start: int, ends: list[int], papxs: list[bytes]) -> tuple[bytes, int]:
    """One PAPX FKP filled with as many paragraphs as fit: (page, paragraphs on it)."""
    stored: dict[bytes, int] = {}  # PapxInFkp -> its offset on the page
    top = SECTOR - 1  # the byte before crun; PAPXs grow down from here, on even offsets
    count = 0
    for papx in papxs:
        entry = _papx_in_fkp(papx)
        bottom = top if entry in stored else (top - len(entry)) & ~1
        if 4 * (count + 2) + 13 * (count + 1) > bottom:
            break
        if entry not in stored:
            stored[entry], top = bottom, bottom
        count += 1
    page = bytearray(SECTOR)
    struct.pack_into(f"<{count + 1}I", page, 0, start, *ends[:count])
    for k, papx in enumerate(papxs[:count]):
        page[4 * (count + 1) + 13 * k] = stored[_papx_in_fkp(papx)] // 2  # BX: bOffset, then a zero PHE
    for entry, offset in stored.items():
        page[offset : offset + len(entry)] = entry
    page[-1] = count
    return bytes(page), count


def _papx_in_fkp(papx: bytes) -> bytes:
    """PapxInFkp: cb, then istd and grpprl (2·cb−1 bytes); an even-sized one is led by cb = 0 and cb′."""
    if len(papx) % 2:
        return bytes([(len(papx) + 1) // 2]) + papx
    return bytes([0, len(papx) // 2]) + papx


def _bin_table(starts: list[int], end: int, first_pn: int) -> bytes:
    """PlcBtePapx: the first file offset of each FKP, the end of the text, then the FKPs' page numbers."""
    return struct.pack(f"<{2 * len(starts) + 1}I", *starts, end, *range(first_pn, first_pn + len(starts)))


def _style_sheet() -> bytes:
    """STSH with the 15 fixed style slots [MS-DOC] requires: Normal (sti 0), a paragraph style whose PAPX and
    CHPX change nothing, then 14 empty slots."""
    stshi = struct.pack("<9H", _FIXED_STYLES, 10, 1, 0x5B, _FIXED_STYLES, 0, 0, 0, 0)
    name = "Normal"
    body = struct.pack("<H", len(name)) + name.encode("utf-16-le") + b"\0\0"
    body += struct.pack("<H", 2) + _ISTD_NORMAL + struct.pack("<H", 0)  # UPX PAPX: istd only; UPX CHPX: empty
    base_size = 10
    std = struct.pack("<HHHHH", 0x0000, 0x0001 | (0x0FFF << 4), 2, base_size + len(body), 0) + body
    empty = struct.pack("<H", 0) * (_FIXED_STYLES - 1)
    return struct.pack("<H", len(stshi)) + stshi + struct.pack("<H", len(std)) + std + empty


def _font_table() -> bytes:
    """SttbfFfn with one font, 宋体 (SimSun), the default of Chinese Word."""
    name = "宋体".encode("utf-16-le") + b"\0\0"
    ffn = struct.pack("<BhB", 0x26, 400, 134) + b"\0" + b"\0" * 10 + b"\0" * 24 + name  # prq/ff, weight, GB2312
    return struct.pack("<HH", 1, 0) + bytes([len(ffn)]) + ffn


def _document_properties() -> bytes:
    """Dop97 (500 bytes, as cswNew = 0 asks): footnotes numbered from 1, default tab stops every 420 twips
    (two characters of 宋体 10.5 pt), everything else zero: no dates, counts or compatibility options."""
    dop = bytearray(_DOP97_SIZE)
    struct.pack_into("<H", dop, 2, 1 << 2)  # rncFtn 0, nFtn 1
    struct.pack_into("<H", dop, 10, 420)  # dxaTab
    return bytes(dop)


def _clx(ccp: int, fillers: list[int]) -> bytes:
    """The piece table: the text uncompressed (fc without bit 30), one piece between each two fillers."""
    starts = [0, *fillers]
    pieces = b"".join(struct.pack("<HIH", 0, _fc(cp, fillers), 0) for cp in starts)
    plc_pcd = struct.pack(f"<{len(starts) + 1}I", *starts, ccp) + pieces
    return struct.pack("<BI", 2, len(plc_pcd)) + plc_pcd
