"""Teams' secrets in logs: the app password, and bearer tokens both ways."""
from __future__ import annotations

import re

from handlers import redact

BEARER = re.compile(r"(Bearer\s+)[A-Za-z0-9\-_.=+/]{12,}")


def RedactTeamsSecrets(secrets: tuple[str, ...]) -> redact.RedactSecrets:  # noqa: N802 (a filter's name)
    return redact.RedactSecrets(secrets, (BEARER,))


def install(secrets: tuple[str, ...]) -> redact.RedactSecrets:
    return redact.install(secrets, (BEARER,))
