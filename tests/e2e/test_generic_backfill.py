"""A portal registered without a family, backfilled with a JOBDIR: its spider becomes the fingerprinted
family's spider, so every request it queues can be written to disk, and a stopped backfill resumes to
every report (spiders/generic.py)."""

from __future__ import annotations

import json

import pytest

from sampleportal.farm.server import FarmServer
from tests.support.archive import records
from tests.support.cli import run_cli
from tests.support.farm import farm_apps, missing_reports, write_registry

FAMILY = "trs"


@pytest.mark.parametrize("crawl_state", [True, False])
def test_stopped_backfill_of_a_portal_without_family_resumes_to_every_report(tmp_path, crawl_state):
    apps = farm_apps(units=3, years=range(2019, 2022))
    (app,) = [a for a in apps if a.family == FAMILY]
    registry = write_registry(tmp_path / "registry.toml", [app.config.name], family=False)
    archive, state_dir = tmp_path / "archive", tmp_path / "state"
    args = ["backfill", "--years", "2008-2024", "--registry", str(registry), "--archive", str(archive),
            "--state-dir", str(state_dir), "--set", "NIANBAO_STATE_SAVE_INTERVAL=0",
            "--set", f"NIANBAO_CRAWL_STATE={crawl_state}"]
    with FarmServer(apps) as farm:
        stopped = run_cli(*args, "--proxy", farm.url, "--max-pages", "12")
        job = state_dir / "jobs" / app.config.name
        queued = (job / "requests.queue").is_dir()
        spider_state = (job / "spider.state").is_file()  # Scrapy's, in the JOBDIR: also keeps the family
        saved = archive / "state" / f"{app.config.name}.json"
        family = json.loads(saved.read_text(encoding="utf-8")).get("family") if saved.exists() else None
        resumed = run_cli(*args, "--proxy", farm.url)
    assert (stopped.returncode, resumed.returncode) == (0, 0), stopped.stderr + resumed.stderr
    first, second = (json.loads(path.read_text(encoding="utf-8"))["portals"][0]
                     for path in sorted(archive.glob("runs/*.json")))
    assert first["finish_reason"] == "closespider_pagecount" and second["finish_reason"] == "finished"
    for run in (first, second):
        assert run["stats"]["nianbao/family"] == FAMILY
        assert "scheduler/unserializable" not in run["stats"]
    assert missing_reports(app.manifest(), records(archive)) == []
    assert first["stats"]["scheduler/enqueued/disk"] > 1
    assert queued and spider_state  # the stop kept the queue
    assert family == (FAMILY if crawl_state else None)  # and the crawl state, when kept, the family told
    assert not job.exists()  # finished: the job directory is gone
