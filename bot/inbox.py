"""The durable inbox: events a platform wants acknowledged before their work is done.

An adapter records the neutral `Incoming` (and what it needs to answer, `reply_to`) in one insert,
then acknowledges. The worker here drains the inbox in the background: it claims a batch (its
name and the time on each row, rows another worker holds skipped), hands each event to the core,
answers through the gateway's `reply`, and deletes the batch's rows. Exactly once: the core records
the delivery id in the same transaction as the work, so an event handled before a crash and claimed
again is recognised and neither repeated nor answered twice; the claim keeps two workers from even
trying. A claim older than the lease, or of a worker whose process is gone (PostgreSQL presence),
or on SQLite every claim at start-up, is given back. Nothing waits in memory beyond one batch and
the answers on their way.

Answers leave in tasks of their own, one person's in the order of their events: a platform paces
answers (a channel's confirmations a second or so apart), and a worker that waited for each one
would keep everyone else's events, and the waiting lane, behind that pace. At most `max_answers`
are on their way; past that the worker waits before it claims more (memory stays bounded).
"""
from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

from bot.claiming import ClaimingWorker, OutageLog
from bot.clock import Clock
from bot.core import Core
from bot.i18n import language_for
from bot.models import Incoming, Message
from bot.ports import ChatGateway, replier
from bot.unit_of_work import UnitOfWork, UnitsOfWork
from storage.models import InboxEvent

log = logging.getLogger(__name__)

WAITING, BACKGROUND = 0, 1  # lanes: someone waits for the answer / nobody does


@dataclass(frozen=True)
class Kept:
    """A claimed row, detached from its session: the core's turn runs in a transaction of its own."""

    id: int
    platform: str
    incoming: Incoming
    reply_to: dict[str, Any]

    @classmethod
    def of(cls, row: InboxEvent) -> Kept:
        return cls(row.id, row.platform, Incoming.from_dict(row.incoming), dict(row.reply_to))


class Inbox(ClaimingWorker):
    def __init__(self, units: UnitsOfWork, core: Core, gateways: Mapping[str, ChatGateway], clock: Clock, *,
                 batch: int = 64, concurrency: int = 8, lease: float = 60.0, backlog: int = 1000,
                 owner: str | None = None, max_answers: int = 1000):
        super().__init__(units.db, owner, lease, OutageLog(log, "inbox", "acknowledged events wait in the database"))
        self.units = units
        self.core = core
        self.gateways = gateways
        self.clock = clock
        self.batch = batch
        self.concurrency = concurrency
        self.backlog = backlog
        self.depth = 0          # events waiting, as seen at the last claim
        self.handled = 0        # events handled by this worker
        self.taken = 0          # events claimed by this worker
        self._backlog_since: tuple[float, int] | None = None  # (when, taken then)
        self._own_claims_left = False
        self.max_answers = max_answers
        self._answers: dict[tuple[str, str], asyncio.Task[None]] = {}  # each person's latest answer
        self._on_the_way: set[asyncio.Task[None]] = set()

    # the acknowledging side ---------------------------------------------------------------------------

    async def record(self, incoming: Incoming, reply_to: Mapping[str, Any], *, waiting: bool = False) -> None:
        """Keep an event before it is acknowledged. Raises if the database cannot take it: then the
        adapter must not acknowledge (the platform sends it again). An event without a delivery id
        is given one, so the core still handles it once."""
        if incoming.event_id is None:
            incoming = replace(incoming, event_id=f"inbox:{uuid.uuid4()}")
        values = {"platform": incoming.actor.platform, "event_id": incoming.event_id,
                  "lane": WAITING if waiting else BACKGROUND, "incoming": incoming.to_dict(),
                  "reply_to": dict(reply_to), "received_at": self.clock.now()}

        async def keep(uow: UnitOfWork) -> None:
            await uow.repo.inbox.record(values)

        await self.units.run(keep)
        self.kick()

    # the working side ---------------------------------------------------------------------------------

    async def run_once(self) -> int:
        """Claim one batch, handle it, delete it. Returns how many events were claimed."""
        if self._own_claims_left:  # a pass failed midway: its claims go back before any new ones
            await self.units.run(lambda uow: uow.repo.inbox.release(owners={self.owner}))
            self._own_claims_left = False
        while len(self._on_the_way) >= self.max_answers:
            await asyncio.wait(self._on_the_way, return_when=asyncio.FIRST_COMPLETED)
        rows = await self._claim()
        await self._watch_depth(len(rows))
        if not rows:
            return 0
        self._own_claims_left = True
        by_sender: dict[tuple[str, str], list[Kept]] = {}
        for row in rows:  # one person's events in the order they came (a reaction, then its removal)
            by_sender.setdefault((row.platform, row.incoming.actor.user_id), []).append(row)
        gate = asyncio.Semaphore(self.concurrency)
        done: list[int] = []

        async def work(kept: list[Kept]) -> None:
            async with gate:
                for row in kept:
                    await self._handle(row)
                    done.append(row.id)

        results = await asyncio.gather(*(work(kept) for kept in by_sender.values()), return_exceptions=True)
        await self.units.run(lambda uow: uow.repo.inbox.finish(done, self.owner))
        self.handled += len(done)
        failed = next((r for r in results if isinstance(r, BaseException)), None)
        if failed is not None:
            raise failed
        self._own_claims_left = False
        return len(rows)

    async def _claim(self) -> list[Kept]:
        async def claim(uow: UnitOfWork) -> list[Kept]:
            return [Kept.of(row) for row in await uow.repo.inbox.claim(self.owner, uow.now, self.batch)]

        return await self.units.run(claim)

    async def _handle(self, row: Kept) -> None:
        """The core's turn; an outage is raised (the row stays and is handled again later)."""
        reply = await self.core.handle(row.incoming, raise_outage=True)
        if reply is None:  # handled before (a crash between the work and the delete): said already
            return
        gateway = self.gateways.get(row.platform)
        answer = replier(gateway) if gateway is not None else None
        if answer is None or _empty(reply):
            return
        lang = language_for(row.incoming.actor.locale, self.core.settings.language)
        person = (row.platform, row.incoming.actor.user_id)
        before = self._answers.get(person)

        async def send() -> None:
            if before is not None:
                await asyncio.wait([before])
            try:
                await answer.reply(row.reply_to, reply, lang)
            except Exception:
                log.exception("inbox: answering event %s failed", row.incoming.event_id)

        task = asyncio.create_task(send())
        self._answers[person] = task
        self._on_the_way.add(task)
        task.add_done_callback(lambda done: self._sent(person, done))

    def _sent(self, person: tuple[str, str], task: asyncio.Task[None]) -> None:
        self._on_the_way.discard(task)
        if self._answers.get(person) is task:
            del self._answers[person]

    async def answered(self, timeout: float | None = None) -> None:
        """Wait for the answers on their way (all of them, or until `timeout`)."""
        if self._on_the_way:
            await asyncio.wait(set(self._on_the_way), timeout=timeout)

    async def drain(self, max_rows: int = 100_000) -> int:
        total = await super().drain(max_rows)
        await self.answered()
        return total

    async def run_forever(self, stop: asyncio.Event, idle: float = 1.0, *, recover_all: bool = False) -> None:
        try:
            await super().run_forever(stop, idle, recover_all=recover_all)
        finally:
            await self.answered(timeout=5.0)

    # claims nobody will finish ------------------------------------------------------------------------

    async def recover(self, *, everything: bool = False) -> int:
        """Give back claims older than the lease and those of workers known to be gone;
        `everything` gives back every claim (a single-process database at start-up)."""
        if everything:
            released = await self.units.run(lambda uow: uow.repo.inbox.release(every=True))
        else:
            gone: set[str] = set()
            if self.presence.announced:
                async with self.units() as uow:
                    owners = await uow.repo.inbox.claim_owners(besides=self.owner)
                gone = await self.presence.gone(owners)
            cutoff = self.clock.now() - timedelta(seconds=self.lease)
            released = await self.units.run(
                lambda uow: uow.repo.inbox.release(claimed_before=cutoff, owners=gone))
        if released:
            log.info("inbox: %d event(s) claimed by a stopped worker are handled again", released)
        return released

    # how far behind -----------------------------------------------------------------------------------

    async def _watch_depth(self, claimed: int) -> None:
        """Seen at each claim: a line when the backlog passes `backlog` and one when it is worked
        off, none per event."""
        now = time.monotonic()
        self.taken += claimed
        if claimed < self.batch:  # a short batch: nothing else was waiting unclaimed
            self.depth = 0
        else:  # one count per full batch: little beside the batch's own turns
            async with self.units() as uow:
                self.depth = await uow.repo.inbox.depth()
        if self._backlog_since is None and self.depth >= self.backlog:
            self._backlog_since = (now, self.taken - claimed)
            log.warning("inbox: %d acknowledged events waiting for their work (backlog)", self.depth)
        elif self._backlog_since is not None and self.depth == 0:
            since, taken = self._backlog_since
            self._backlog_since = None
            log.warning("inbox: backlog worked off (%d events in %.1fs)", self.taken - taken, now - since)


def _empty(message: Message) -> bool:
    return not message.text and not message.cards
