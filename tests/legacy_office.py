"""Word 97 (.doc) bytes for tests, converted from generated DOCX by LibreOffice headless.

No Python library writes the binary Word format, so the DOC/WPS reader (antiword/catdoc) is tested on
files LibreOffice writes; `.ci/run` installs ``libreoffice-writer-nogui`` for this.
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
