"""``nianbao portals check --live``: fetch each portal's home page and keep what it shows.

One GET per candidate home URL (the registry's home, and its other candidates when the lists disagree),
a few at a time, redirects followed and recorded. Each result says how the portal answered: ``ok``,
``redirected`` (same origin, another page), ``moved`` (another host or scheme), ``blocked`` (412, 468 or
521: a 瑞数/加速乐 challenge that needs the browser, not an error), ``error`` (another status) or
``unreachable`` (no answer). From the page: the CMS family (fingerprint) and the footer 网站标识码,
whose first six digits should be the portal's region code (a prefecture's code says the list gave the
prefecture's portal). Results go to the archive's ``state/checks/<portal>.json``, never into the
shipped registry; later crawls take a moved home and a found family from there (``checked_portals``).
"""

from __future__ import annotations

import json
import re
import ssl
import urllib.error
import urllib.request
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from crawler.archive.layout import check_key
from crawler.core.encoding import decode
from crawler.regions import divisions
from crawler.registry import Portal
from storage import Storage, StorageError

BLOCKED = (412, 468, 521)
MAX_BODY = 2 * 1024 * 1024
# The footer's 网站标识码 first: the SiteIDCode meta is sometimes left at a template's value.
_SITE_IDS = (re.compile(r"网站标识码[\s:：]*([0-9A-Za-z]{10})"),
             re.compile(r"name=[\"']SiteIDCode[\"']\s+content=[\"']([0-9A-Za-z]{10})"))


@dataclass
class Answer:
    """What one candidate home URL answered."""

    url: str
    outcome: str = "unreachable"
    status: int | None = None
    final_url: str | None = None
    redirects: list[str] = field(default_factory=list)
    family: str | None = None
    site_id: str | None = None
    error: str | None = None
    certificate: str | None = None  # an https answer's: "verified", or "not verified: <why>"


@dataclass
class Check:
    portal: str
    region_code: str | None
    checked_at: str
    home: str  # the candidate that answered best (the registry's home when none did)
    outcome: str
    final_url: str | None
    family: str | None
    site_id: str | None
    site_id_flag: str | None  # None (matches), "prefecture", "other region", "not a region code"
    answers: list[Answer]
    certificate: str | None = None  # the best answer's, when it came over https


def site_id_flag(site_id: str | None, region_code: str | None) -> str | None:
    """Why a 网站标识码 does not belong to the region, or None when it does (or either is unknown)."""
    if not site_id or not region_code:
        return None
    prefix = site_id[:6]
    table = divisions()
    if prefix == region_code or region_code in table.current(prefix):
        return None
    if prefix == region_code[:4] + "00" or prefix == region_code[:2] + "0000":
        return "prefecture"
    return "other region" if prefix.isdigit() and table.current(prefix) else "not a region code"


class _Recorder(urllib.request.HTTPRedirectHandler):
    """Follows redirects like urllib does, keeping each URL it leaves."""

    def __init__(self) -> None:
        self.hops: list[str] = []

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        self.hops.append(req.full_url)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch(url: str, proxy: str | None, timeout: float, user_agent: str, verify: bool = True) -> Answer:
    """GET ``url`` and tell how it answered. A certificate that does not verify (a broken chain, an expired
    or self-signed one, common on county portals) is no failure: the page is fetched again without
    verifying and the answer says why it did not verify."""
    recorder = _Recorder()
    tls = ssl.create_default_context()
    if not verify:
        tls.check_hostname, tls.verify_mode = False, ssl.CERT_NONE
    handlers: list[Any] = [recorder, urllib.request.ProxyHandler({"http": proxy, "https": proxy} if proxy else {}),
                           urllib.request.HTTPSHandler(context=tls)]
    opener = urllib.request.build_opener(*handlers)
    request = urllib.request.Request(url, headers={"User-Agent": user_agent})
    answer = Answer(url)
    try:
        with opener.open(request, timeout=timeout) as reply:
            body, status, final = reply.read(MAX_BODY), reply.status, reply.url
            content_type = reply.headers.get("Content-Type")
    except urllib.error.HTTPError as exc:
        answer.status, answer.final_url, answer.redirects = exc.code, exc.url, recorder.hops
        answer.outcome = "blocked" if exc.code in BLOCKED else "error"
        answer.error = f"HTTP {exc.code}"
        answer.certificate = _certificate(exc.url, verify)
        return answer
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", None) or exc
        if verify and isinstance(reason, ssl.SSLCertVerificationError):
            unverified = fetch(url, proxy, timeout, user_agent, verify=False)
            if unverified.certificate:
                unverified.certificate += f": {reason.verify_message or reason.reason}"
            return unverified
        answer.error, answer.redirects = str(reason), recorder.hops
        return answer
    answer.status, answer.final_url, answer.redirects = status, final, recorder.hops
    answer.outcome = _moved(url, final)
    answer.certificate = _certificate(final, verify)
    text = decode(body, content_type).text
    from spiders.fingerprint import fingerprint

    answer.family = fingerprint(text)
    answer.site_id = next((m.group(1) for pattern in _SITE_IDS if (m := pattern.search(text))), None)
    return answer


def _certificate(final_url: str, verified: bool) -> str | None:
    if urlsplit(final_url).scheme != "https":
        return None
    return "verified" if verified else "not verified"


def _moved(url: str, final: str) -> str:
    before, after = urlsplit(url), urlsplit(final)
    if (before.scheme, before.netloc) != (after.scheme, after.netloc):
        return "moved"
    return "ok" if final == url else "redirected"


_RANK = {"ok": 0, "redirected": 1, "moved": 2, "blocked": 3, "error": 4, "unreachable": 5}


def check_portal(portal: Portal, proxy: str | None, timeout: float, user_agent: str) -> Check:
    candidates = [portal.home] + ([u for u in portal.start_urls if urlsplit(u).path in ("", "/")]
                                  if portal.needs_check else [])
    answers = [fetch(url, proxy, timeout, user_agent) for url in candidates]
    best = min(answers, key=lambda a: _RANK[a.outcome])
    return Check(portal=portal.name, region_code=portal.region_code,
                 checked_at=datetime.now(UTC).isoformat(timespec="seconds"), home=best.url, outcome=best.outcome,
                 final_url=best.final_url, family=best.family, site_id=best.site_id,
                 site_id_flag=site_id_flag(best.site_id, portal.region_code), answers=answers,
                 certificate=best.certificate)


def save_check(storage: Storage, check: Check) -> None:
    storage.put(check_key(check.portal), json.dumps(asdict(check), ensure_ascii=False, indent=1).encode("utf-8"),
                replace=True)


def load_check(storage: Storage, portal: str) -> dict[str, Any] | None:
    if not storage.exists(check_key(portal)):
        return None
    try:
        return json.loads(storage.get(check_key(portal)))
    except (StorageError, ValueError):
        return None


def checked_portals(portals: Iterable[Portal], storage: Storage) -> list[Portal]:
    """``portals`` with what their last live check found: the page a moved home now answers at (its
    host allowed), and the family when the registry names none."""
    updated = []
    for portal in portals:
        check = load_check(storage, portal.name)
        if check is None:
            updated.append(portal)
            continue
        changes: dict[str, Any] = {}
        if check["outcome"] in ("moved", "redirected") and check["final_url"]:
            host = urlsplit(check["final_url"]).hostname or ""
            changes["home"] = check["final_url"]
            changes["start_urls"] = tuple(u for u in (portal.home, *portal.start_urls) if u != check["final_url"])
            if not any(host == d or host.endswith("." + d) for d in portal.allowed_domains):
                changes["allowed_domains"] = (*portal.allowed_domains, host)
        if portal.family is None and check["family"]:
            changes["family"] = check["family"]
        updated.append(replace(portal, **changes) if changes else portal)
    return updated


def check_line(check: Check) -> str:
    return "\t".join([check.portal, check.outcome, str(next((a.status for a in check.answers if a.url == check.home),
                                                            "-")),
                      check.final_url or check.home, check.family or "-", check.site_id or "-",
                      check.site_id_flag or "-"])


def run_checks(portals: Sequence[Portal], storage: Storage, *, proxy: str | None, concurrency: int, timeout: float,
               user_agent: str) -> list[Check]:
    """Check every portal, ``concurrency`` at a time, saving each result as it comes."""
    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        checks = list(pool.map(lambda p: check_portal(p, proxy, timeout, user_agent), portals))
    for check in checks:
        save_check(storage, check)
    return checks
