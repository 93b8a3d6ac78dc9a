"""What the outbox dispatcher and the inbox worker share: background loops that claim rows in
passes, keep a presence on PostgreSQL (`storage/presence.py`) so that the claims of a killed process
are given back within seconds, and keep going while the database is away: one line when their passes
start failing, one when they work again (never one a pass), and a growing wait in between."""
from __future__ import annotations

import asyncio
import logging
import os
import socket
import time
import uuid

from sqlalchemy.exc import DBAPIError

from storage.db import Database
from storage.presence import Presence

OUTAGE_BACKOFF_CAP = 30.0  # seconds between passes while the database cannot be reached
PRESENCE_CHECK_SECONDS = 5.0  # how often a live worker looks for claims of dead ones (PostgreSQL)


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


class ClaimingWorker:
    """A subclass says what one pass is (`run_once`), how claims nobody will finish are given back
    (`recover`), and what to do after a pass (`after_pass`)."""

    def __init__(self, db: Database, owner: str | None, lease: float, outage: OutageLog):
        self.owner = owner or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.lease = lease
        self.presence = Presence(db, self.owner)
        self.outage = outage
        self._wake = asyncio.Event()
        self._last_recovery = float("-inf")

    def kick(self) -> None:
        """Pass now, not at the next poll: there is work."""
        self._wake.set()

    async def run_once(self) -> int:
        raise NotImplementedError

    async def recover(self, *, everything: bool = False) -> int:
        raise NotImplementedError

    async def drain(self, max_rows: int = 100_000) -> int:
        """Passes until one finds nothing (tests, and the command line)."""
        total = 0
        while total < max_rows:
            n = await self.run_once()
            if n == 0:
                break
            total += n
        return total

    async def after_pass(self, handled: int) -> None:
        return None

    def _recovery_due(self) -> bool:
        every = PRESENCE_CHECK_SECONDS if self.presence.announced else self.lease / 2
        return time.monotonic() - self._last_recovery > every

    async def run_forever(self, stop: asyncio.Event, idle: float = 1.0, *, recover_all: bool = False) -> None:
        """Passes until `stop`: straight on while there is work, else after `idle` or a kick.
        `recover_all`: take back every claim first (a single-process database: none can be alive)."""
        recover_all_pending = recover_all
        try:
            while not stop.is_set():
                try:
                    if self.presence.supported and not self.presence.announced:
                        await self.presence.announce()
                    if recover_all_pending:
                        await self.recover(everything=True)
                        recover_all_pending = False
                    if self._recovery_due():
                        self._last_recovery = time.monotonic()
                        await self.recover()
                    handled = await self.run_once()
                    await self.after_pass(handled)
                    self.outage.worked()
                except Exception as exc:
                    self.outage.failed(exc)
                    handled = 0
                if handled:
                    continue
                self._wake.clear()
                try:
                    await asyncio.wait_for(self._wake.wait(), timeout=self.outage.wait(idle))
                except TimeoutError:
                    pass
        finally:
            await self.presence.withdraw()
