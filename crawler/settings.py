"""Scrapy settings and every NIANBAO_* default, in one place (see docs/SETTINGS.md)."""

import os

BOT_NAME = "nianbao"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"

TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
USER_AGENT = "nianbao/0.1 (research archive of 政府信息公开工作年度报告; polite, obeys robots.txt)"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 8
DOWNLOAD_TIMEOUT = 30
RETRY_TIMES = 2
REDIRECT_MAX_TIMES = 5
DEPTH_LIMIT = 8
TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "INFO"

# Where the archive lives: a directory path (default) or, later, s3://bucket/prefix.
NIANBAO_ARCHIVE_URI = "archive"
# Identifies this run in runs/<crawl-id>.json; generated from the clock when empty.
NIANBAO_CRAWL_ID = ""
# An http:// proxy every request goes through (the sample portals are reached this way); empty: none.
NIANBAO_PROXY = ""
# Append FORMATS.md check 5 (against the same agency's previous-year record in the archive).
NIANBAO_CROSS_YEAR_CHECKS = True
# Document readers (crawler/core/documents.py): bodies over this many bytes are not parsed, PDFs over
# this many pages are refused, and each PDF/Office read runs in a child process killed after the timeout.
NIANBAO_MAX_DOCUMENT_BYTES = 50 * 1024 * 1024
NIANBAO_MAX_PDF_PAGES = 300
NIANBAO_READER_TIMEOUT = 60
# Image-only PDF pages read by tesseract (when installed with its chi_sim model) per document; 0: no OCR.
NIANBAO_OCR_MAX_PAGES = 10
# Scrapy cancels larger downloads (a 200 MB "report") before they reach the readers.
DOWNLOAD_MAXSIZE = 64 * 1024 * 1024

# Browser (docs/BROWSER.md): Debian's Chromium, driven by scrapy-playwright, started only for pages that need it.
NIANBAO_CHROMIUM = os.environ.get("NIANBAO_CHROMIUM", "/usr/bin/chromium")
NIANBAO_CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# Re-fetch anti-bot challenge answers (412/521 with $_ts or __jsluid, 请稍候 pages) with the browser.
NIANBAO_BROWSER_ESCALATION = True
# How long Chromium may take to run a challenge's script and load the page it reloads (ms).
NIANBAO_CHALLENGE_TIMEOUT = 15000
DOWNLOAD_HANDLERS = {
    "http": "crawler.browser.BrowserDownloadHandler",
    "https": "crawler.browser.BrowserDownloadHandler",
}
PLAYWRIGHT_MAX_CONTEXTS = 2
PLAYWRIGHT_MAX_PAGES_PER_CONTEXT = 4
PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT = 30000
# The browser sends its own headers and cookies (a challenge's script cookie must reach the reload).
PLAYWRIGHT_PROCESS_REQUEST_HEADERS = None

DOWNLOADER_MIDDLEWARES = {
    # Before HttpProxyMiddleware (750), which turns meta["proxy"] into the connection.
    "crawler.middlewares.PortalProxyMiddleware": 740,
    # Below HttpCompressionMiddleware (590): sees bodies after content decoding, as served.
    "crawler.middlewares.RawCaptureMiddleware": 580,
    # Above RawCaptureMiddleware: a challenge answer is re-fetched, not archived as the page.
    "crawler.escalation.ChallengeEscalationMiddleware": 585,
}
ITEM_PIPELINES = {
    "pipelines.extract.ExtractPipeline": 100,
    "pipelines.dedup.DedupPipeline": 200,
    "pipelines.crossyear.CrossYearPipeline": 250,
    "pipelines.archive.ArchivePipeline": 300,
}
EXTENSIONS = {
    "crawler.runreport.PortalReport": 500,
}
