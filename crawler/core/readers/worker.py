"""Reader child process for ``readers.pool``: serves documents until its input ends.

``python -m crawler.core.readers.worker MEMORY_CAP``. Each request is two frames on stdin (a JSON
header ``{"kind", "limits"}``, then the body); each reply is a status byte and one frame on stdout:
the Extracted as JSON (status 0) or the reason it is unreadable (status 3).
"""

from __future__ import annotations

import json
import resource
import sys
from dataclasses import asdict

from crawler.core.orphans import die_with_parent
from crawler.core.readers.common import Limits, UnreadableDocument
from crawler.core.readers.pool import OK, UNREADABLE, read_frame, send_frame


def read(kind: str, body: bytes, limits: Limits):
    if kind == "pdf":
        from crawler.core.readers.pdf import read_pdf as reader
    elif kind == "doc":
        from crawler.core.readers.word97 import read_doc as reader
    else:
        from crawler.core.readers import office

        reader = {"docx": office.read_docx, "xlsx": office.read_xlsx, "xls": office.read_xls}[kind]
    return reader(body, limits)


def answer(header: dict, body: bytes) -> tuple[int, bytes]:
    kind, limits = header["kind"], Limits(**header["limits"])
    try:
        extracted = read(kind, body, limits)
    except UnreadableDocument as exc:
        return UNREADABLE, str(exc).encode()
    except Exception as exc:  # any other reader bug must still come back as one reason line
        return UNREADABLE, f"{kind} reader failed: {type(exc).__name__}: {exc}".encode()
    return OK, json.dumps(asdict(extracted), ensure_ascii=False).encode()


def main(argv: list[str]) -> int:
    die_with_parent()  # and its converters with it (word97, ocr): a killed crawl leaves no reader behind
    memory_cap = int(argv[0])
    # pdfminer and openpyxl are pure Python and can balloon on hostile files; capped here, in the child
    # itself, because a preexec_fn is unsafe in the threaded crawler.
    resource.setrlimit(resource.RLIMIT_AS, (memory_cap, memory_cap))
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    while (header := read_frame(stdin)) is not None:
        body = read_frame(stdin) or b""
        status, payload = answer(json.loads(header), body)
        stdout.write(bytes([status]))
        send_frame(stdout, payload)
        stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
