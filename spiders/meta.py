"""The ``Request.meta`` keys nianbao's spiders and components pass between them, in one place.

Scrapy's own keys (``playwright``, ``redirect_urls``, ``retry_times`` …) are used under their own names.
"""

# Set by components
RAW_SHA256 = "raw_sha256"  # RawCaptureMiddleware: the SHA-256 of the body as served (its raw/ key)
WARC = "nianbao_warc"  # WarcCaptureMiddleware: the WarcRef of the response record holding the body
VALIDATORS = "nianbao_validators"  # ConditionalGetMiddleware: the ETag/Last-Modified a request was sent with
REVALIDATED = "nianbao_revalidated"  # ConditionalGetMiddleware: a 304 answered by the archived body
UNCONDITIONAL = "nianbao_unconditional"  # ask without validators (the archived body is missing)
CHALLENGE_STAGE = "nianbao_challenge"  # ChallengeEscalationMiddleware: "browser", then "cookies"

# Set by spiders
LIST_PAGE = "nianbao_list_page"  # a later page of a list: as deep as its first (PagingDepthMiddleware)
KNOWN_PAGES = "nianbao_known_pages"  # consecutive list pages that held only known articles (look-back)
ARTICLE = "nianbao_article"  # the DocumentItem a multi-page article's next page belongs to
PENDING = "nianbao_pending"  # that article's pages still to fetch
PAGE = "nianbao_page"  # an attachment's page (its context: title, agency, date)
RANGE_START = "nianbao_range_start"  # Hanweb dataproxy: the first record of the next range
