"""A crawl spread over workers (docs/OPERATIONS.md): Celery on a Redis broker runs portal jobs, each a
``nianbao`` crawl of one host group in a child process; the archive's shared documents are written by
compare-and-swap (storage/cas.py)."""
