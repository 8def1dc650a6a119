"""The broker keys of one distributed run (``nianbao:<crawl-id>:…``), kept a week after their last write."""

from __future__ import annotations

from dataclasses import dataclass

RUNS = "nianbao:runs"  # sorted set: crawl ids by their start time
KEEP_SECONDS = 7 * 24 * 3600


@dataclass(frozen=True)
class RunKeys:
    crawl_id: str

    def _key(self, name: str) -> str:
        return f"nianbao:{self.crawl_id}:{name}"

    @property
    def jobs(self) -> str:  # hash: job → its portals (JSON list)
        return self._key("jobs")

    @property
    def attempts(self) -> str:  # hash: job → how many times a worker started it
        return self._key("attempts")

    @property
    def running(self) -> str:  # hash: job → "worker pid" of the attempt holding its lock
        return self._key("running")

    @property
    def done(self) -> str:  # set of finished jobs
        return self._key("done")

    @property
    def results(self) -> str:  # list of job results (JSON), pushed as jobs finish
        return self._key("results")

    def lock(self, job: str) -> str:  # the host group's lock
        return self._key(f"lock:{job}")
