"""Slack's secrets in logs: the tokens and signing secret, and Socket Mode's one-time ticket."""
from __future__ import annotations

import re

from handlers import redact

TICKET = re.compile(r"(ticket=)[^&\s'\"]+")


def install(secrets: tuple[str, ...]) -> redact.RedactSecrets:
    return redact.install(secrets, (TICKET,))
