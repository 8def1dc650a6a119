"""S3 stops mid-crawl: the crawl stops cleanly with its writes spooled; the next run uploads them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sampleportal.server import SamplePortal
from storage import LocalStorage, open_storage
from storage.seaweed import SeaweedS3
from storage.spool import SpooledStorage, spool_dir_for
from tests.support.cli import CLI_TIMEOUT, ROOT, run_cli, without_crawl_fields

KEPT = ("raw/", "text/", "reports/")


def archive_content(storage) -> dict[str, object]:
    """Keys and bytes of what a crawl archives; records without their fetch time."""
    content: dict[str, object] = {}
    for key in sorted(k for prefix in KEPT for k in storage.keys(prefix)):
        data = storage.get(key)
        content[key] = without_crawl_fields(data) if key.startswith("reports/") else data
    return content


def wait_for_raw_objects(storage, count: int, process: subprocess.Popen[str], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "the crawl ended before the server could be stopped"
        if sum(1 for _ in storage.keys("raw/")) >= count:
            return
        time.sleep(0.2)  # polling the bucket while the crawl runs, bounded by the deadline
    raise AssertionError(f"fewer than {count} raw objects after {timeout}s")


@pytest.mark.slow
def test_crawl_survives_s3_going_away(tmp_path: Path, monkeypatch) -> None:
    spool = tmp_path / "spool"
    with SamplePortal() as fast:
        reference = run_cli("crawl", fast.home_url, "--proxy", fast.url, "--archive", str(tmp_path / "local"))
    assert reference.returncode == 0, reference.stderr
    expected = archive_content(LocalStorage(tmp_path / "local"))

    with SeaweedS3(bucket="fault", data_dir=str(tmp_path / "seaweed")) as server, SamplePortal(delay=0.3) as portal:
        env = {**os.environ, **server.env, "NIANBAO_S3_MAX_ATTEMPTS": "2"}
        uri = "s3://fault/archive"
        crawl = ["crawl", portal.home_url, "--proxy", portal.url, "--archive", uri,
                 "--set", f"NIANBAO_SPOOL_DIR={spool}"]
        for name, value in server.env.items():  # for this process's own reads of the bucket
            monkeypatch.setenv(name, value)
        process = subprocess.Popen([sys.executable, "-m", "crawler.run.cli", *crawl], cwd=ROOT, env=env,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            wait_for_raw_objects(open_storage(uri), 3, process)
            server.stop(keep_data=True)
            stdout, stderr = process.communicate(timeout=CLI_TIMEOUT)
        finally:
            process.kill()
        assert process.returncode == 1, stderr
        assert "archive unavailable" in stdout and str(spool) in stdout
        kept = SpooledStorage(LocalStorage(tmp_path / "unused"), spool_dir_for(spool, uri))
        assert kept.pending() > 0
        assert "Traceback" not in stderr

        server.start()
        again = run_cli(*crawl, env=server.env)
        assert again.returncode == 0, again.stderr
        assert "writes an earlier run kept" in again.stdout
        assert kept.pending() == 0

        archived = open_storage(uri)
        assert archive_content(archived) == expected  # nothing lost, nothing extra
        for key in archived.keys("reports/"):
            seen = json.loads(archived.get(key))["also_seen_at"]
            assert len(seen) == len(set(seen)), key  # no URL merged twice
