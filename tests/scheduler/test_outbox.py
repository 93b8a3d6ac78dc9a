"""Exactly-once delivery: claims, crashes mid-send, replicas, and storms of 429s."""
import asyncio
import logging

import pytest

from sqlalchemy import func, select

from bot.errors import DeliveryError
from bot.models import Address, ConversationKind, Message
from bot.outbox import Dispatcher
from bot.ports import Capability
from bot.unit_of_work import unit_of_work
from storage.models import OutboxMessage
from tests.fakes.gateway import RecordingGateway
from tests.fakes.outage import Outage


async def queue(app, n: int, prefix: str = "k") -> None:
    async with unit_of_work(app) as uow:
        for i in range(n):
            await uow.outbox.post(Address("test", f"U{i}", ConversationKind.DIRECT), Message(f"hi {i}"),
                              key=f"{prefix}{i}")


async def statuses(app) -> dict[str, int]:
    async with app.db.transaction() as s:
        rows = await s.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status))
        return dict(rows.all())


async def test_a_send_that_reached_the_platform_before_a_crash_is_not_sent_again(app, gateway, clock):
    await queue(app, 3)
    crashed = Dispatcher(app.db, app.gateways, clock, owner="crashed")
    claimed = await crashed._claim(10)
    await gateway.post(claimed[0].address, claimed[0].message, key=claimed[0].key)  # went out, then kill -9
    clock.advance(seconds=app.dispatcher.lease + 1)
    assert await app.dispatcher.recover() == 3
    await app.dispatcher.drain()
    assert sorted(s.key for s in gateway.posts()) == ["k0", "k1", "k2"]
    assert await statuses(app) == {"sent": 3}


async def test_fresh_claims_of_a_live_dispatcher_are_left_alone(app, gateway, clock):
    await queue(app, 2)
    other = Dispatcher(app.db, app.gateways, clock, owner="other")
    await other._claim(10)
    assert await app.dispatcher.recover() == 0
    assert await app.dispatcher.drain() == 0
    assert gateway.posts() == []


async def test_on_a_single_process_database_every_claim_is_settled_at_start(app, gateway, clock):
    await queue(app, 2)
    await Dispatcher(app.db, app.gateways, clock, owner="dead")._claim(10)
    assert await app.dispatcher.recover(everything=True) == 2
    await app.dispatcher.drain()
    assert len(gateway.posts()) == 2


async def test_two_dispatchers_at_once_never_send_a_row_twice(app, gateway, clock):
    await queue(app, 200)
    first = Dispatcher(app.db, app.gateways, clock, owner="a", batch=16)
    second = Dispatcher(app.db, app.gateways, clock, owner="b", batch=16)
    await asyncio.gather(first.drain(), second.drain())
    keys = [s.key for s in gateway.posts()]
    assert len(keys) == 200 and len(set(keys)) == 200
    assert await statuses(app) == {"sent": 200}


async def test_a_storm_of_429s_loses_nothing_and_doubles_nothing(app, gateway, clock):
    await queue(app, 30)
    gateway.fail_next(*[DeliveryError("429", retry_after=5) for _ in range(25)])
    rounds = 0
    while (await statuses(app)).get("sent", 0) < 30 and rounds < 50:
        await app.dispatcher.drain()
        clock.advance(seconds=5)
        rounds += 1
    keys = [s.key for s in gateway.posts()]
    assert sorted(keys) == sorted(f"k{i}" for i in range(30))
    assert await statuses(app) == {"sent": 30}


async def test_transient_errors_back_off_then_give_up_and_say_so(app, gateway, clock):
    await queue(app, 1)
    gateway.fail_next(*[DeliveryError("503") for _ in range(20)])
    for _ in range(10):
        await app.dispatcher.drain()
        clock.advance(seconds=400)
    async with app.db.transaction() as s:
        row = await s.scalar(select(OutboxMessage))
    assert row.status == "failed" and row.attempts == 8 and "503" in row.last_error


async def test_sends_are_paced_by_the_gateways_rate_limits(app, clock):
    class Paced(RecordingGateway):
        def rate_limits(self, address):
            return [("workspace", 200.0, 1.0)]

    paced = Paced(platform="paced", capabilities=RecordingGateway.capabilities | Capability.RATE_LIMITS)
    dispatcher = Dispatcher(app.db, {"paced": paced}, clock)
    async with unit_of_work(app) as uow:
        for i in range(20):
            await uow.outbox.post(Address("paced", f"U{i}"), Message("x"), key=f"p{i}")
    loop = asyncio.get_running_loop()
    started = loop.time()
    await dispatcher.drain()
    assert len(paced.posts()) == 20
    assert loop.time() - started >= 19 / 200 * 0.9


class Undeclared(RecordingGateway):
    """Has every method, declares only what it is given: the dispatcher must go by the declaration."""

    asked: int = 0

    async def find_sent(self, address, key):
        self.asked += 1
        return await super().find_sent(address, key)

    def rate_limits(self, address):
        raise AssertionError("rate limits not declared, so not asked")


async def test_a_gateway_is_asked_to_look_up_a_post_only_when_it_declares_it(app, clock):
    plain = Undeclared(platform="plain", capabilities=Capability.UPDATE)
    dispatcher = Dispatcher(app.db, {"plain": plain}, clock)
    async with unit_of_work(app) as uow:
        await uow.outbox.post(Address("plain", "C1"), Message("x"), key="u1")
    plain.fail_next(DeliveryError("timed out", unsure=True))
    await dispatcher.drain()
    clock.advance(seconds=60)
    await dispatcher.drain()
    assert plain.asked == 0 and [s.key for s in plain.posts()] == ["u1"]  # sent again, as README says


async def test_an_edit_for_a_platform_that_cannot_edit_is_settled_without_a_send(app, clock):
    fixed = Undeclared(platform="fixed", capabilities=Capability.NONE)
    dispatcher = Dispatcher(app.db, {"fixed": fixed}, clock)
    async with unit_of_work(app) as uow:
        await uow.outbox.update(Address("fixed", "C1"), "m1", Message("3 shares"))
    await dispatcher.drain()
    assert fixed.updates() == [] and await statuses(app) == {"sent": 1}


async def test_a_database_outage_logs_two_lines_not_one_per_pass(app, gateway, clock, caplog):
    db = Outage(app.db)
    dispatcher = Dispatcher(db, app.gateways, clock)
    stop = asyncio.Event()
    caplog.set_level(logging.INFO, logger="bot.outbox")
    db.down = True
    task = asyncio.create_task(dispatcher.run_forever(stop, idle=0.01))
    await asyncio.sleep(0.6)  # several passes fail meanwhile
    db.down = False
    await queue(app, 1)
    dispatcher.kick()
    for _ in range(200):
        if gateway.posts():
            break
        await asyncio.sleep(0.02)
    stop.set()
    dispatcher.kick()
    await task
    assert len(gateway.posts()) == 1
    lines = [r for r in caplog.records if r.name == "bot.outbox" and r.levelno >= logging.WARNING]
    assert len(lines) == 2, [r.getMessage() for r in lines]
    assert "cannot reach the database" in lines[0].getMessage() and not lines[0].exc_info
    assert "working again" in lines[1].getMessage()


async def test_on_postgresql_claims_of_a_dead_dispatcher_are_settled_at_once_and_a_live_ones_left(
        app, gateway, clock):
    if app.db.is_sqlite:
        pytest.skip("SQLite serves one process: every claim is settled at start-up")
    await queue(app, 4)
    live = Dispatcher(app.db, app.gateways, clock, owner="live", batch=2)
    await live.presence.announce()
    await live._claim(2)
    killed = Dispatcher(app.db, app.gateways, clock, owner="killed", batch=2)
    await killed.presence.announce()
    await killed._claim(2)
    await killed.presence.withdraw()  # what the server does when the process dies
    await app.dispatcher.presence.announce()
    try:
        assert await app.dispatcher.recover() == 2  # well within the lease
        await app.dispatcher.drain()
        assert sorted(s.key for s in gateway.posts()) == ["k2", "k3"]
    finally:
        await app.dispatcher.presence.withdraw()
        await live.presence.withdraw()
