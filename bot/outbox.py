"""Durable sends: a row written in the cause's transaction, delivered later by the dispatcher."""
from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable, Mapping
from datetime import timedelta

from bot.clock import Clock
from bot.errors import DeliveryError
from bot.models import Address, Message
from bot.ports import ChatGateway
from storage.db import Database
from storage.models import OutboxMessage
from storage.repositories import Outbox, Repositories

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
BACKOFF_BASE = 2.0
BACKOFF_CAP = 300.0


class OutboxWriter:
    """What services use to send: queue now, in the current transaction; delivered after commit."""

    def __init__(self, repo: Outbox, clock: Clock):
        self._repo = repo
        self._clock = clock
        self.queued = 0

    async def post(self, address: Address, message: Message, *, key: str | None = None,
                   subject: str | None = None) -> bool:
        return await self._enqueue(address, message, "post", None, key, subject)

    async def update(self, address: Address, message_ref: str, message: Message, *,
                     subject: str | None = None) -> bool:
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
            "status": "pending",
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
        })
        self.queued += int(added)
        return added


AfterSend = Callable[[Repositories, OutboxMessage], Awaitable[None]]
OnFailure = Callable[[Repositories, OutboxMessage, DeliveryError], Awaitable[None]]


def backoff(attempts: int) -> float:
    return min(BACKOFF_CAP, BACKOFF_BASE ** attempts)


class Dispatcher:
    """Delivers due outbox rows through the platform gateways, one row per transaction.

    The row stays locked while it is sent (FOR UPDATE SKIP LOCKED on PostgreSQL), so a
    second dispatcher never sends it too; it is marked sent in the same transaction.
    """

    def __init__(self, db: Database, gateways: Mapping[str, ChatGateway], clock: Clock,
                 after_send: AfterSend | None = None, on_failure: OnFailure | None = None):
        self.db = db
        self.gateways = gateways
        self.clock = clock
        self.after_send = after_send
        self.on_failure = on_failure
        self._wake = asyncio.Event()

    def kick(self) -> None:
        self._wake.set()

    async def run_once(self, limit: int = 20) -> int:
        """Deliver up to `limit` due rows. Returns how many were handled."""
        handled = 0
        platforms = set(self.gateways)
        if not platforms:
            return 0
        while handled < limit:
            async with self.db.transaction() as session:
                repos = Repositories(session)
                rows = await repos.outbox.claim_due(self.clock.now(), 1, platforms)
                if not rows:
                    break
                await self._deliver(repos, rows[0])
            handled += 1
        return handled

    async def drain(self, max_rows: int = 10_000) -> int:
        total = 0
        while total < max_rows:
            n = await self.run_once()
            if n == 0:
                break
            total += n
        return total

    async def _deliver(self, repos: Repositories, row: OutboxMessage) -> None:
        gateway = self.gateways[row.platform]
        address = Address.from_dict(row.address)
        message = Message.from_dict(row.payload)
        now = self.clock.now()
        row.attempts += 1
        try:
            if row.op == "update":
                await gateway.update(address, row.target_ref or "", message)
                ref = row.target_ref
            else:
                ref = await gateway.post(address, message)
        except DeliveryError as exc:
            row.last_error = str(exc)[:500]
            if exc.permanent or row.attempts >= MAX_ATTEMPTS:
                row.status = "failed"
                log.warning("outbox %s to %s failed for good: %s", row.id, row.platform, exc.reason or exc)
                if self.on_failure:
                    await self.on_failure(repos, row, exc)
            else:
                delay = exc.retry_after if exc.retry_after is not None else backoff(row.attempts)
                row.next_attempt_at = now + timedelta(seconds=delay)
                log.info("outbox %s: retry in %.1fs (%s)", row.id, delay, exc.reason or exc)
            return
        except Exception as exc:  # a bug or an unexpected transport error: retry later, never lose
            log.exception("outbox %s: unexpected error", row.id)
            row.last_error = type(exc).__name__
            row.next_attempt_at = now + timedelta(seconds=backoff(row.attempts))
            if row.attempts >= MAX_ATTEMPTS:
                row.status = "failed"
            return
        row.status = "sent"
        row.message_ref = ref
        row.sent_at = now
        if self.after_send:
            await self.after_send(repos, row)

    async def run_forever(self, stop: asyncio.Event, idle: float = 1.0) -> None:
        while not stop.is_set():
            try:
                handled = await self.run_once()
            except Exception:
                log.exception("dispatcher pass failed")
                handled = 0
            if handled:
                continue
            self._wake.clear()
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=idle)
            except TimeoutError:
                pass
