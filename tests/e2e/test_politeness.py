"""Politeness: Retry-After honoured, a User-Agent with the operator's contact, per-portal overrides at scale."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.http import Request
from scrapy.utils.test import get_crawler

from crawler.downloadermiddlewares.useragent import ContactUserAgentMiddleware
from crawler.extensions.retryafter import RetryAfterHold, retry_after_seconds
from crawler.registry import parse_registry
from crawler.run.inprocess import portal_spider
from sampleportal.farm.faults import FaultPlan, Faults
from sampleportal.farm.server import FarmServer
from sampleportal.server import SamplePortal
from spiders.trs import TrsSpider
from tests.support.archive import records
from tests.support.cli import HOME, run_cli
from tests.support.farm import farm_apps, write_registry

NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def test_retry_after_values():
    assert retry_after_seconds("120") == 120.0
    assert retry_after_seconds(format_datetime(NOW + timedelta(seconds=30), usegmt=True), now=NOW) == 30.0
    assert retry_after_seconds(format_datetime(NOW - timedelta(seconds=30), usegmt=True), now=NOW) == 0.0
    assert retry_after_seconds("soon") is None


def test_a_429_with_retry_after_is_waited_out_and_retried(tmp_path):
    archive = tmp_path / "archive"
    column = "/xxgk/zfxxgknb/index.html"
    with SamplePortal(throttle={column: 1}) as portal:
        result = run_cli("crawl", HOME, "--proxy", portal.url, "--archive", str(archive))
        asked = [path for _, path in portal.requests]
    assert result.returncode == 0, result.stderr
    assert asked.count(column) == 2
    run = json.loads(next(archive.glob("runs/*.json")).read_text(encoding="utf-8"))
    stats = run["portals"][0]["stats"]
    assert stats["nianbao/retry_after_waits"] == 1 and stats["nianbao/retry_after_seconds"] == 1.0
    assert stats["retry/count"] == 1 and run["portals"][0]["errors_by_kind"] == {"http_429": 1}
    assert len(records(archive)) == 12  # the whole column was crawled after the wait


def test_retry_after_is_off_at_zero_or_without_the_polite_downloader():
    # The wait itself and its cap: tests/e2e/test_retry_after_hold.py, against a real server.
    polite = {"DOWNLOADER": "crawler.engine.downloader.PoliteDownloader", "NIANBAO_RETRY_AFTER_MAX": 120}
    assert isinstance(RetryAfterHold.from_crawler(get_crawler(settings_dict=polite)), RetryAfterHold)
    for change, reason in (({"NIANBAO_RETRY_AFTER_MAX": 0}, "is 0"),
                           ({"DOWNLOADER": "scrapy.core.downloader.Downloader"}, "PoliteDownloader only")):
        with pytest.raises(NotConfigured, match=reason):
            RetryAfterHold.from_crawler(get_crawler(settings_dict={**polite, **change}))


def test_user_agent_carries_the_contact():
    crawler = get_crawler(settings_dict={"USER_AGENT": "nianbao/0.1", "NIANBAO_CONTACT": "ops@example.org"})
    middleware = ContactUserAgentMiddleware.from_crawler(crawler)
    request = Request("http://www.yangli.gov.test/")
    middleware.process_request(request)
    assert request.headers[b"User-Agent"] == b"nianbao/0.1 (contact: ops@example.org)"
    plain = ContactUserAgentMiddleware.from_crawler(get_crawler(settings_dict={"USER_AGENT": "nianbao/0.1"}))
    assert plain.user_agent == "nianbao/0.1"


def test_five_hundred_portals_each_with_its_own_overrides():
    entries = []
    for n in range(500):
        entries.append(f'[[portal]]\nname = "p{n:03d}"\nhome = "http://www.p{n:03d}.gov.test/"\n'
                       f'region_code = "{510000 + n}"\nobey_robots = {"true" if n % 2 else "false"}\n'
                       f"concurrency = {1 + n % 3}\n")
    registry = parse_registry("\n".join(entries), "big.toml")
    assert len(registry) == 500
    for portal in registry:
        n = int(portal.name[1:])
        custom = portal_spider(TrsSpider, portal, {"JOBDIR": f"jobs/{portal.name}"}).custom_settings
        assert custom == {"ROBOTSTXT_OBEY": bool(n % 2), "CONCURRENT_REQUESTS_PER_DOMAIN": 1 + n % 3,
                          "JOBDIR": f"jobs/{portal.name}"}
    assert registry.portals[499].line == 6 * 499 + 1 + 499  # entries are separated by a blank line


def test_per_run_time_limit(tmp_path):
    archive = tmp_path / "archive"
    with SamplePortal(delay=0.5) as portal:
        result = run_cli("crawl", HOME, "--proxy", portal.url, "--archive", str(archive), "--timeout", "1")
    assert result.returncode == 0, result.stderr
    (only,) = json.loads(next(archive.glob("runs/*.json")).read_text(encoding="utf-8"))["portals"]
    assert only["finish_reason"] == "closespider_timeout"


def test_some_portals_failed_is_exit_status_one_with_a_line_per_portal(tmp_path):
    registry = tmp_path / "portals.toml"
    registry.write_text('[[portal]]\nname = "yangli"\nhome = "http://www.yangli.gov.test/"\nregion_code = "510999"\n\n'
                        '[[portal]]\nname = "gone"\nhome = "http://www.gone.gov.test/"\nregion_code = "510998"\n',
                        encoding="utf-8")
    archive = tmp_path / "archive"
    with SamplePortal() as portal:  # it answers 404 for any host but its own
        result = run_cli("crawl", "--registry", str(registry), "--proxy", portal.url, "--archive", str(archive))
    assert result.returncode == 1
    run = json.loads(next(archive.glob("runs/*.json")).read_text(encoding="utf-8"))
    assert run["portals_failed"] == ["gone"]
    lines = {line.split()[0]: line for line in result.stdout.splitlines()[-2:]}
    assert "start failed" in lines["gone"] and "[start 1, http_404 2]" in lines["gone"]  # robots.txt and the home page
    assert lines["yangli"].split()[1:6] == ["24", "12", "0", "2", "0"]  # pages, new, unchanged, look-alikes, errors
    assert "\r" not in result.stdout  # no live progress when there is no terminal


@pytest.mark.parametrize("downloader, held", [(None, True), ("scrapy.core.downloader.Downloader", False)])
def test_a_portal_gets_at_most_its_concurrency_without_autothrottle(tmp_path, downloader, held):
    """With no delay between requests Scrapy 2.19's own downloader starts every queued request of a portal
    at once (crawler/engine/downloader.py); ours holds CONCURRENT_REQUESTS_PER_DOMAIN (2)."""
    apps = farm_apps(units=3, years=range(2019, 2022))
    registry = write_registry(tmp_path / "registry.toml", ["hexi"])
    options = ["-s", "AUTOTHROTTLE_ENABLED=false", *(["-s", f"DOWNLOADER={downloader}"] if downloader else [])]
    with FarmServer(apps, FaultPlan(Faults(delay=0.05))) as farm:
        result = run_cli("crawl", "--registry", str(registry), "--proxy", farm.url, "--archive", str(tmp_path / "a"),
                         *options)
    assert result.returncode == 0, result.stdout + result.stderr
    assert len(farm.requests) > 20
    assert (farm.peak_in_flight["www.hexi.gov.test"] <= 2) is held
