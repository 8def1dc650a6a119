"""A fresh machine: `make test` sets up what it needs (the Debian packages of .ci/system-deps, the venv),
and the package keeps the sample portal's writers out of its runtime dependencies."""

from __future__ import annotations

import os
import shutil
import subprocess
import tomllib

from tests.support.cli import ROOT

SCRIPT = ROOT / ".ci" / "system-deps"


def _bare_path(tmp_path, uid: int) -> str:
    """A PATH with only what the script itself runs, and an ``id`` that answers ``uid``."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("bash", "python3", "grep"):
        (bin_dir / tool).symlink_to(shutil.which(tool))
    (bin_dir / "id").write_text(f"#!/bin/sh\necho {uid}\n")
    (bin_dir / "id").chmod(0o755)
    return str(bin_dir)


def test_a_user_without_the_packages_is_told_the_exact_command(tmp_path):
    result = subprocess.run(["bash", str(SCRIPT)], capture_output=True, text=True, timeout=60, check=False,
                            env={**os.environ, "PATH": _bare_path(tmp_path, uid=1000)})
    assert result.returncode == 2
    assert "sudo apt-get install -y" in result.stderr
    for package in ("antiword", "catdoc", "tesseract-ocr-chi-sim", "chromium", "libreoffice-writer-nogui", "make",
                    "redis-server"):
        assert package in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_nothing_to_do_where_everything_is_installed():
    result = subprocess.run(["bash", str(SCRIPT)], capture_output=True, text=True, timeout=60, check=False)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_make_test_installs_the_packages_before_it_runs_the_suite():
    planned = subprocess.run(["make", "-n", "test"], cwd=ROOT, capture_output=True, text=True, timeout=60,
                             check=True).stdout.splitlines()
    assert planned.index("bash .ci/system-deps") < next(k for k, line in enumerate(planned) if "pytest" in line)
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()


def test_sample_portal_writers_are_an_extra_and_a_license_ships():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = " ".join(project["dependencies"])
    assert "reportlab" not in runtime and "xlwt" not in runtime
    assert any(d.startswith("reportlab") for d in project["optional-dependencies"]["sampleportal"])
    assert "nianbao[sampleportal]" in project["optional-dependencies"]["dev"]
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
