"""A text every portal reposts: its copies' URLs reach its record in batches (crawler/archive/copies.py), and
each portal's crawl state knows its copy once the record lists it, also for portals whose crawl ended
before the batch was written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sampleportal.farm.server import FarmServer
from tests.support.archive import records
from tests.support.cli import run_cli
from tests.support.farm import HUZHOU, regional_farm, urls_of

# One flush as the first portal ends, none later until the run's end: the other portals' copies are
# settled in crawl states already saved.
RARE_FLUSHES = ("-s", "NIANBAO_STATE_SAVE_INTERVAL=3600", "-s", "NIANBAO_PORTALS_AT_ONCE=2")
IN_BATCHES = ("-s", "NIANBAO_PORTALS_PER_PROCESS=2")


@pytest.fixture
def farm(tmp_path):
    registry = tmp_path / "huzhou.toml"
    with regional_farm(HUZHOU, registry) as (server, apps):
        yield server, registry, {app.config.name: set(app.lookalikes()) for app in apps}


def crawl(server: FarmServer, registry: Path, archive: Path, *options: str) -> dict:
    before = set(archive.glob("runs/*.json"))
    result = run_cli("crawl", "--registry", str(registry), "--archive", str(archive), "--proxy", server.url,
                     *RARE_FLUSHES, *options)
    assert result.returncode == 0, result.stderr[-3000:]
    (run,) = set(archive.glob("runs/*.json")) - before
    return json.loads(run.read_text(encoding="utf-8"))


def known(archive: Path, portal: str) -> set[str]:
    return set(json.loads((archive / "state" / f"{portal}.json").read_text(encoding="utf-8"))["known"])


@pytest.mark.parametrize("options", [(), IN_BATCHES], ids=["one process", "batch children"])
def test_reposted_text_lists_every_portal_and_is_not_processed_again(tmp_path, farm, options):
    server, registry, lookalikes = farm
    archive = tmp_path / "archive"
    first = crawl(server, registry, archive, *options)
    shared = [record for record in records(archive) if record["also_seen_at"]]
    assert len(shared) == 2 and not any(record["is_report"] for record in shared)  # a look-alike a year
    every_copy = set().union(*(urls_of(record) for record in shared))
    for portal, urls in lookalikes.items():
        assert len(urls & every_copy) == 2, portal  # each portal's two copies are listed...
        assert urls & every_copy <= known(archive, portal), portal  # ...and known in its crawl state
    assert first["counts"]["duplicates_merged"] == len(every_copy) - len(shared)

    again = crawl(server, registry, archive, *options)  # the copies are known: none is processed again
    assert [again["counts"][name] for name in ("records_new", "records_known", "duplicates_merged")] == [0, 0, 0]
