"""Archive keys and bytes of the derived documents (docs/DESIGN.md "Archive layout")."""

from __future__ import annotations

import json
from typing import Any


def record_bytes(record: dict[str, Any]) -> bytes:
    return (json.dumps(record, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


