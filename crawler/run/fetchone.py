"""One document over HTTP for ``nianbao parse URL``: streamed under a size limit and a total deadline,
following redirects within the site only.

It used to read the whole body before checking its size (a 400 MB answer took 867 MB), had no overall
deadline (a server dripping one byte at a time held it for ever), and followed redirects to any host.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from crawler.core.record import Fetched

_CHUNK = 1 << 16


class FetchError(Exception):
    """The document could not be fetched; the message is the reason."""


def same_site(a: str, b: str) -> bool:
    """Whether two URLs are on one site: the same host name, a leading ``www.`` aside."""
    host = lambda url: (urlsplit(url).hostname or "").removeprefix("www.")  # noqa: E731
    return host(a) == host(b)


class _SiteRedirects(urllib.request.HTTPRedirectHandler):
    def __init__(self, start: str, offsite: bool) -> None:
        self.start, self.offsite = start, offsite

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        if not self.offsite and not same_site(self.start, newurl):
            raise FetchError(f"redirected to another site, {newurl} (--follow-offsite follows it)")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch_url(url: str, max_bytes: int, deadline_s: float, offsite: bool = False) -> Fetched:
    """GET ``url``: at most ``max_bytes`` of body, all of it within ``deadline_s`` seconds."""
    deadline = time.monotonic() + deadline_s
    opener = urllib.request.build_opener(_SiteRedirects(url, offsite))
    try:
        with opener.open(url, timeout=min(30.0, deadline_s)) as reply:
            declared = reply.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise FetchError(f"{declared} bytes, over the {max_bytes}-byte limit")
            chunks, size = [], 0
            while chunk := reply.read1(_CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise FetchError(f"more than {max_bytes} bytes, over the limit")
                if time.monotonic() > deadline:
                    raise FetchError(f"took longer than {deadline_s:g}s")
                chunks.append(chunk)
            return Fetched(body=b"".join(chunks), url=url, final_url=reply.url, status=reply.status,
                           content_type=reply.headers.get("Content-Type"))
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise FetchError(str(getattr(exc, "reason", None) or exc)) from exc
