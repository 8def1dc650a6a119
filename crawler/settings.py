"""Scrapy settings and every NIANBAO_* default, in one place (see docs/SETTINGS.md)."""

BOT_NAME = "nianbao"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"

TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
# ASCII only: requests followed from a GBK page encode their headers as GBK (Scrapy's response.follow),
# and a non-ASCII User-Agent then breaks robots.txt matching on every GBK portal.
USER_AGENT = "nianbao/0.1 (research archive of government information disclosure annual reports; obeys robots.txt)"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 8
DOWNLOAD_TIMEOUT = 30
RETRY_TIMES = 2
REDIRECT_MAX_TIMES = 5
DEPTH_LIMIT = 8
# Follow only instant <meta refresh> (home pages that forward); a delayed one is a notice to read first
# ("内容已删除，3秒后返回首页"), which is recorded as the page it is rather than dropped as a redirect.
METAREFRESH_MAXDELAY = 1
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

# Drop redirects that leave the portal's allowed_domains even when Scrapy's OffsiteMiddleware would not
# (retried requests carry dont_filter, and their redirects inherit it): crawler/offsite.py.
NIANBAO_REDIRECT_GUARD = True

DOWNLOADER_MIDDLEWARES = {
    # Next to Scrapy's OffsiteMiddleware (50).
    "crawler.offsite.RedirectGuardMiddleware": 55,
    # Before HttpProxyMiddleware (750), which turns meta["proxy"] into the connection.
    "crawler.middlewares.PortalProxyMiddleware": 740,
    # Below HttpCompressionMiddleware (590): sees bodies after content decoding, as served.
    "crawler.middlewares.RawCaptureMiddleware": 580,
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
