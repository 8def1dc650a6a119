"""A DOC read whose first converter hangs, through the real reader pool: antiword is killed at its share of
the read's time, catdoc still reads the file before the pool's deadline, and nothing of the hung converter
is left running."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from sampleportal.seedtext import Paragraph, SeedDocument
from sampleportal.wordbinary import doc_bytes
from tests.support.cli import ROOT

DOCUMENT = SeedDocument(title="样例县档案局2019年政府信息公开工作年度报告",
                        blocks=(Paragraph("一、总体情况"), Paragraph("本年度主动公开政府信息1234条。")))
READ = """
import json, sys
from crawler.core.readers.common import Limits
from crawler.core.readers.pool import POOL
reply = POOL.read("doc", open(sys.argv[1], "rb").read(), Limits(timeout_s=4))
print(json.dumps({"converter": reply["metadata"].get("converter"), "text": reply["text"]}))
"""


@pytest.mark.skipif(not shutil.which("catdoc"), reason="catdoc not installed: apt-get install catdoc")
def test_catdoc_reads_after_antiword_hangs(tmp_path):
    pid_file = tmp_path / "antiword.pid"
    fake = tmp_path / "bin" / "antiword"
    fake.parent.mkdir()
    fake.write_text(f"#!/bin/sh\necho $$ > {pid_file}\nexec sleep 600\n")  # hangs as a stuck antiword would
    fake.chmod(0o755)
    doc = tmp_path / "report.doc"
    doc.write_bytes(doc_bytes(DOCUMENT))
    env = {**os.environ, "PATH": f"{fake.parent}{os.pathsep}{os.environ['PATH']}"}
    result = subprocess.run([sys.executable, "-c", READ, str(doc)], capture_output=True, text=True, timeout=60,
                            cwd=ROOT, env=env, check=False)
    assert result.returncode == 0, result.stderr
    reply = json.loads(result.stdout)
    assert reply["converter"] == "catdoc" and "本年度主动公开政府信息1234条" in reply["text"]
    with pytest.raises(ProcessLookupError):
        os.kill(int(pid_file.read_text()), 0)  # the hung antiword was killed and reaped
