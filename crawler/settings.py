"""Scrapy settings and every NIANBAO_* default, in one place (see docs/SETTINGS.md)."""

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

# Where the archive lives: a directory path (default) or s3://bucket/prefix (storage/s3.py).
NIANBAO_ARCHIVE_URI = "archive"
# Writes a remote archive cannot take (after its retries) are kept here and uploaded by the next run;
# the crawl stops cleanly meanwhile (crawler/archivehealth.py). Empty: no spool, a failed write is an error.
NIANBAO_SPOOL_DIR = ".nianbao/spool"
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
# WARC capture (docs/ARCHIVE.md "WARC files"): request and response/revisit records of every fetch and a
# conversion record of each new text, in warc/<crawl-id>/<n>.warc.gz; a file is uploaded once it holds
# NIANBAO_WARC_MAX_BYTES (compressed; read whole into memory for the upload) and when the crawl closes.
NIANBAO_WARC = True
NIANBAO_WARC_MAX_BYTES = 256 * 1024 * 1024
# Scrapy cancels larger downloads (a 200 MB "report") before they reach the readers.
DOWNLOAD_MAXSIZE = 64 * 1024 * 1024

DOWNLOADER_MIDDLEWARES = {
    # Before HttpProxyMiddleware (750), which turns meta["proxy"] into the connection.
    "crawler.middlewares.PortalProxyMiddleware": 740,
    # Below HttpCompressionMiddleware (590): sees bodies after content decoding, as served.
    "crawler.middlewares.RawCaptureMiddleware": 580,
    # Above Redirect (600) and HttpCompression (590): records 3xx and still-encoded bodies (why: its docstring).
    "crawler.warccapture.WarcCaptureMiddleware": 860,
}
ITEM_PIPELINES = {
    "pipelines.extract.ExtractPipeline": 100,
    "pipelines.dedup.DedupPipeline": 200,
    "pipelines.crossyear.CrossYearPipeline": 250,
    "pipelines.conversion.ConversionPipeline": 260,
    "pipelines.archive.ArchivePipeline": 300,
}
EXTENSIONS = {
    "crawler.runreport.PortalReport": 500,
    "crawler.archivehealth.ArchiveHealth": 510,
}
