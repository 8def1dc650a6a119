"""A TRS-style portal behind an anti-bot challenge that only a JavaScript engine passes.

Every request without the right cookies gets the challenge: a tiny page with a status of its own and
an inline script that computes a cookie from a server nonce, sets it and reloads. Two styles:

- ``RUISHU`` (瑞数): HTTP 412, a ``$_ts`` script; the reply sets ``FSSBBIl1UgzbN7N80S`` (the nonce) by
  header and the script sets ``FSSBBIl1UgzbN7N80T`` (its hash).
- ``JIASULE`` (加速乐): HTTP 521; the reply sets ``__jsluid_h`` and the script ``__jsl_clearance``.

A plain HTTP client keeps the header cookie but never gets the computed one, so it sees only the
challenge. Behind it: home → 政府信息公开年报 column (one page) → generated reports and one look-alike.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from http.cookies import SimpleCookie

from sampleportal.farm.app import Reply, Request
from sampleportal.farm.articles import HTML, NOT_FOUND, ArticleColumn, column_articles, ok
from sampleportal.farm.portal import PortalConfig, portal_seed

COLUMN = "/xxgk/zfxxgknb/"
# FNV-1a over the nonce, in 32 bits: the "computation" both the script and the server do.
_HASH_JS = ("function h(s){var x=2166136261;for(var i=0;i<s.length;i++){x=Math.imul(x^s.charCodeAt(i),16777619)>>>0}"
            "return x.toString(16)}")


@dataclass(frozen=True)
class Challenge:
    status: int
    issued: str  # cookie set by the challenge reply's header: the nonce
    computed: str  # cookie the script sets: "<prefix>" + h(nonce)
    script: str  # the inline script; {nonce} and {hash_js} are filled in
    prefix: str = ""

    def page(self, nonce: str) -> bytes:
        script = self.script.replace("{nonce}", nonce).replace("{hash_js}", _HASH_JS)
        return f'<!DOCTYPE html><html><head><meta charset="utf-8">{script}</head><body></body></html>'.encode()


RUISHU = Challenge(
    412, "FSSBBIl1UgzbN7N80S", "FSSBBIl1UgzbN7N80T",
    '<script>var $_ts=window["$_ts"];if(!$_ts)$_ts=window["$_ts"]={};$_ts.nsd=31337;$_ts.cd="{nonce}";</script>'
    '<script>(function(){{hash_js}document.cookie="FSSBBIl1UgzbN7N80T="+h($_ts.cd)+"; path=/";'
    "location.reload()})()</script>",
)
JIASULE = Challenge(
    521, "__jsluid_h", "__jsl_clearance",
    "<script>{hash_js}document.cookie=('__jsl_clearance=')+('1700000000.0|0|'+h('{nonce}'))+';max-age=3600;path=/';"
    "location.href=location.pathname+location.search</script>",
    prefix="1700000000.0|0|",
)


def fnv1a(text: str) -> str:
    value = 2166136261
    for char in text:
        value = ((value ^ ord(char)) * 16777619) & 0xFFFFFFFF
    return format(value, "x")


class ChallengePortal(ArticleColumn):
    """PortalApp: a small 年报 column served only to clients that ran the challenge's script."""

    def __init__(self, host: str, challenge: Challenge = RUISHU, reports: int = 3, seed: int = 41) -> None:
        self.host = host
        self.challenge = challenge
        self.nonce = hashlib.sha256(host.encode()).hexdigest()[:16]
        self.articles = column_articles(seed, COLUMN, reports)
        rows = "".join(f'<li><a href=".{a.path[len(COLUMN) - 1:]}">{a.title}</a><span>{a.posted}</span></li>'
                       for a in self.articles)
        self.pages = {
            "/": '<html><head><meta charset="utf-8"><title>政府门户网站</title></head><body>'
                 f'<a href="{COLUMN}index.html">政府信息公开年报</a></body></html>',
            f"{COLUMN}index.html": '<html><head><meta charset="utf-8"><title>政府信息公开年报</title></head>'
                                   f'<body><ul class="list">{rows}</ul></body></html>',
            **{a.path: a.page for a in self.articles},
        }

    def handle(self, request: Request) -> Reply:
        if not self.passed(request.headers.get("cookie", "")):
            cookie = f"{self.challenge.issued}={self.nonce}; Path=/; HttpOnly"
            return Reply(self.challenge.status, self.challenge.page(self.nonce),
                         (("Content-Type", HTML), ("Set-Cookie", cookie)))
        if request.path == "/robots.txt":
            return ok("User-agent: *\nDisallow: /search/\n", "text/plain")
        page = self.pages.get(request.path)
        return NOT_FOUND if page is None else ok(page)

    def passed(self, cookie_header: str) -> bool:
        jar = SimpleCookie()
        jar.load(cookie_header)
        issued, computed = jar.get(self.challenge.issued), jar.get(self.challenge.computed)
        return (issued is not None and computed is not None and issued.value == self.nonce
                and computed.value == self.challenge.prefix + fnv1a(self.nonce))


def challenge_portal(config: PortalConfig) -> ChallengePortal:
    """A farm.toml entry: ``challenge = "ruishu" | "jiasule"``, ``reports`` (default 3)."""
    challenge = {"ruishu": RUISHU, "jiasule": JIASULE}[config.options.get("challenge", "ruishu")]
    return ChallengePortal(config.host, challenge, int(config.options.get("reports", 3)), seed=portal_seed(config))
