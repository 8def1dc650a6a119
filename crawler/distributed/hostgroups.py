"""Host groups: portals that share a host (a county portal and its departments' and townships' portals
on the same site, a provincial platform) go to one job, so one crawler owns each host's politeness."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlsplit

from crawler.registry import Portal


def hosts_of(portal: Portal) -> set[str]:
    hosts = {host.lower() for host in portal.allowed_domains}
    hosts.update(urlsplit(url).hostname or "" for url in (portal.home, *portal.start_urls))
    return hosts - {""}


def host_groups(portals: Sequence[Portal]) -> list[list[Portal]]:
    """``portals`` partitioned so that portals sharing any host are in one group; groups and their portals
    in the order of ``portals``."""
    parent = list(range(len(portals)))

    def root(n: int) -> int:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    owner: dict[str, int] = {}
    for n, portal in enumerate(portals):
        for host in hosts_of(portal):
            if host in owner:
                parent[root(n)] = root(owner[host])
            else:
                owner[host] = n
    groups: dict[int, list[Portal]] = {}  # in the order of each group's first portal
    for n, portal in enumerate(portals):
        groups.setdefault(root(n), []).append(portal)
    return list(groups.values())


def packed(groups: Sequence[list[Portal]], least_portals: int) -> list[list[Portal]]:
    """Consecutive host groups put together into jobs of at least ``least_portals`` portals (the last may
    hold fewer). A group is never split, so each host still has one crawler: packing only spares small
    groups a job's fixed cost (a process start and a run's set-up, docs/OPERATIONS.md)."""
    jobs: list[list[Portal]] = []
    for group in groups:
        if jobs and len(jobs[-1]) < least_portals:
            jobs[-1].extend(group)
        else:
            jobs.append(list(group))
    return jobs


def group_name(group: Sequence[Portal]) -> str:
    """A job's name: its first portal's (registry names are safe archive key segments)."""
    return group[0].name
