"""Word 97 (.doc) bytes for tests, converted from generated DOCX by LibreOffice headless.

The project writes DOC itself (``sampleportal/wordbinary.py``, for the farm); these files come from a
foreign writer, so the DOC/WPS reader (antiword/catdoc) is also tested on files the project did not
write. `.ci/run` installs ``libreoffice-writer-nogui`` for this.
"""

from __future__ import annotations

import subprocess
import tempfile
from functools import lru_cache
from pathlib import Path

from sampleportal import docfiles
from sampleportal.seedtext import SeedDocument

CONVERT_TIMEOUT = 120


@lru_cache(maxsize=16)
def doc_bytes(document: SeedDocument) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "report.docx"
        source.write_bytes(docfiles.docx_bytes(document))
        subprocess.run(
            ["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{tmp}/profile",
             "--convert-to", "doc", "--outdir", tmp, str(source)],
            capture_output=True, timeout=CONVERT_TIMEOUT, check=True,
        )
        return (Path(tmp) / "report.doc").read_bytes()
