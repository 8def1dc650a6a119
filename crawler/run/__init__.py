"""Running crawls: the ``nianbao`` command (cli), the runner (a run in this process, one crawler per portal,
or in batches of child processes), the run session (what the crawlers of a run share), backfill, the
summary and exit status, the parse processes, the WARC writer thread, the progress display, and the
one-document fetch of ``nianbao parse URL``."""
