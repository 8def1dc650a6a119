"""The spider class for each CMS family (the family told by a home page: spiders/fingerprint.py; a
portal of no family gets ``spiders.generic.spider_for``'s choice)."""

from __future__ import annotations

from spiders.base import PortalSpider
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
