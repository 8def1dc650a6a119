"""The spider class for each CMS family named in the portal registry."""

from __future__ import annotations

from spiders.base import PortalSpider
from spiders.rendered import JsListSpider
from spiders.trs import TrsSpider

SPIDERS: dict[str, type[PortalSpider]] = {"trs": TrsSpider, "jslist": JsListSpider}


def spider_for(family: str | None) -> type[PortalSpider]:
    """The family's spider; a portal with no family (or one without its own spider yet) gets TRS's."""
    return SPIDERS.get(family or "trs", TrsSpider)
