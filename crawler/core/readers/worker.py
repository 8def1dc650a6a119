"""Child process for ``documents.read_document``: body on stdin, Extracted as JSON on stdout.

``python -m crawler.core.readers.worker KIND LIMITS_JSON``. A known failure prints
``unreadable: <reason>`` as the last stderr line and exits 3.
"""

from __future__ import annotations

import json
import resource
import sys
from dataclasses import asdict

from crawler.core.readers.common import Limits, UnreadableDocument


def read(kind: str, body: bytes, limits: Limits):
    if kind == "pdf":
        from crawler.core.readers.pdf import read_pdf as reader
    elif kind == "doc":
        from crawler.core.readers.word97 import read_doc as reader
    else:
        from crawler.core.readers import office

        reader = {"docx": office.read_docx, "xlsx": office.read_xlsx, "xls": office.read_xls}[kind]
    return reader(body, limits)


def main(argv: list[str]) -> int:
    kind, limits = argv[0], Limits(**json.loads(argv[1]))
    # pdfminer and openpyxl are pure Python and can balloon on hostile files; capped here, in the child
    # itself, because a preexec_fn is unsafe in the threaded crawler.
    resource.setrlimit(resource.RLIMIT_AS, (limits.max_memory_bytes, limits.max_memory_bytes))
    try:
        extracted = read(kind, sys.stdin.buffer.read(), limits)
    except UnreadableDocument as exc:
        print(f"unreadable: {exc}", file=sys.stderr)
        return 3
    except Exception as exc:  # any other reader bug must still come back as one reason line
        print(f"unreadable: {kind} reader failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 3
    json.dump(asdict(extracted), sys.stdout, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
