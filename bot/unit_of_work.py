"""One unit of work: a transaction, the repositories bound to it and the outbox writer, committed once.

Every caller opens its transactions here instead of building a session, repositories and a writer
by hand:

    async with unit_of_work(app) as uow:        # one attempt
        await uow.repo.members.counts()

    await run_in_unit_of_work(app, body)        # `await body(uow)`, run again on a retryable error

Retries take a function, not an `async with` block, because a `with` block runs its body once:
only something that can be called again can be run again, and a function makes plain what is
(everything in it) and what is not (everything after it). A race lost on a unique key, a deadlock,
a serialization failure or a pooled connection found dead (`storage.db.is_retryable`) rolls the
attempt back and calls `body` again on a fresh transaction, up to `ATTEMPTS` times in all; any other
error, or the last attempt's, is raised to the caller. So `body` must change the world only through
`uow`, or keep what it changes elsewhere to its return value: only the last run's changes are kept.

After a commit that queued sends, `wake` is called once (the dispatcher's kick), so they go out now
rather than at its next poll; a rollback keeps nothing, so it wakes nothing.
"""
from __future__ import annotations

import logging
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.models import Address, Message
from storage.db import Database, is_retryable
from storage.models import OutboxStatus
from storage.repositories import Outbox, Repositories

log = logging.getLogger(__name__)

ATTEMPTS = 3
T = TypeVar("T")


class OutboxWriter:
    """What services use to send: queue now, in the unit's transaction; delivered after commit."""

    def __init__(self, repo: Outbox, clock: Clock):
        self._repo = repo
        self._clock = clock
        self.queued = 0

    async def post(self, address: Address, message: Message, *, key: str | None = None,
                   subject: str | None = None) -> bool:
        return await self._enqueue(address, message, "post", None, key, subject)

    async def update(self, address: Address, message_ref: str, message: Message, *,
                     subject: str | None = None) -> bool:
        """An update replaces the whole message, so one still waiting for the same message is
        given this content instead of queueing another: a burst of share clicks on one suggestion
        becomes one edit per pacing slot, not one per click."""
        if await self._repo.supersede_update(address.platform, message_ref, {
                "address": address.to_dict(), "payload": message.to_dict(), "subject": subject}):
            return True
        return await self._enqueue(address, message, "update", message_ref, None, subject)

    async def _enqueue(self, address: Address, message: Message, op: str, target: str | None,
                       key: str | None, subject: str | None) -> bool:
        now = self._clock.now()
        added = await self._repo.enqueue({
            "key": key or f"{op}:{uuid.uuid4()}",
            "platform": address.platform,
            "address": address.to_dict(),
            "op": op,
            "target_ref": target,
            "payload": message.to_dict(),
            "subject": subject,
            "status": OutboxStatus.PENDING,
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
        })
        self.queued += int(added)
        return added


@dataclass
class UnitOfWork:
    """One transaction: its session, the repositories and the outbox writer bound to it."""

    session: AsyncSession
    repo: Repositories
    outbox: OutboxWriter
    clock: Clock

    @property
    def now(self) -> datetime:
        return self.clock.now()


def _nothing() -> None:
    pass


class UnitsOfWork:
    """Opens units of work on one database. `units()` is one attempt; `units.run(body)` retries."""

    def __init__(self, db: Database, clock: Clock, wake: Callable[[], None] | None = None, *,
                 attempts: int = ATTEMPTS):
        self.db = db
        self.clock = clock
        self.wake = wake or _nothing
        self.attempts = attempts

    @asynccontextmanager
    async def __call__(self) -> AsyncIterator[UnitOfWork]:
        """Commit when the block ends, roll back if it raises; wake the dispatcher after a commit
        that queued sends."""
        async with self.db.transaction() as session:
            repo = Repositories(session)
            uow = UnitOfWork(session, repo, OutboxWriter(repo.outbox, self.clock), self.clock)
            yield uow
        if uow.outbox.queued:
            self.wake()

    async def run(self, body: Callable[[UnitOfWork], Awaitable[T]]) -> T:
        """`await body(uow)` in a unit of work, committed; called again on a retryable error."""
        attempt = 1
        while True:
            try:
                async with self() as uow:
                    return await body(uow)
            except Exception as exc:
                if attempt >= self.attempts or not is_retryable(exc):
                    raise
                log.debug("attempt %d of %d lost a race (%s); running it again", attempt, self.attempts,
                          type(exc).__name__)
                attempt += 1


class HasUnits(Protocol):
    """Anything that holds the units of work of a running bot (the app)."""

    @property
    def units(self) -> UnitsOfWork: ...


def unit_of_work(app: HasUnits) -> AbstractAsyncContextManager[UnitOfWork]:
    """One attempt: `async with unit_of_work(app) as uow:`."""
    return app.units()


async def run_in_unit_of_work(app: HasUnits, body: Callable[[UnitOfWork], Awaitable[T]]) -> T:
    """`await body(uow)`, run again on a retryable error (see the module's docstring)."""
    return await app.units.run(body)
