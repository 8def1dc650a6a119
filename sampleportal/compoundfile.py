"""A minimal Compound File Binary ([MS-CFB] version 3) writer: the OLE2 container of Word 97 and Excel 97 files.

512-byte sectors, one FAT, a directory, streams stored as contiguous sector chains. There is no mini
stream: every stream must be at least ``MINI_STREAM_CUTOFF`` bytes long (callers pad), so readers take
every stream from the FAT, and no timestamps or class ids are written, so the same streams give the
same bytes.
"""

from __future__ import annotations

import struct

SECTOR = 512
MINI_STREAM_CUTOFF = 4096
_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_FREESECT, _ENDOFCHAIN, _FATSECT, _NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
_HEADER_DIFAT = 109  # FAT sector numbers the header holds; enough for files up to ~7 MB
_ENTRIES_PER_SECTOR = SECTOR // 128
_RED, _BLACK = 0, 1


def compound_file(streams: dict[str, bytes]) -> bytes:
    """A CFB file holding ``streams`` (name → bytes) in its root storage.

    Sector order: FAT, directory, then each stream in turn. The root's children form a valid
    red-black tree (names ordered by length, then upper-cased text, as [MS-CFB] 2.6.4 requires)."""
    for name, data in streams.items():
        if len(data) < MINI_STREAM_CUTOFF:
            raise ValueError(f"stream {name!r} is {len(data)} bytes; pad it to {MINI_STREAM_CUTOFF}")
    names = sorted(streams, key=lambda n: (len(n), n.upper()))
    directory_sectors = -(-(len(names) + 1) // _ENTRIES_PER_SECTOR)
    data_sectors = directory_sectors + sum(_sectors(len(streams[n])) for n in names)
    fat_sectors = 1
    while fat_sectors * (SECTOR // 4) < fat_sectors + data_sectors:
        fat_sectors += 1
    if fat_sectors > _HEADER_DIFAT:
        raise ValueError("file too large for a header-only DIFAT")
    fat = [_FATSECT] * fat_sectors
    starts = {}
    for name in ("", *names):  # "" is the directory
        count = directory_sectors if name == "" else _sectors(len(streams[name]))
        starts[name] = len(fat)
        fat += [*range(len(fat) + 1, len(fat) + count), _ENDOFCHAIN]
    fat += [_FREESECT] * (fat_sectors * (SECTOR // 4) - len(fat))
    body = [struct.pack(f"<{len(fat)}I", *fat), _directory(names, streams, starts, directory_sectors)]
    body += [_padded(streams[name]) for name in names]
    return _header(fat_sectors, starts[""]) + b"".join(body)


def _sectors(size: int) -> int:
    return -(-size // SECTOR)


def _padded(data: bytes) -> bytes:
    return data + b"\0" * (_sectors(len(data)) * SECTOR - len(data))


def _header(fat_sectors: int, directory_start: int) -> bytes:
    difat = [*range(fat_sectors), *[_FREESECT] * (_HEADER_DIFAT - fat_sectors)]
    return (_SIGNATURE + b"\0" * 16
            + struct.pack("<HHHHH6xIIIIIIIII", 0x003E, 0x0003, 0xFFFE, 9, 6, 0, fat_sectors, directory_start, 0,
                          MINI_STREAM_CUTOFF, _ENDOFCHAIN, 0, _ENDOFCHAIN, 0)
            + struct.pack(f"<{_HEADER_DIFAT}I", *difat))


def _directory(names: list[str], streams: dict[str, bytes], starts: dict[str, int], sectors: int) -> bytes:
    """The root entry, then the streams as a balanced red-black tree: the middle name is the root's child
    and each half hangs to its left and right; complete levels are black, the last incomplete one red."""
    index = {name: i + 1 for i, name in enumerate(names)}
    complete_levels = (len(names) + 1).bit_length() - 1
    nodes: dict[str, tuple[int, int, int]] = {}  # name -> (colour, left, right)

    def subtree(part: list[str], depth: int) -> int:
        if not part:
            return _NOSTREAM
        middle = len(part) // 2
        left, right = subtree(part[:middle], depth + 1), subtree(part[middle + 1 :], depth + 1)
        nodes[part[middle]] = (_BLACK if depth < complete_levels else _RED, left, right)
        return index[part[middle]]

    root_child = subtree(names, 0)
    entries = [_entry("Root Entry", 5, (_BLACK, _NOSTREAM, _NOSTREAM), root_child, _ENDOFCHAIN, 0)]
    entries += [_entry(n, 2, nodes[n], _NOSTREAM, starts[n], len(streams[n])) for n in names]
    unused = _entry("", 0, (_RED, _NOSTREAM, _NOSTREAM), _NOSTREAM, 0, 0)
    return b"".join(entries) + unused * (sectors * _ENTRIES_PER_SECTOR - len(entries))


def _entry(name: str, kind: int, node: tuple[int, int, int], child: int, start: int, size: int) -> bytes:
    encoded = name.encode("utf-16-le")
    colour, left, right = node
    return (encoded.ljust(64, b"\0") + struct.pack("<HBBIII", len(encoded) + 2 if name else 0, kind, colour, left,
                                                   right, child)
            + b"\0" * 36 + struct.pack("<IQ", start, size))
