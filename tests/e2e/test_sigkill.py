"""A crawl killed with SIGKILL (issue "nothing lost", item 6): its children end with it, the next crawl
removes its frontier directories, ``verify`` reports the records pointing at a WARC file that was never
written and ``reparse`` repairs them; the rerun archives every report of the farm."""

from __future__ import annotations

import subprocess
import sys

from sampleportal.farm.server import FarmServer
from tests.support.archive import records
from tests.support.cli import CLI_TIMEOUT, ROOT, run_cli
from tests.support.farm import farm_apps, missing_reports, write_registry
from tests.support.processes import alive, descendants, until


def test_a_killed_crawl_leaves_nothing_running_and_the_next_one_repairs(tmp_path):
    apps = farm_apps()
    registry = write_registry(tmp_path / "registry.toml")
    archive, frontier = tmp_path / "archive", tmp_path / "frontier"
    frontier.mkdir()
    crawl = ("crawl", "--registry", str(registry), "--archive", str(archive), "-s", f"NIANBAO_FRONTIER_DIR={frontier}")
    with FarmServer(apps) as farm:
        process = subprocess.Popen([sys.executable, "-m", "crawler.run.cli", *crawl, "--proxy", farm.url], cwd=ROOT,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            assert until(lambda: len(list(archive.glob("reports/*/*.json"))) >= 10, CLI_TIMEOUT)
            children = descendants(process.pid)
            assert len(children) >= 3  # forkserver, parse workers, reader children, resource tracker
        finally:
            process.kill()
            process.wait()
        assert until(lambda: not any(alive(pid) for pid in children), 15), [p for p in children if alive(p)]
        leftovers = list(frontier.glob(f"nianbao-frontier-{process.pid}-*"))
        assert leftovers

        verified = run_cli("verify", "--archive", str(archive))
        dangling = [line for line in verified.stdout.splitlines() if "was never written" in line]
        assert verified.returncode == 1 and dangling, verified.stdout[-2000:]
        repaired = run_cli("reparse", "--archive", str(archive))
        assert repaired.returncode == 0, repaired.stderr[-2000:]
        assert "was never written" not in run_cli("verify", "--archive", str(archive)).stdout

        rerun = run_cli(*crawl, "--proxy", farm.url)
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    assert not [path for path in leftovers if path.exists()]
    manifest = [m for app in apps for m in app.manifest()]
    assert missing_reports(manifest, records(archive)) == []
    final = run_cli("verify", "--archive", str(archive))
    assert final.returncode == 0, final.stdout[-2000:]
