"""No secret in a log line: one filter on the root handlers masks known secrets and
credential-shaped text (given as patterns whose first group is kept), whoever logs."""
from __future__ import annotations

import logging
import re

MASK = "***"


class RedactSecrets(logging.Filter):
    def __init__(self, secrets: tuple[str, ...], patterns: tuple[re.Pattern[str], ...] = ()):
        super().__init__("redact-secrets")
        self.secrets = tuple(s for s in secrets if len(s) >= 4)
        self.patterns = patterns

    def clean(self, text: str) -> str:
        for secret in self.secrets:
            if secret in text:
                text = text.replace(secret, MASK)
        for pattern in self.patterns:
            text = pattern.sub(lambda m: m.group(1) + MASK, text)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            text = record.getMessage()
        except Exception:
            return True
        clean = self.clean(text)
        if clean != text:
            record.msg, record.args = clean, None
        if record.exc_info and record.exc_text is None:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.clean(record.exc_text)
        return True


def install(secrets: tuple[str, ...], patterns: tuple[re.Pattern[str], ...] = ()) -> RedactSecrets:
    """Attach to the root logger's handlers (configured by `advocacy serve` before adapters start)."""
    flt = RedactSecrets(secrets, patterns)
    root = logging.getLogger()
    for handler in root.handlers:
        handler.addFilter(flt)
    if not root.handlers:
        root.addFilter(flt)
    return flt
