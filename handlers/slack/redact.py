"""No token or secret in a log line: a filter on every log handler masks them, whoever logs."""
from __future__ import annotations

import logging
import re

MASK = "***"
TICKET = re.compile(r"(ticket=)[^&\s'\"]+")


class RedactSecrets(logging.Filter):
    def __init__(self, secrets: tuple[str, ...]):
        super().__init__("redact-slack-secrets")
        self.secrets = tuple(s for s in secrets if len(s) >= 6)

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            text = record.getMessage()
        except Exception:
            return True
        clean = text
        for secret in self.secrets:
            if secret in clean:
                clean = clean.replace(secret, MASK)
        if "ticket=" in clean:  # Socket Mode connection URLs carry a one-time credential
            clean = TICKET.sub(r"\1" + MASK, clean)
        if clean is not text:
            record.msg, record.args = clean, None
        if record.exc_info and record.exc_text is None:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            for secret in self.secrets:
                record.exc_text = record.exc_text.replace(secret, MASK)
        return True


def install(secrets: tuple[str, ...]) -> RedactSecrets:
    """Attach to the root logger's handlers (configured by `advocacy serve` before adapters start)."""
    flt = RedactSecrets(secrets)
    root = logging.getLogger()
    for handler in root.handlers:
        if not any(isinstance(f, RedactSecrets) for f in handler.filters):
            handler.addFilter(flt)
    if not root.handlers:
        root.addFilter(flt)
    return flt
