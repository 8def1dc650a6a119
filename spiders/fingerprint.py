"""The CMS family of a portal, told by the markers its home page carries (docs/PORTALS.md "CMS families")."""

from __future__ import annotations

import re

# Markers of each family in a page, tried in this order.
FINGERPRINTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("gkmlpt", re.compile(r"window\._CONFIG|/gkmlpt/")),
    ("hanweb", re.compile(r"/col/col\d+/|/module/(web|jslib|xxgk)/|hanweb", re.I)),
    ("ucap", re.compile(r"ucap|/\d{6}/[0-9a-f]{32}\.shtml\b", re.I)),
    ("querystring", re.compile(r"\.(aspx|jsp|php|asp)\?(\w+=\w*&)*(cid|classid|columnid|catid)=\d+|__VIEWSTATE", re.I)),
    ("trs", re.compile(r"(^|/)t\d{8}_\d+\.s?html?|createPageHTML|var\s+countPage\b|TRS_Editor|trs_", re.I)),
)
# Weaker hints, only when no family's marker is there: every government site carries <meta name="SiteIDCode">
# (its 网站标识码), TRS sites serve .shtml too; a page with only these is most likely UCAP.
HINTS: tuple[tuple[str, re.Pattern[str]], ...] = (("ucap", re.compile(r"SiteIDCode|\.shtml\b", re.I)),)


def fingerprint(html: str) -> str | None:
    """The family whose markers the page carries first, else whose hints; None when neither."""
    return next((family for family, marker in (*FINGERPRINTS, *HINTS) if marker.search(html)), None)
