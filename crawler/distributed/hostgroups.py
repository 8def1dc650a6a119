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


def group_name(group: Sequence[Portal]) -> str:
    """A job's name: its first portal's (registry names are safe archive key segments)."""
    return group[0].name
