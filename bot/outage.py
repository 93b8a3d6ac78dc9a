"""Background loops that keep going while the database is away: one line when their passes start
failing, one when they work again (never one a pass), and a growing wait in between."""
from __future__ import annotations

import logging
import time

from sqlalchemy.exc import DBAPIError

OUTAGE_BACKOFF_CAP = 30.0  # seconds between passes while the database cannot be reached


class OutageLog:
    def __init__(self, log: logging.Logger, what: str, waiting: str):
        self.log = log
        self.what = what        # "outbox"
        self.waiting = waiting  # what waits meanwhile: "sends wait"
        self.since: float | None = None
        self.failures = 0

    def failed(self, exc: Exception) -> None:
        self.failures += 1
        if self.since is not None:
            self.log.debug("%s pass failed again: %s", self.what, type(exc).__name__)
            return
        self.since = time.monotonic()
        if isinstance(exc, (OSError, DBAPIError)):
            self.log.warning("%s: cannot reach the database (%s: %s); %s, retrying with backoff", self.what,
                             type(exc).__name__, str(exc).splitlines()[0][:200] if str(exc) else "", self.waiting)
        else:
            self.log.exception("%s: pass failed; retrying with backoff", self.what)

    def worked(self) -> None:
        self.failures = 0
        if self.since is not None:
            self.log.warning("%s: working again after %.0fs", self.what, time.monotonic() - self.since)
            self.since = None

    def wait(self, idle: float) -> float:
        """Seconds until the next pass when this one found nothing to do (or failed)."""
        return idle if not self.failures else min(OUTAGE_BACKOFF_CAP, idle * 2 ** (self.failures - 1))
