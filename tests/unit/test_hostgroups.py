"""Host groups: portals sharing a host go to one distributed job; a job round-trips through JSON."""

from __future__ import annotations

import json

from crawler.distributed.hostgroups import group_name, host_groups, packed
from crawler.distributed.job import PortalJob
from crawler.registry import Portal


def portal(name: str, home: str, *more: str) -> Portal:
    host = home.split("/")[2]
    return Portal(name=name, home=home, region_code="330502", allowed_domains=(host, *more))


def test_portals_on_one_host_or_sharing_a_domain_are_one_group():
    county = portal("wuxing", "http://www.wuxing.gov.test/")
    finance = portal("wuxing-czj", "http://www.wuxing.gov.test/czj/")  # a department on the county's host
    town = portal("wuxing-town", "http://town.wuxing.gov.test/", "www.wuxing.gov.test")  # links back to it
    other = portal("nanxun", "http://www.nanxun.gov.test/")
    platform = portal("zj-a", "http://xxgk.zj.gov.test/a/")
    platform_b = portal("zj-b", "http://XXGK.zj.gov.test/b/")  # host names are case-insensitive
    groups = host_groups([county, other, finance, platform, town, platform_b])
    assert [[p.name for p in group] for group in groups] == [
        ["wuxing", "wuxing-czj", "wuxing-town"], ["nanxun"], ["zj-a", "zj-b"]]
    assert [group_name(group) for group in groups] == ["wuxing", "nanxun", "zj-a"]


def test_a_job_survives_its_trip_through_the_broker():
    job = PortalJob((portal("wuxing", "http://www.wuxing.gov.test/"),), "s3://b/a", "20261130T000000Z",
                    {"NIANBAO_WARC": False}, "INFO", (2008, 2024))
    assert PortalJob.from_dict(json.loads(json.dumps(job.to_dict()))) == job


def test_small_host_groups_are_packed_into_jobs_and_never_split():
    a = [portal("a", "http://a.test/"), portal("a-dept", "http://a.test/dept/")]
    b, c, d = (portal(n, f"http://{n}.test/") for n in "bcd")
    groups = host_groups([*a, b, c, d])
    assert [[p.name for p in job] for job in packed(groups, 3)] == [["a", "a-dept", "b"], ["c", "d"]]
    assert [[p.name for p in job] for job in packed(groups, 1)] == [["a", "a-dept"], ["b"], ["c"], ["d"]]
    assert [[p.name for p in job] for job in packed(groups, 2)] == [["a", "a-dept"], ["b", "c"], ["d"]]
