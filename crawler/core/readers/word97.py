"""DOC and WPS (OLE2 word-processor files) through Debian's antiword, then catdoc if antiword fails.

antiword prints a Word table row as one line, ``|cell  |cell  |`` padded to the column widths; a run of
such lines comes back as a table grid and as tab-separated lines, and blank lines (paragraph spacing) are
dropped: the shape the DOCX reader gives. A cell too wide for its column is wrapped by antiword onto
further lines, which then read as rows of their own.
"""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
import tempfile

from crawler.core.orphans import die_with_parent
from crawler.core.readers.common import Limits, UnreadableDocument, grid_text, normalize_grid
from crawler.core.texthead import guess_title
from crawler.core.types import Extracted, Grid

# (program, arguments before the file name): both print UTF-8 text on stdout.
CONVERTERS = (("antiword", ("-m", "UTF-8.txt", "-w", "0")), ("catdoc", ("-d", "utf-8", "-w")))
_TABLE_ROW = re.compile(r"^\|.*\|$")


def read_doc(body: bytes, limits: Limits) -> Extracted:
    reasons = []
    with tempfile.NamedTemporaryFile(suffix=".doc") as file:
        file.write(body)
        file.flush()
        # Each converter gets its share of the read's time, so catdoc still runs after antiword hangs and the
        # read ends (removing its temporary file) before the pool's deadline kills this process.
        timeout = 0.9 * limits.timeout_s / len(CONVERTERS)
        for program, args in CONVERTERS:
            if not shutil.which(program):
                reasons.append(f"{program} not installed")
                continue
            try:
                done = subprocess.run([program, *args, file.name], capture_output=True, timeout=timeout,
                                      check=False, preexec_fn=die_with_parent)  # this reader is one thread
            except subprocess.TimeoutExpired:
                reasons.append(f"{program} timed out after {timeout:g}s")
                continue
            text = done.stdout.decode("utf-8", errors="replace").strip()
            if done.returncode == 0 and text:
                text, tables = _docx_shaped(text) if program == "antiword" else (text, ())
                return Extracted(title=guess_title(text), text=text, tables=tables, metadata={"converter": program})
            error = done.stderr.decode("utf-8", errors="replace").strip().splitlines()
            reasons.append(f"{program} failed: {error[0] if error else f'exit {done.returncode}'}")
    raise UnreadableDocument("unreadable DOC/WPS: " + "; ".join(reasons))


def _docx_shaped(text: str) -> tuple[str, tuple[Grid, ...]]:
    """antiword's text without blank lines, its table lines turned into grids and tab-separated rows."""
    lines: list[str] = []
    grids: list[Grid] = []
    for is_row, run in itertools.groupby(text.splitlines(), key=lambda line: bool(_TABLE_ROW.match(line.rstrip()))):
        if not is_row:
            lines.extend(line for line in run if line.strip())
            continue
        grid = normalize_grid([line.rstrip()[1:-1].split("|") for line in run])
        grids.append(grid)
        lines.append(grid_text(grid))
    return "\n".join(lines), tuple(grids)
