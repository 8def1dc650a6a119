"""DOC and WPS (OLE2 word-processor files) through Debian's antiword, then catdoc if antiword fails."""

from __future__ import annotations

import shutil
import subprocess
import tempfile

from crawler.core.extraction import Extracted
from crawler.core.readers.common import Limits, UnreadableDocument, guess_title

# (program, arguments before the file name): both print UTF-8 text on stdout.
CONVERTERS = (("antiword", ("-m", "UTF-8.txt", "-w", "0")), ("catdoc", ("-d", "utf-8", "-w")))


def read_doc(body: bytes, limits: Limits) -> Extracted:
    reasons = []
    with tempfile.NamedTemporaryFile(suffix=".doc") as file:
        file.write(body)
        file.flush()
        for program, args in CONVERTERS:
            if not shutil.which(program):
                reasons.append(f"{program} not installed")
                continue
            try:
                done = subprocess.run(
                    [program, *args, file.name], capture_output=True, timeout=limits.timeout_s, check=False
                )
            except subprocess.TimeoutExpired:
                reasons.append(f"{program} timed out after {limits.timeout_s:g}s")
                continue
            text = done.stdout.decode("utf-8", errors="replace").strip()
            if done.returncode == 0 and text:
                return Extracted(title=guess_title(text), text=text, metadata={"converter": program})
            error = done.stderr.decode("utf-8", errors="replace").strip().splitlines()
            reasons.append(f"{program} failed: {error[0] if error else f'exit {done.returncode}'}")
    raise UnreadableDocument("unreadable DOC/WPS: " + "; ".join(reasons))
