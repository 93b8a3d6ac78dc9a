"""Slack's secrets in logs: the tokens and signing secret, and Socket Mode's one-time ticket. Bolt
logs every request with a bad signature at INFO with its whole body (whatever anyone sends to the
public URL): the event stays in the log, the body does not."""
from __future__ import annotations

import re

from handlers import redact

TICKET = re.compile(r"(ticket=)[^&\s'\"]+")
BAD_SIGNATURE_BODY = re.compile(r"(Invalid request signature detected \(.*?body: ).*\)", re.DOTALL)


def install(secrets: tuple[str, ...]) -> redact.RedactSecrets:
    return redact.install(secrets, (TICKET, BAD_SIGNATURE_BODY))
