"""One unit of work per operation, on SQLite and PostgreSQL: it commits once, wakes the dispatcher
only after a commit that queued sends, and runs its whole body again after a race it lost."""
import asyncio

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from bot.models import Address, ConversationKind, Message
from bot.outbox import Dispatcher
from bot.unit_of_work import UnitOfWork, UnitsOfWork
from storage.models import Member, OutboxMessage
from storage.repositories import Outbox

ADDRESS = Address("test", "U1", ConversationKind.DIRECT)


class Wakes:
    """The dispatcher's kick, counted, noting whether the transaction was over when it came."""

    def __init__(self):
        self.count = 0
        self.during_transaction = False
        self.uow: UnitOfWork | None = None

    def __call__(self) -> None:
        self.count += 1
        self.during_transaction |= self.uow is not None and self.uow.session.in_transaction()


async def _sends(units: UnitsOfWork) -> int:
    async with units() as uow:
        return await uow.session.scalar(select(func.count()).select_from(OutboxMessage))


async def test_a_unit_that_queued_sends_wakes_the_dispatcher_once_after_it_commits(db, clock):
    wakes = Wakes()
    units = UnitsOfWork(db, clock, wake=wakes)
    async with units() as uow:
        wakes.uow = uow
        await uow.outbox.post(ADDRESS, Message("one"), key="k1")
        await uow.outbox.post(ADDRESS, Message("two"), key="k2")
        assert wakes.count == 0
    assert wakes.count == 1 and not wakes.during_transaction
    assert await _sends(units) == 2


async def test_a_unit_rolled_back_or_that_queued_nothing_wakes_nobody(db, clock):
    wakes = Wakes()
    units = UnitsOfWork(db, clock, wake=wakes)
    with pytest.raises(RuntimeError):
        async with units() as uow:
            await uow.outbox.post(ADDRESS, Message("never"), key="k1")
            raise RuntimeError("the operation failed after queueing")
    async with units() as uow:
        await uow.repo.members.counts()
    assert wakes.count == 0
    assert await _sends(units) == 0


async def test_a_race_lost_on_a_unique_key_runs_the_whole_body_again_and_sees_the_winner(db, clock):
    """Two first sights of one person at once: both find nobody, both insert; the database lets one
    win and aborts the other, whose body then runs again from the start and finds the winner's row."""
    units = UnitsOfWork(db, clock)
    both_looked = asyncio.Barrier(2)
    runs = []

    async def first_sight(uow: UnitOfWork) -> int:
        runs.append(1)
        member = await uow.session.scalar(select(Member).where(Member.platform_user_id == "U1"))
        if member is None:
            if len(runs) <= 2:
                await both_looked.wait()
            member = Member(platform="test", platform_user_id="U1", display_name="Ola", created_at=clock.now())
            uow.session.add(member)
            await uow.session.flush()
        return member.id

    first, second = await asyncio.wait_for(asyncio.gather(units.run(first_sight), units.run(first_sight)), 30)
    assert first == second
    assert len(runs) == 3
    async with units() as uow:
        assert await uow.session.scalar(select(func.count()).select_from(Member)) == 1


async def test_other_errors_are_not_run_again_and_a_race_lost_three_times_is_given_up(db, clock):
    units = UnitsOfWork(db, clock)
    runs = []

    async def broken(uow: UnitOfWork) -> None:
        runs.append("broken")
        raise ValueError("a bug")

    async def always_loses(uow: UnitOfWork) -> None:
        runs.append("loses")
        raise IntegrityError("INSERT …", {}, Exception("duplicate key"))

    with pytest.raises(ValueError):
        await units.run(broken)
    with pytest.raises(IntegrityError):
        await units.run(always_loses)
    assert runs == ["broken", "loses", "loses", "loses"]


async def test_the_dispatcher_claims_through_the_outbox_repository(app, gateway, clock, monkeypatch):
    claims = []
    claim_due = Outbox.claim_due

    async def counted(self, owner, now, limit, platforms):
        found = await claim_due(self, owner, now, limit, platforms)
        claims.append((owner, [row.key for row, _ in found]))
        return found

    monkeypatch.setattr(Outbox, "claim_due", counted)
    async with app.units() as uow:
        await uow.outbox.post(Address("test", "C1", ConversationKind.CHANNEL), Message("hello"), key="k1")
    dispatcher = Dispatcher(app.db, app.gateways, clock, owner="d1")
    assert await dispatcher.drain() == 1
    assert [p.key for p in gateway.posts()] == ["k1"]
    assert claims[0] == ("d1", ["k1"])


async def test_a_claim_takes_due_rows_once_and_leaves_later_ones(db, clock):
    units = UnitsOfWork(db, clock)
    async with units() as uow:
        await uow.outbox.post(ADDRESS, Message("now"), key="due")
        await uow.outbox.post(ADDRESS, Message("later"), key="later")
        later = await uow.session.scalar(select(OutboxMessage).where(OutboxMessage.key == "later"))
        later.next_attempt_at = clock.now().replace(year=2030)
    async with units() as uow:
        claimed = await uow.repo.outbox.claim_due("d1", uow.now, 10, {"test", "other"})
        assert [(row.key, row.status, row.claimed_by, unsure) for row, unsure in claimed] == [
            ("due", "sending", "d1", False)]
    async with units() as uow:
        assert await uow.repo.outbox.claim_due("d2", uow.now, 10, {"test"}) == []
        assert await uow.repo.outbox.claim_owners(besides="d2") == {"d1"}
