"""Durable sends: a row written in the cause's transaction (the unit of work's `OutboxWriter`),
delivered later by the dispatcher here."""
from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta

from bot.clock import Clock
from bot.errors import DeliveryError
from bot.models import Address, Message
from bot.claiming import ClaimingWorker, OutageLog
from bot.pacing import Pacer
from bot.ports import ChatGateway, finder, limits, updater
from bot.unit_of_work import UnitOfWork, UnitsOfWork
from storage.db import Database
from storage.models import OutboxMessage, OutboxStatus

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
BACKOFF_BASE = 2.0
BACKOFF_CAP = 300.0
PROGRESS_SECONDS = 5.0
CHECK_AFTER = 10.0  # a post that timed out is looked up this long after, before any new attempt


AfterSend = Callable[[UnitOfWork, OutboxMessage], Awaitable[None]]
OnFailure = Callable[[UnitOfWork, OutboxMessage, DeliveryError], Awaitable[None]]


def backoff(attempts: int) -> float:
    return min(BACKOFF_CAP, BACKOFF_BASE ** attempts)


@dataclass(frozen=True)
class Claimed:
    """A claimed row, detached from its session: sends happen outside any transaction."""

    id: int
    key: str
    platform: str
    address: Address
    op: str
    target_ref: str | None
    message: Message
    check_first: bool = False  # the last attempt timed out: look it up before sending again

    @classmethod
    def of(cls, row: OutboxMessage, check_first: bool = False) -> Claimed:
        return cls(row.id, row.key, row.platform, Address.from_dict(row.address), row.op, row.target_ref,
                   Message.from_dict(row.payload), check_first)


class Dispatcher(ClaimingWorker):
    """Delivers due outbox rows through the platform gateways.

    A pass claims a batch (status `sending`, with this dispatcher's name and the time) in one
    short transaction, sends the batch concurrently within each platform's pace, and records
    each outcome in its own transaction. Claims use `FOR UPDATE SKIP LOCKED` and a status
    check, so two dispatchers (replicas on PostgreSQL) never take the same row. A claim older
    than the lease belongs to a dispatcher that died mid-send: a gateway that declares `FIND_SENT`
    (`bot/ports.py`) is asked whether the message went out before it is sent again. On PostgreSQL
    a dead dispatcher is known at once (`storage/presence.py`), so its claims are settled within
    seconds, not a lease.
    A post that timed out (`DeliveryError.unsure`) is settled the same way: status `unsure`, looked
    up `CHECK_AFTER` seconds later, sent again only if it is not there.
    """

    def __init__(self, db: Database, gateways: Mapping[str, ChatGateway], clock: Clock,
                 after_send: AfterSend | None = None, on_failure: OnFailure | None = None, *,
                 concurrency: int = 16, batch: int = 64, lease: float = 60.0, owner: str | None = None):
        super().__init__(db, owner, lease, OutageLog(log, "outbox", "sends wait"))
        self.db = db
        self.units = UnitsOfWork(db, clock, wake=self.kick)  # a failure notice queued wakes this one
        self.gateways = gateways
        self.clock = clock
        self.after_send = after_send
        self.on_failure = on_failure
        self.concurrency = concurrency
        self.batch = batch
        self.pacer = Pacer()
        self.sent = 0
        self._progress = (0, time.monotonic())  # sent, when: the last progress line

    def recover_soon(self) -> None:
        """Look for orphaned claims on the next pass (this process just took over from another)."""
        self._last_recovery = float("-inf")
        self.kick()

    async def run_once(self, limit: int | None = None) -> int:
        """Claim and deliver one batch. Returns how many rows were handled."""
        if not self.gateways:
            return 0
        rows = await self._claim(limit or self.batch)
        if not rows:
            return 0
        gate = asyncio.Semaphore(self.concurrency)

        async def deliver(row: Claimed) -> None:
            async with gate:
                await self._deliver(row)

        await asyncio.gather(*(deliver(row) for row in rows))
        return len(rows)

    async def _claim(self, limit: int) -> list[Claimed]:
        async def claim(uow: UnitOfWork) -> list[Claimed]:
            due = await uow.repo.outbox.claim_due(self.owner, uow.now, limit, self.gateways)
            return [Claimed.of(row, check_first=unsure) for row, unsure in due]

        return await self.units.run(claim)

    async def _deliver(self, row: Claimed) -> None:
        gateway = self.gateways[row.platform]
        ref: str | None = None
        error: Exception | None = None
        edit = updater(gateway)
        if row.op == "update" and edit is None:  # the platform cannot edit: the message stays as it was
            await self._record(row, row.target_ref, None)
            return
        bounds = limits(gateway, row.address)
        paced = await self.pacer.wait_limits(bounds) if bounds else []
        finds = finder(gateway) if row.op == "post" else None
        if row.check_first and finds is not None:
            try:
                ref = await finds.find_sent(row.address, row.key)
            except DeliveryError as exc:  # still cannot tell: stay unsure, look again later
                exc.unsure = True
                await self._record(row, None, exc)
                return
            if ref is not None:
                log.info("outbox %s: the post that timed out did go out; not sending it again", row.id)
                await self._record(row, ref, None)
                return
        try:
            if row.op == "update" and edit is not None:
                await edit.update(row.address, row.target_ref or "", row.message)
                ref = row.target_ref
            else:
                ref = await gateway.post(row.address, row.message, key=row.key)
        except DeliveryError as exc:
            error = exc
            if exc.unsure and finds is None:
                exc.unsure = False  # nothing can look it up: sent again, as README says
            if exc.retry_after:
                for name in paced:
                    self.pacer.hold(name, exc.retry_after)
        except Exception as exc:  # a bug or an unexpected transport error: retry later, never lose
            log.exception("outbox %s: unexpected error", row.id)
            error = exc
        await self._record(row, ref, error)

    async def _record(self, row: Claimed, ref: str | None, error: Exception | None) -> None:
        if await self.units.run(lambda uow: self._settle(uow, row, ref, error)) == OutboxStatus.SENT:
            self.sent += 1

    async def _settle(self, uow: UnitOfWork, row: Claimed, ref: str | None,
                      error: Exception | None) -> OutboxStatus | None:
        """Record one send's outcome; the row's new status, None if its claim was lost."""
        now = uow.now
        current = await uow.repo.outbox.claimed(row.id, self.owner)
        if current is None:
            log.warning("outbox %s: claim lost before the outcome was recorded", row.id)
            return None
        current.attempts += 1
        current.claimed_by = None
        if error is None:
            current.status = OutboxStatus.SENT
            current.message_ref = ref
            current.sent_at = now
            if self.after_send:
                await self.after_send(uow, current)
            return current.status
        current.last_error = str(error)[:500] if isinstance(error, DeliveryError) else type(error).__name__
        permanent = isinstance(error, DeliveryError) and error.permanent
        if permanent or current.attempts >= MAX_ATTEMPTS:
            current.status = OutboxStatus.FAILED
            reason = error.reason if isinstance(error, DeliveryError) else None
            log.warning("outbox %s to %s failed for good: %s", row.id, row.platform,
                        reason or current.last_error)
            if self.on_failure and isinstance(error, DeliveryError):
                await self.on_failure(uow, current, error)
            return current.status
        retry_after = error.retry_after if isinstance(error, DeliveryError) else None
        delay = retry_after if retry_after is not None else backoff(current.attempts)
        if isinstance(error, DeliveryError) and error.unsure:
            current.status = OutboxStatus.UNSURE
            delay = max(delay, CHECK_AFTER)
            log.info("outbox %s: no answer (%s); looking it up in %.0fs before any new attempt",
                     row.id, current.last_error, delay)
        else:
            current.status = OutboxStatus.PENDING
            log.info("outbox %s: retry in %.1fs (%s)", row.id, delay, current.last_error)
        current.next_attempt_at = now + timedelta(seconds=delay)
        return current.status

    async def _gone_owners(self) -> set[str]:
        """Dispatchers with claims whose process is gone (PostgreSQL, once this one is announced)."""
        if not self.presence.announced:
            return set()
        async with self.units() as uow:
            owners = await uow.repo.outbox.claim_owners(besides=self.owner)
        return await self.presence.gone(owners)

    async def recover(self, *, everything: bool = False) -> int:
        """Settle claims left by a dispatcher that died mid-send: those older than the lease, and
        at once those of a dispatcher known to be gone. `everything` takes every claim regardless
        of age (a single-process database at start-up: none can be alive). One attempt, not
        `units.run`: it asks the platforms whether each message went out, which is not run again."""
        cutoff = None if everything else self.clock.now() - timedelta(seconds=self.lease)
        gone = set() if everything else await self._gone_owners()
        async with self.units() as uow:
            now = uow.now
            rows = await uow.repo.outbox.abandoned_claims(self.gateways, claimed_before=cutoff, owners=gone)
            for row in rows:
                finds = finder(self.gateways[row.platform]) if row.op == "post" else None
                ref = None
                if finds is not None:
                    try:
                        ref = await finds.find_sent(Address.from_dict(row.address), row.key)
                    except DeliveryError as exc:
                        log.warning("outbox %s: could not check whether it was sent: %s", row.id, exc)
                        continue
                row.claimed_by = None
                if ref is not None:
                    row.status, row.message_ref, row.sent_at = OutboxStatus.SENT, ref, now
                    if self.after_send:
                        await self.after_send(uow, row)
                else:
                    row.status, row.next_attempt_at = OutboxStatus.PENDING, now
            if rows:
                log.info("outbox: settled %d unconfirmed send(s) left by a stopped dispatcher", len(rows))
            return len(rows)

    async def after_pass(self, handled: int) -> None:
        """A line every few seconds while a large fan-out drains, so nobody watches a silent log."""
        now = time.monotonic()
        sent, at = self._progress
        if self.sent == sent or now - at < PROGRESS_SECONDS:
            return
        async with self.units() as uow:
            pending = await uow.repo.outbox.pending_count()
        log.info("outbox: %d sent so far (%.0f/s), %d waiting", self.sent, (self.sent - sent) / (now - at), pending)
        self._progress = (self.sent, now)
