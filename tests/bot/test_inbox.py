"""The durable inbox: an acknowledged event is handled exactly once, across crashes, workers and
database outages, and the backlog is visible without a line per event. SQLite and PostgreSQL."""
import asyncio
import logging
from collections import Counter

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from bot.core import Core
from bot.inbox import Inbox
from bot.models import Action, Actor, Conversation, ConversationKind, Incoming, Mention
from bot.unit_of_work import UnitsOfWork
from storage.models import InboxEvent
from tests.fakes.outage import Outage


class CountingCore(Core):
    """The real core, counting the turns it was asked for by delivery id."""

    def __init__(self, units, settings):
        super().__init__(units, settings)
        self.turns: Counter[str] = Counter()

    async def handle(self, incoming, **kw):
        self.turns[incoming.event_id] += 1
        return await super().handle(incoming, **kw)


def event(user: str, n: int, text: str = "points") -> Incoming:
    return Incoming(Actor("test", user, user.title()), Conversation("test", "C_GENERAL"), text=text,
                    event_id=f"Ev{user}{n}")


def worker(app, core=None, units=None, **kw) -> Inbox:
    units = units or app.units
    return Inbox(units, core or CountingCore(units, app.settings), app.gateways, app.clock, **kw)


async def rows(app) -> int:
    async with app.db.transaction() as s:
        return await s.scalar(select(func.count()).select_from(InboxEvent)) or 0


async def wait_until(condition, timeout: float = 10.0) -> None:
    for _ in range(int(timeout / 0.02)):
        if await condition():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("timed out")


def test_an_incoming_survives_the_trip_through_a_row():
    incoming = Incoming(Actor("test", "U1", "Ola", "pl-PL", "Europe/Warsaw"),
                        Conversation("test", "D1", ConversationKind.DIRECT, "#x"), text="hi @Basia",
                        action=Action("share", "7", {"link": "https://x"}), event_id="Ev1",
                        mentions=(Mention("U2", "Basia", "@Basia"),))
    assert Incoming.from_dict(incoming.to_dict()) == incoming


async def test_a_kept_event_is_handled_once_and_answered_where_the_adapter_said(app, gateway):
    inbox = worker(app)
    await inbox.record(event("ola", 1), {"channel": "C_GENERAL"})
    await inbox.record(event("ola", 1), {"channel": "C_GENERAL"})  # the platform's retry
    assert await rows(app) == 1
    assert await inbox.drain() == 1
    assert inbox.core.turns == {"Evola1": 1}
    (reply_to, message, lang), = gateway.replies
    assert reply_to == {"channel": "C_GENERAL"} and "points" in message.text and lang == "en"
    assert await rows(app) == 0


async def test_an_event_without_a_delivery_id_is_given_one(app, gateway):
    inbox = worker(app)
    await inbox.record(Incoming(Actor("test", "U1"), Conversation("test", "C1"), text="points"), {})
    await inbox.drain()
    assert len(gateway.replies) == 1 and list(inbox.core.turns)[0].startswith("inbox:")


async def test_an_event_handled_before_a_crash_is_neither_done_nor_answered_again(app, gateway):
    crashed = worker(app, owner="crashed")
    await crashed.record(event("ola", 1, "join"), {})
    await crashed.record(event("basia", 1, "join"), {})
    async with app.units() as uow:  # it claimed both, and handled the first before it died
        claimed = await uow.repo.inbox.claim("crashed", uow.now, 10)
    await app.core.handle(Incoming.from_dict(claimed[0].incoming))
    restarted = worker(app)
    assert await restarted.drain() == 0  # the dead worker's claims are not taken while they hold
    assert await restarted.recover(everything=True) == 2
    assert await restarted.drain() == 2
    assert len(gateway.replies) == 1  # the first was answered (by the dead worker) before it died
    assert await rows(app) == 0
    async with app.units() as uow:
        assert (await uow.repo.members.counts())[1] == 2  # both joined, once


async def test_two_workers_draining_one_inbox_never_handle_an_event_twice(app, gateway):
    recorder = worker(app)
    for n in range(60):
        await recorder.record(event(f"u{n % 7}", n), {})
    first, second = worker(app, batch=8), worker(app, batch=8)
    await asyncio.gather(first.drain(), second.drain())
    turns = first.core.turns + second.core.turns
    assert len(turns) == 60 and set(turns.values()) == {1}
    assert first.core.turns and second.core.turns  # both took part
    assert len(gateway.replies) == 60 and await rows(app) == 0


async def test_someone_waiting_is_served_before_the_background_backlog(app, gateway):
    inbox = worker(app, batch=10)
    for n in range(50):
        await inbox.record(event("ola", n), {"n": n})
    await inbox.record(event("basia", 1, "help"), {"n": "waiting"}, waiting=True)
    await inbox.run_once()  # the first batch: the waiting one, and the oldest of the rest
    await inbox.answered()
    answered = [r[0]["n"] for r in gateway.replies]
    assert "waiting" in answered and [n for n in answered if n != "waiting"] == list(range(9))


async def test_one_persons_events_are_handled_in_the_order_they_came(app, gateway):
    inbox = worker(app, batch=64, concurrency=8)
    for n in range(20):
        await inbox.record(event("ola", n), {"n": n})
    await inbox.drain()
    assert [r[0]["n"] for r in gateway.replies] == list(range(20))


class HeldAnswers:
    """Answers to one person wait until released, as a platform's pace would hold them."""

    def __init__(self, gateway, held_user: str):
        self.gateway, self.held_user = gateway, held_user
        self.release = asyncio.Event()
        self.original = gateway.reply
        gateway.reply = self.reply

    async def reply(self, reply_to, message, lang):
        if reply_to.get("user") == self.held_user:
            await self.release.wait()
        await self.original(reply_to, message, lang)


async def test_answers_held_by_the_platform_do_not_hold_up_other_peoples_events(app, gateway):
    held = HeldAnswers(gateway, "ola")
    inbox = worker(app, batch=10)
    for n in range(10):
        await inbox.record(event("ola", n), {"user": "ola", "n": n})
    await asyncio.wait_for(inbox.run_once(), 5)  # ola's answers are on their way, not awaited
    await inbox.record(event("basia", 1, "help"), {"user": "basia", "n": "waiting"}, waiting=True)
    await asyncio.wait_for(inbox.run_once(), 5)

    async def only_the_waiting_one_answered() -> bool:
        return [r[0]["n"] for r in gateway.replies] == ["waiting"]

    await wait_until(only_the_waiting_one_answered)
    held.release.set()
    await inbox.answered()
    assert [r[0]["n"] for r in gateway.replies] == ["waiting", *range(10)]  # ola's still in order


async def test_too_many_answers_on_their_way_stop_the_worker_claiming_more(app, gateway):
    held = HeldAnswers(gateway, "ola")
    inbox = worker(app, batch=5, max_answers=5)
    for n in range(8):
        await inbox.record(event("ola", n), {"user": "ola", "n": n})
    assert await inbox.run_once() == 5
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(asyncio.shield(second := asyncio.ensure_future(inbox.run_once())), 0.5)
    assert await rows(app) == 3  # nothing more was claimed while five answers were held
    held.release.set()
    assert await second == 3
    await inbox.answered()
    assert [r[0]["n"] for r in gateway.replies] == list(range(8))


async def test_the_inbox_survives_a_database_outage_and_loses_nothing(app, gateway, caplog):
    db = Outage(app.db)
    units = UnitsOfWork(db, app.clock)
    inbox = worker(app, core=CountingCore(units, app.settings), units=units)
    for n in range(30):
        await inbox.record(event(f"u{n % 3}", n), {})
    caplog.set_level(logging.INFO, logger="bot.inbox")
    db.down = True
    with pytest.raises(OperationalError):  # an event that cannot be kept is not acknowledged
        await inbox.record(event("ola", 99), {})
    stop = asyncio.Event()
    task = asyncio.create_task(inbox.run_forever(stop, idle=0.01))
    await asyncio.sleep(0.5)  # several passes fail meanwhile
    db.down = False
    await wait_until(lambda: rows_are(app, 0))
    stop.set()
    inbox.kick()
    await task
    assert set(inbox.core.turns) == {f"Evu{n % 3}{n}" for n in range(30)}
    assert len(gateway.replies) == 30
    lines = [r.getMessage() for r in caplog.records if r.name == "bot.inbox" and r.levelno >= logging.WARNING]
    assert len(lines) == 2 and "cannot reach the database" in lines[0] and "working again" in lines[1], lines


async def test_an_outage_in_the_middle_of_a_batch_leaves_the_rest_for_later(app, gateway):
    db = Outage(app.db)
    units = UnitsOfWork(db, app.clock)

    class FailsOnce(CountingCore):
        async def handle(self, incoming, **kw):
            if incoming.event_id == "Evola3" and not self.turns[incoming.event_id]:
                self.turns[incoming.event_id] += 1
                db.down = True
                try:
                    return await super(CountingCore, self).handle(incoming, **kw)
                finally:
                    db.down = False
            return await super().handle(incoming, **kw)

    inbox = worker(app, core=FailsOnce(units, app.settings), units=units)
    for n in range(6):
        await inbox.record(event("ola", n), {"n": n})
    with pytest.raises(OperationalError):
        await inbox.run_once()
    assert await inbox.drain() == 3
    assert [r[0]["n"] for r in gateway.replies] == list(range(6))
    assert await rows(app) == 0


async def rows_are(app, n: int) -> bool:
    return await rows(app) == n


async def test_the_backlog_is_told_once_when_it_grows_and_once_when_it_is_worked_off(app, caplog):
    inbox = worker(app, batch=4, backlog=10)
    for n in range(30):
        await inbox.record(event(f"u{n % 5}", n), {})
    caplog.set_level(logging.INFO, logger="bot.inbox")
    stop = asyncio.Event()
    task = asyncio.create_task(inbox.run_forever(stop, idle=0.01))
    await wait_until(lambda: rows_are(app, 0))
    await asyncio.sleep(0.05)
    stop.set()
    inbox.kick()
    await task
    lines = [r.getMessage() for r in caplog.records if r.name == "bot.inbox"]
    assert len(lines) == 2, lines
    assert "30 acknowledged events waiting" in lines[0]  # counted at the first claim
    assert "backlog worked off (30 events" in lines[1]
    assert inbox.depth == 0


async def test_on_postgresql_claims_of_a_dead_worker_are_given_back_at_once_and_a_live_ones_kept(app, gateway):
    if app.db.is_sqlite:
        pytest.skip("SQLite serves one process: every claim is given back at start-up")
    live, killed, survivor = (worker(app, owner=name, batch=2) for name in ("live", "killed", "survivor"))
    for n in range(4):
        await live.record(event("ola", n), {"n": n})
    for inbox in (live, killed, survivor):
        await inbox.presence.announce()
    try:
        await live._claim()
        await killed._claim()
        await killed.presence.withdraw()  # what the server does when the process dies
        assert await survivor.recover() == 2  # well within the lease
        await survivor.drain()
        assert [r[0]["n"] for r in gateway.replies] == [2, 3]
        assert await rows(app) == 2  # the live worker's, still its own
    finally:
        await survivor.presence.withdraw()
        await live.presence.withdraw()
