"""Is this answer an anti-bot challenge (瑞数 412, 加速乐 521, "请稍候" pages) rather than the page asked for?

Challenges are tiny pages whose script sets a cookie and reloads; a real browser passes them. The
crawler re-fetches such a page with a browser (crawler/downloadermiddlewares/escalation.py) instead of recording it.
"""

from __future__ import annotations

# Script markers of the two WAFs met on county portals, and the words of their interstitial pages.
SCRIPT_MARKERS = ("$_ts", "__jsluid", "__jsl_clearance")
TEXT_MARKERS = ("请稍候", "安全验证", "访问异常")
CHALLENGE_STATUSES = frozenset({412, 521})
TINY_BODY = 500  # bytes: a challenge status with a body this small is a challenge even without a marker
SMALL_BODY = 8 * 1024  # bytes: other statuses need a marker and a script in a body this small


def challenge_reason(status: int, body: bytes) -> str | None:
    """Why ``status`` + ``body`` is a challenge, or None when it looks like an ordinary answer."""
    marker = _marker(body)
    if status in CHALLENGE_STATUSES:
        if marker:
            return f"HTTP {status} with {marker}"
        if len(body) < TINY_BODY:
            return f"HTTP {status} with a {len(body)}-byte body"
        return None
    if marker and len(body) < SMALL_BODY and b"<script" in body.lower():
        return f"HTTP {status}: {len(body)}-byte scripted page with {marker}"
    return None


def _marker(body: bytes) -> str | None:
    for marker in SCRIPT_MARKERS:
        if marker.encode() in body:
            return marker
    for encoding in ("utf-8", "gb18030"):
        text = body.decode(encoding, errors="ignore")
        for marker in TEXT_MARKERS:
            if marker in text:
                return marker
    return None
