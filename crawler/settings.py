"""Scrapy settings and every NIANBAO_* default, in one place (see docs/SETTINGS.md)."""

import os

from crawler.core.readers.common import Limits as _ReaderLimits

_reader_limits = _ReaderLimits()  # the readers' own defaults: defined once, there

BOT_NAME = "nianbao"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"

TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
# ASCII only: requests followed from a GBK page encode their headers as GBK (Scrapy's response.follow),
# and a non-ASCII User-Agent then breaks robots.txt matching on every GBK portal.
USER_AGENT = "nianbao/0.1 (research archive of government information disclosure annual reports; obeys robots.txt)"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
# Polite by default: at most 2 requests in flight per portal, AutoThrottle adapting the delay to latency.
CONCURRENT_REQUESTS_PER_DOMAIN = 2
# Scrapy's downloader with the per-portal limit above actually held (crawler/engine/downloader.py says why).
DOWNLOADER = "crawler.engine.downloader.PoliteDownloader"
# Scrapy starts this many tasks for every response's output, however short (a page yields one item and a
# few links): its default of 100 cost the crawl process about a tenth of its CPU (docs/BENCHMARKS.md).
CONCURRENT_ITEMS = 8
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 30
RETRY_TIMES = 2
REDIRECT_MAX_TIMES = 5
# Bounds chains of links (hub → column → sub-column …); a list's own pages keep its first page's depth and
# are bounded by the page count the list prints (crawler/spidermiddlewares/paging.py).
DEPTH_LIMIT = 8
SPIDER_MIDDLEWARES = {
    "scrapy.spidermiddlewares.depth.DepthMiddleware": None,
    "crawler.spidermiddlewares.paging.PagingDepthMiddleware": 900,
}
# Follow only instant <meta refresh> (home pages that forward); a delayed one is a notice to read first
# ("内容已删除，3秒后返回首页"), which is recorded as the page it is rather than dropped as a redirect.
METAREFRESH_MAXDELAY = 1
TELNETCONSOLE_ENABLED = False
# An unattended crawler opens no control port: Scrapy 2.19 starts its remote-control HTTP server otherwise.
REMOTE_CONTROL_ENABLED = False
# Feed exports (scrapy crawl … -O out.jsonl) write Chinese as UTF-8, as Scrapy's project template sets it.
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"

# Where the archive lives: a directory path (default) or s3://bucket/prefix (storage/s3.py).
NIANBAO_ARCHIVE_URI = "archive"
# Writes a remote archive cannot take (after its retries) are kept here and uploaded by the next run;
# the crawl stops cleanly meanwhile (crawler/extensions/archivehealth.py). Empty: no spool, a failed write is an error.
NIANBAO_SPOOL_DIR = ".nianbao/spool"
# Pending requests wait on disk (crawler/engine/frontier.py), so a big portal's frontier does not grow the crawler's
# memory; in a throwaway directory under this one (empty: the system's temporary directory), removed at close.
SCHEDULER = "crawler.engine.frontier.DiskFrontierScheduler"
NIANBAO_FRONTIER_DIR = ""
# Identifies this run in runs/<crawl-id>.json; generated from the clock when empty.
NIANBAO_CRAWL_ID = ""
# Portals crawled at the same time in one run; the next starts when one ends (crawler/run/runner.py).
NIANBAO_PORTALS_AT_ONCE = 8
# A run over more portals crawls them in child processes, this many each, one after another, so its memory
# stays bounded (crawler/run/portalbatches.py); 0: every portal in the one crawl process.
NIANBAO_PORTALS_PER_PROCESS = 100
# An http:// proxy every request goes through (the sample portals are reached this way); empty: none.
NIANBAO_PROXY = ""
# Append docs/FORMATS.md check 5 (against the same agency's previous-year record in the archive).
NIANBAO_CROSS_YEAR_CHECKS = True
# Document readers (crawler/core/documents.py): bodies over this many bytes are not parsed, PDFs over
# this many pages are refused, and each PDF/Office read runs in a child process killed after the timeout.
NIANBAO_MAX_DOCUMENT_BYTES = _reader_limits.max_bytes
NIANBAO_MAX_PDF_PAGES = _reader_limits.max_pages
NIANBAO_READER_TIMEOUT = _reader_limits.timeout_s
# HTML and text are parsed in the parse worker itself, bounded as the readers are (crawler/core/guard.py):
# by NIANBAO_READER_TIMEOUT and this many bytes of address space added by one parse.
NIANBAO_MAX_PARSE_MEMORY = _reader_limits.max_parse_memory_bytes
# Image-only PDF pages read by tesseract (when installed with its chi_sim model) per document; 0: no OCR.
NIANBAO_OCR_MAX_PAGES = _reader_limits.max_ocr_pages
# Processes the pipeline parses documents in (crawler/run/extractpool.py): 0 one per CPU, -1 none (a thread).
NIANBAO_EXTRACT_PROCESSES = 0
# WARC capture (docs/ARCHIVE.md "WARC files"): request and response/revisit records of every fetch in
# warc/<crawl-id>/nianbao-<crawl-id>-<serial>-<host>.warc.gz, a conversion record of each new text in the
# crawl's text WARC wet/<crawl-id>/….warc.wet.gz; a file is uploaded once it holds NIANBAO_WARC_MAX_BYTES
# (compressed; read whole into memory for the upload) and when the crawl closes.
NIANBAO_WARC = True
NIANBAO_WARC_MAX_BYTES = 256 * 1024 * 1024
# The writer's name in WARC file names (default this machine's): each job of a distributed run names its own,
# so two jobs of one crawl id on one machine never write the same file name.
NIANBAO_WARC_HOST = ""
# Incremental crawling (docs/OPERATIONS.md): per-portal state in the archive (state/<portal>.json) with
# each URL's ETag/Last-Modified and the documents already done; saved every this many seconds and at the end.
NIANBAO_CRAWL_STATE = True
NIANBAO_STATE_SAVE_INTERVAL = 30.0
# Stop paging a column after this many consecutive list pages that held only known articles; 0: every page.
NIANBAO_LOOKBACK_PAGES = 1
# Keep only records of these reporting years (e.g. "2008-2024", set by `nianbao backfill`); empty: all.
NIANBAO_YEARS = ""
# Longest wait, in seconds, for a 429/503's Retry-After before the retry; 0: do not wait.
NIANBAO_RETRY_AFTER_MAX = 120.0
# Mail address or URL appended to the User-Agent, so a portal's operator can reach whoever runs the crawl.
NIANBAO_CONTACT = ""
# Progress while crawling (crawler/extensions/progress.py): bar (a live table on a terminal: the CLI's choice when
# stderr is one), log (a line per portal every NIANBAO_PROGRESS_INTERVAL seconds: the CLI's choice under
# cron), off (scrapy crawl's default: Scrapy's LogStats reports there).
NIANBAO_PROGRESS = "off"
NIANBAO_PROGRESS_INTERVAL = 60.0
# Scrapy cancels larger downloads (a 200 MB "report") before they reach the readers.
DOWNLOAD_MAXSIZE = 64 * 1024 * 1024

# Drop redirects that leave the portal's allowed_domains even when Scrapy's OffsiteMiddleware would not
# (retried requests carry dont_filter, and their redirects inherit it): crawler/downloadermiddlewares/offsite.py.
NIANBAO_REDIRECT_GUARD = True
# Browser (docs/BROWSER.md): Debian's Chromium, driven by scrapy-playwright, started only for pages that need it.
NIANBAO_CHROMIUM = os.environ.get("NIANBAO_CHROMIUM", "/usr/bin/chromium")
NIANBAO_CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# Re-fetch anti-bot challenge answers (412/521 with $_ts or __jsluid, 请稍候 pages) with the browser.
NIANBAO_BROWSER_ESCALATION = True
# How long Chromium may take to run a challenge's script and load the page it reloads (ms).
NIANBAO_CHALLENGE_TIMEOUT = 15000
DOWNLOAD_HANDLERS = {
    "http": "crawler.engine.browser.BrowserDownloadHandler",
    "https": "crawler.engine.browser.BrowserDownloadHandler",
}
PLAYWRIGHT_MAX_CONTEXTS = 2
PLAYWRIGHT_MAX_PAGES_PER_CONTEXT = 4
PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT = 30000
# The browser sends its own headers and cookies (a challenge's script cookie must reach the reload).
PLAYWRIGHT_PROCESS_REQUEST_HEADERS = None

DOWNLOADER_MIDDLEWARES = {  # by order number: process_request runs low to high, process_response high to low
    # Next to Scrapy's OffsiteMiddleware (50).
    "crawler.downloadermiddlewares.offsite.RedirectGuardMiddleware": 55,
    "scrapy.downloadermiddlewares.useragent.UserAgentMiddleware": None,
    "crawler.downloadermiddlewares.useragent.ContactUserAgentMiddleware": 500,
    # Below RawCapture: reads the raw_sha256 it sets; turns a 304 into the archived body.
    "crawler.downloadermiddlewares.conditional.ConditionalGetMiddleware": 570,
    # Below HttpCompressionMiddleware (590): sees bodies after content decoding, as served.
    "crawler.downloadermiddlewares.rawcapture.RawCaptureMiddleware": 580,
    # Above RawCaptureMiddleware: a challenge answer is re-fetched, not archived as the page.
    "crawler.downloadermiddlewares.escalation.ChallengeEscalationMiddleware": 585,
    # Before HttpProxyMiddleware (750), which turns meta["proxy"] into the connection.
    "crawler.downloadermiddlewares.proxy.PortalProxyMiddleware": 740,
    # Above Redirect (600) and HttpCompression (590): records 3xx and still-encoded bodies (why: its docstring).
    "crawler.downloadermiddlewares.warccapture.WarcCaptureMiddleware": 860,
}
ITEM_PIPELINES = {
    "pipelines.extract.ExtractPipeline": 100,
    "pipelines.years.YearFilterPipeline": 150,
    "pipelines.dedup.DedupPipeline": 200,
    "pipelines.crossyear.CrossYearPipeline": 250,
    "pipelines.conversion.ConversionPipeline": 260,
    "pipelines.archive.ArchivePipeline": 300,
}
EXTENSIONS = {
    "scrapy.extensions.throttle.AutoThrottle": None,
    "crawler.extensions.throttle.RevalidatingAutoThrottle": 0,
    "crawler.extensions.runreport.PortalReport": 500,
    "crawler.extensions.archivehealth.ArchiveHealth": 505,
    "crawler.extensions.crawlstate.CrawlStateKeeper": 510,
    "crawler.extensions.progress.RunProgress": 520,
    # Holds a portal's download slot for a 429/503's Retry-After before Scrapy retries.
    "crawler.extensions.retryafter.RetryAfterHold": 530,
}
