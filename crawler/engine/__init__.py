"""Subclasses of Scrapy and scrapy-playwright internals: the downloader (per-portal concurrency held),
the frontier on disk, the browser download handler. README.md in this folder names every private name
they rely on; tests/components/test_private_names.py fails when an upgrade removes one."""
