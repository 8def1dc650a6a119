"""Imported by the forkserver the parse workers come from (``set_forkserver_preload``), so it ends with
the crawl that started it (crawler/core/orphans.py); its workers watch the crawl themselves."""

from crawler.core.orphans import die_with_parent

die_with_parent()
