"""The spider class for each CMS family, and the family of a portal told by its home page."""

from __future__ import annotations

import re

from spiders.base import PortalSpider
from spiders.generic import GenericSpider
from spiders.gkmlpt import GkmlptSpider
from spiders.hanweb import HanwebSpider
from spiders.querystring import QueryStringSpider
from spiders.rendered import JsListSpider
from spiders.trs import TrsSpider
from spiders.ucap import UcapSpider

SPIDERS: dict[str, type[PortalSpider]] = {
    "trs": TrsSpider, "hanweb": HanwebSpider, "ucap": UcapSpider, "gkmlpt": GkmlptSpider,
    "querystring": QueryStringSpider, "jslist": JsListSpider,
}
# Markers of each family in a page (docs/PORTALS.md "CMS families"), tried in this order.
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


class _TextOnlySpider(GenericSpider):
    """The registry's family "generic": links by text, no fingerprinting."""

    name = "generic_text"
    fingerprint = False


def spider_for(family: str | None) -> type[PortalSpider]:
    """The family's spider; no family: fingerprint the home page (``GenericSpider``)."""
    if family == "generic":
        return _TextOnlySpider
    return SPIDERS.get(family or "", GenericSpider)
