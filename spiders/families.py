"""The spider class for each CMS family (the family told by a home page: spiders/fingerprint.py)."""

from __future__ import annotations

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
class _TextOnlySpider(GenericSpider):
    """The registry's family "generic": links by text, no fingerprinting."""

    name = "generic_text"
    fingerprint = False


def spider_for(family: str | None) -> type[PortalSpider]:
    """The family's spider; no family: fingerprint the home page (``GenericSpider``)."""
    if family == "generic":
        return _TextOnlySpider
    return SPIDERS.get(family or "", GenericSpider)
