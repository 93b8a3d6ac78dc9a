"""SQLite through `storage.sqlite_trips`: one trip to the database thread per statement, with the
rows, counts and errors SQLAlchemy gets from plain aiosqlite."""
from datetime import datetime, timezone

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from storage import sqlite_trips
from storage.db import Database
from storage.migrate import upgrade
from storage.models import LedgerEntry, Member
from storage.repositories import Repositories

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
async def sqlite_db(tmp_path):
    database = Database(f"sqlite:///{tmp_path / 'trips.db'}")
    await upgrade(database)
    yield database
    await database.dispose()


@pytest.fixture
def trips(monkeypatch) -> list[str]:
    """Every call that goes to a connection's database thread, by name."""
    seen: list[str] = []
    execute = sqlite_trips.OneTripConnection._execute

    async def counted(self, fn, *args, **kwargs):
        seen.append(getattr(fn, "__name__", repr(fn)))
        return await execute(self, fn, *args, **kwargs)

    monkeypatch.setattr(sqlite_trips.OneTripConnection, "_execute", counted)
    return seen


async def _member(repo: Repositories, user: str) -> Member:
    return await repo.members.ensure("test", user, {"display_name": user, "created_at": NOW})


async def test_a_statement_is_one_trip_to_the_database_thread(sqlite_db, trips):
    async with sqlite_db.transaction() as s:
        await _member(Repositories(s), "U1")
    trips.clear()
    async with sqlite_db.transaction() as s:
        assert (await s.scalar(select(func.count()).select_from(Member))) == 1
    assert trips == ["_run"]  # and no commit or reset trip after a read


async def test_a_write_costs_its_statement_and_the_commit(sqlite_db, trips):
    async with sqlite_db.transaction() as s:
        assert await Repositories(s).inbound.first_sight("x", "Ev1", NOW)
    assert trips == ["_run", "commit"]


async def test_rows_counts_and_ids_come_back_as_from_aiosqlite(sqlite_db):
    async with sqlite_db.transaction() as s:
        repo = Repositories(s)
        members = [await _member(repo, f"U{n}") for n in range(3)]
        assert [m.id for m in members] == [1, 2, 3]
        s.add_all([LedgerEntry(member_id=1, points=n, reason="share", reference=None,
                               idempotency_key=f"k{n}", created_at=NOW) for n in range(200)])
        await s.flush()
        assert await repo.ledger.append(1, 5, "share", "c", "k0", NOW) is False  # ON CONFLICT: rowcount 0
        assert await repo.ledger.balance(1) == sum(range(200))
        keys = list(await s.scalars(select(LedgerEntry.idempotency_key).order_by(LedgerEntry.id)))
        assert keys == [f"k{n}" for n in range(200)]


async def test_a_broken_rule_raises_the_usual_error_and_keeps_the_connection_usable(sqlite_db):
    with pytest.raises(IntegrityError):
        async with sqlite_db.transaction() as s:
            s.add(Member(platform="test", platform_user_id="U1", display_name="a", created_at=NOW))
            s.add(Member(platform="test", platform_user_id="U1", display_name="b", created_at=NOW))
    async with sqlite_db.transaction() as s:
        assert (await s.scalar(select(func.count()).select_from(Member))) == 0
        await _member(Repositories(s), "U1")
    async with sqlite_db.transaction() as s:
        assert (await s.scalar(select(func.count()).select_from(Member))) == 1


async def test_a_rolled_back_write_is_gone(sqlite_db):
    async with sqlite_db.sessions() as s:
        async with s.begin():
            await _member(Repositories(s), "U1")
            await s.rollback()
    async with sqlite_db.transaction() as s:
        assert (await s.scalar(select(func.count()).select_from(Member))) == 0
