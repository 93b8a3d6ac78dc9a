"""The app password never reaches a log line: a filter on the root handlers masks it, whoever logs.
Bearer tokens (ours to the connector, theirs to us) are masked too."""
from __future__ import annotations

import logging
import re

MASK = "***"
BEARER = re.compile(r"(Bearer\s+)[A-Za-z0-9\-_.=+/]{12,}")


class RedactTeamsSecrets(logging.Filter):
    def __init__(self, secrets: tuple[str, ...]):
        super().__init__("redact-teams-secrets")
        self.secrets = tuple(s for s in secrets if len(s) >= 4)

    def _clean(self, text: str) -> str:
        for secret in self.secrets:
            if secret in text:
                text = text.replace(secret, MASK)
        if "Bearer" in text:
            text = BEARER.sub(r"\1" + MASK, text)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            text = record.getMessage()
        except Exception:
            return True
        clean = self._clean(text)
        if clean != text:
            record.msg, record.args = clean, None
        if record.exc_info and record.exc_text is None:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self._clean(record.exc_text)
        return True


def install(secrets: tuple[str, ...]) -> RedactTeamsSecrets:
    flt = RedactTeamsSecrets(secrets)
    root = logging.getLogger()
    for handler in root.handlers:
        if not any(isinstance(f, RedactTeamsSecrets) for f in handler.filters):
            handler.addFilter(flt)
    if not root.handlers:
        root.addFilter(flt)
    return flt
