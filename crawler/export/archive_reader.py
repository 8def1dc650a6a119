"""Read every report record of an archive, in key order."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from crawler.archive.layout import REPORTS
from storage import Storage


def iter_records(storage: Storage) -> Iterator[tuple[str, bytes, dict[str, Any]]]:
    """(key, record bytes, record) for each reports/<year>/<report_id>.json, sorted by key."""
    for key in sorted(storage.keys(REPORTS)):
        if key.endswith(".json"):
            data = storage.get(key)
            yield key, data, json.loads(data)
