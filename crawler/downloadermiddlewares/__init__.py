"""Downloader middlewares, one per module, named after it; their order numbers are in crawler/settings.py.

offsite (redirects stay on the portal), useragent (the contact in the User-Agent), conditional
(conditional GET against the crawl state), rawcapture (every body kept as served), escalation (anti-bot
challenges to Chromium and back), proxy (``NIANBAO_PROXY``), warccapture (request and response records
of every fetch).
"""
