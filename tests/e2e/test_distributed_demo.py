"""``nianbao demo --distributed``: a Redis server and two workers started for the demo's crawl, the same
reports as ``nianbao demo``, and nothing left running afterwards — also when interrupted."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid

import pytest

from tests.support.cli import CLI_TIMEOUT, ROOT, run_cli
from tests.support.distributed import record_keys, report_ids, run_report
from tests.support.processes import marked

pytestmark = pytest.mark.slow  # a broker, two workers and a crawl of the sample portal, twice

MARK = "NIANBAO_TEST_DEMO"  # every process the demo starts inherits it


def test_the_distributed_demo_archives_what_the_demo_does_and_stops_everything(demo_twice, tmp_path):
    archive, mark = tmp_path / "archive", uuid.uuid4().hex
    result = run_cli("demo", "--distributed", "--archive", str(archive), env={MARK: mark})
    assert result.returncode == 0, result.stdout + result.stderr
    assert report_ids(archive) == report_ids(demo_twice) and record_keys(archive) == record_keys(demo_twice)
    run = run_report(archive)["distributed"]
    assert sorted(run["workers"]) == ["w1@demo", "w2@demo"] and run["retries"] == 0 and not run["jobs_failed"]
    assert [job["portals"] for job in run["jobs"]] == [["sample-trs"]]
    assert "1 on 2 workers" in result.stdout and "w2@demo" in result.stdout
    assert "new records          12" in result.stdout
    assert marked(MARK, mark) == []  # the broker, the workers and their pools all ended


def test_an_interrupted_distributed_demo_leaves_no_process_behind(tmp_path):
    mark = uuid.uuid4().hex
    demo = subprocess.Popen([sys.executable, "-m", "crawler.run.cli", "demo", "--distributed", "--archive",
                             str(tmp_path / "archive")], cwd=ROOT, text=True, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env={**os.environ, MARK: mark}, start_new_session=True)
    try:
        lines = iter(demo.stdout.readline, "")
        assert any(line.startswith("broker redis://") for line in lines)  # both workers answer
        assert len(marked(MARK, mark)) >= 5  # the demo, the broker, two workers and their pools
        os.killpg(demo.pid, signal.SIGINT)  # Ctrl-C at a terminal: the demo's whole process group
        _, err = demo.communicate(timeout=CLI_TIMEOUT)
    finally:
        demo.kill()
    assert demo.returncode == 3 and err.strip() == "interrupted: the demo's workers and broker are stopped", err
    assert marked(MARK, mark) == []
