"""The archive as the crawl leaves it: its layout (every key, in layout.py), report records and texts,
the report index, crawl state, WARC files, damaged objects, verify and reparse. Scrapy-free: the
commands that only read or repair an archive never load Scrapy."""
