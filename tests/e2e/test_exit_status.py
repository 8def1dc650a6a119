"""Exit statuses that tell the truth (issue "nothing lost", item 7): a crawl stopped by SIGTERM exits 3
with ``finish_reason: shutdown`` and claims nothing about the archive; a full disk stops the crawl at the
first failed write, leaves no partial ``.tmp-*`` file, prints its summary and exits 1 (2 is bad input)."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys

import pytest

from sampleportal.farm.server import FarmServer
from tests.support.cli import CLI_TIMEOUT, ROOT
from tests.support.farm import farm_apps, write_registry
from tests.support.processes import until


def test_sigterm_stops_the_crawl_with_status_3_and_says_so(tmp_path):
    archive = tmp_path / "archive"
    registry = write_registry(tmp_path / "registry.toml")
    with FarmServer(farm_apps()) as farm:
        process = subprocess.Popen([sys.executable, "-m", "crawler.run.cli", "crawl", "--registry", str(registry),
                                    "--archive", str(archive), "--proxy", farm.url], cwd=ROOT,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert until(lambda: len(list(archive.glob("reports/*/*.json"))) >= 5, CLI_TIMEOUT)
        process.send_signal(signal.SIGTERM)
        stdout, stderr = process.communicate(timeout=CLI_TIMEOUT)
    assert process.returncode == 3, stderr[-3000:]
    (run,) = [json.loads(p.read_text(encoding="utf-8")) for p in archive.glob("runs/*.json")]
    assert {portal["finish_reason"] for portal in run["portals"]} == {"shutdown"}
    assert "STOPPED EARLY        shutdown" in stdout and "already holds everything" not in stdout


def in_a_small_filesystem(size: str, script: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``script`` (sh) with a tmpfs of ``size`` mounted at $1, in a user and mount namespace of its own."""
    command = ["unshare", "--user", "--map-root-user", "--mount", "sh", "-c",
               f'mount -t tmpfs -o size={size} tmpfs "$1" && {script}', "sh", *args]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=CLI_TIMEOUT, check=False)


def test_a_full_disk_stops_the_crawl_at_the_first_failed_write(tmp_path, sample_portal):
    if not shutil.which("unshare"):
        pytest.skip("no unshare (util-linux): cannot mount a small filesystem without root")
    probe = in_a_small_filesystem("64k", "true", str(tmp_path))
    if probe.returncode != 0:
        pytest.skip(f"no unprivileged user+mount namespaces here: {probe.stderr.strip()}")
    full, kept = tmp_path / "full", tmp_path / "kept"
    full.mkdir()
    crawl = (f'{sys.executable} -m crawler.run.cli crawl {sample_portal.home_url} --proxy {sample_portal.url} '
             '--archive "$1/archive"; echo "exit $?"; cp -r "$1/archive" "$2"')
    result = in_a_small_filesystem("160k", crawl, str(full), str(kept))
    assert result.stdout.strip().endswith("exit 1"), result.stdout + result.stderr[-3000:]
    assert "No space left on device" in result.stderr and "archive write failed, stopping" in result.stderr
    assert "STOPPED EARLY        archive_unwritable" in result.stdout and "run report not written" in result.stdout
    pages = int(next(line.split()[-1] for line in result.stdout.splitlines() if "pages fetched" in line))
    assert pages < 24  # the whole portal is 24 pages: the crawl did not fetch on for nothing
    assert not list(kept.rglob(".tmp-*"))
