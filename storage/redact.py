"""Signed S3 request details kept out of the logs: at ``--log-level DEBUG`` botocore logs every request's
headers (``Authorization: AWS4-HMAC-SHA256 Credential=…, Signature=…``, ``X-Amz-Security-Token``) and
each signature it computes; this filter replaces those values with ``[redacted]``."""

from __future__ import annotations

import logging
import re

_SECRETS = re.compile(
    r"""(?P<name>(?:Authorization|X-Amz-Security-Token)['"]?\s*:\s*b?['"])[^'"]*"""  # a header in a dict or a line
    r"""|(?P<signature>Signature[:=]\s*)[0-9a-f]{16,}""",  # botocore.auth's "Signature:\n<hex>", Signature=<hex>
    re.IGNORECASE,
)
_LOGGERS = ("botocore.auth", "botocore.endpoint", "botocore.awsrequest", "botocore.parsers", "botocore.hooks")


class RedactSigned(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = _SECRETS.sub(lambda m: (m.group("name") or m.group("signature")) + "[redacted]", message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


_FILTER = RedactSigned()


def redact_signed_requests() -> None:
    """Attach the filter to the botocore loggers that log signed requests (once)."""
    for name in _LOGGERS:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
