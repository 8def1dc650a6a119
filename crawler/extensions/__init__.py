"""Scrapy extensions, one per module: runreport (each portal's outcome for the run report), archivehealth
(stop cleanly when the archive stops taking writes), crawlstate (a portal's state kept in the archive),
progress (the run's display), throttle (AutoThrottle that lets a 304 lower the delay), retryafter (a
429/503's Retry-After holds the portal's download slot)."""
