"""The database itself, on SQLite and PostgreSQL: schema from migrations, guards in unique keys."""
from datetime import datetime, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError, IntegrityError, StatementError

from storage.db import is_retryable
from storage.models import Base, Content, ContentStatus, LedgerEntry, Member, Share, ShareStatus
from storage.repositories import Repositories

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)


async def _member(repo: Repositories, user: str = "U1") -> Member:
    return await repo.members.ensure("test", user, {"display_name": user, "created_at": NOW})


async def test_migrations_build_exactly_the_schema_the_models_describe(db):
    async with db.engine.connect() as conn:
        diff = await conn.run_sync(lambda c: compare_metadata(MigrationContext.configure(c), Base.metadata))
    assert diff == []


async def test_ledger_idempotency_key_is_unique_in_the_database(db):
    async with db.transaction() as s:
        repo = Repositories(s)
        member = await _member(repo)
        assert await repo.ledger.append(member.id, 10, "share", "content:1", "share:1:0", NOW) is True
        assert await repo.ledger.append(member.id, 10, "share", "content:1", "share:1:0", NOW) is False
        assert await repo.ledger.balance(member.id) == 10
    with pytest.raises(IntegrityError):
        async with db.transaction() as s:
            s.add(LedgerEntry(member_id=member.id, points=10, reason="share", reference=None,
                              idempotency_key="share:1:0", created_at=NOW))


async def test_one_share_per_member_and_content(db):
    async with db.transaction() as s:
        repo = Repositories(s)
        member = await _member(repo)
        content = await repo.contents.add(url="https://example.com/a", title="A", summary="", captions=[],
                                          tags=[], kind="value", language="en", status="approved",
                                          author_id=None, created_at=NOW, expires_at=None)
        first = await repo.shares.ensure(member.id, content.id)
        second = await repo.shares.ensure(member.id, content.id)
        assert first.id == second.id
    with pytest.raises(IntegrityError):
        async with db.transaction() as s:
            s.add(Share(member_id=member.id, content_id=content.id, status="claimed", revision=0))


async def test_timestamps_come_back_aware_and_in_utc(db):
    async with db.transaction() as s:
        await _member(Repositories(s))
    async with db.transaction() as s:
        member = await s.scalar(select(Member))
        assert member.created_at == NOW and member.created_at.tzinfo is not None


async def test_first_sight_of_a_member_is_safe_to_repeat(db):
    async with db.transaction() as s:
        repo = Repositories(s)
        a = await _member(repo, "U7")
        b = await _member(repo, "U7")
        assert a.id == b.id


async def test_platform_refs_keep_the_newest(db):
    async with db.transaction() as s:
        repo = Repositories(s)
        await repo.refs.put("x", "conversation", "c1", {"serviceUrl": "https://a"}, NOW)
        await repo.refs.put("x", "conversation", "c1", {"serviceUrl": "https://b"}, NOW)
        assert await repo.refs.get("x", "conversation", "c1") == {"serviceUrl": "https://b"}


async def test_inbound_events_recognise_a_redelivery(db):
    async with db.transaction() as s:
        repo = Repositories(s)
        assert await repo.inbound.first_sight("x", "Ev1", NOW)
        assert not await repo.inbound.first_sight("x", "Ev1", NOW)


class _PgError(Exception):
    def __init__(self, sqlstate: str):
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


def test_deadlocks_and_serialization_failures_are_retryable_other_errors_are_not():
    def wrapped(code: str) -> DBAPIError:
        return DBAPIError("UPDATE …", {}, _PgError(code))

    assert is_retryable(wrapped("40P01")) and is_retryable(wrapped("40001"))
    assert is_retryable(IntegrityError("INSERT …", {}, _PgError("23505")))
    assert not is_retryable(wrapped("42P01"))  # undefined table: running it again changes nothing
    assert not is_retryable(ValueError("bad input"))


async def test_arrival_records_the_delivery_and_finds_the_sender(db):
    async with db.transaction() as s:
        repo = Repositories(s)
        assert await repo.arrival("test", "U1", "Ev1", NOW) == (True, None)  # someone new
        member = await _member(repo, "U1")
        assert await repo.arrival("test", "U1", "Ev2", NOW) == (True, member)
        assert (await repo.arrival("test", "U1", "Ev2", NOW))[0] is False  # a redelivery
        assert await repo.arrival("test", "U1", None, NOW) == (True, member)  # no delivery id given
        assert await repo.arrival("other", "U1", "Ev2", NOW) == (True, None)  # ids are per platform


async def _synchronous_commit(session) -> str:
    return await session.scalar(text("SHOW synchronous_commit"))


async def test_a_turn_that_only_records_its_delivery_does_not_wait_for_the_disk(db):
    if db.is_sqlite:
        pytest.skip("PostgreSQL: synchronous_commit")
    async with db.transaction() as s:
        repo = Repositories(s)
        member = await _member(repo, "U1")
    async with db.transaction() as s:
        repo = Repositories(s)
        await repo.arrival("test", "U1", "Ev1", NOW)
        await repo.ledger.balance(member.id)
        assert await _synchronous_commit(s) == "off"
    async with db.transaction() as s:
        assert await _synchronous_commit(s) == "on"  # for that transaction only


async def test_any_other_write_in_the_turn_makes_its_commit_durable_again(db):
    if db.is_sqlite:
        pytest.skip("PostgreSQL: synchronous_commit")
    async with db.transaction() as s:
        member = await _member(Repositories(s), "U1")
    async with db.transaction() as s:
        repo = Repositories(s)
        await repo.arrival("test", "U1", "Ev1", NOW)
        assert await repo.ledger.append(member.id, 10, "share", "content:1", "share:1:0", NOW)
        assert await _synchronous_commit(s) == "on"
    async with db.transaction() as s:
        repo = Repositories(s)
        (_, found) = await repo.arrival("test", "U1", "Ev2", NOW)
        found.opted_in = True  # an ORM change, written at flush
        await s.flush()
        assert await _synchronous_commit(s) == "on"


async def test_statuses_are_stored_as_plain_strings_read_back_as_enums_and_unknown_ones_refused(db):
    async with db.transaction() as s:
        repo = Repositories(s)
        member = await _member(repo)
        content = await repo.contents.add(url="https://example.com/s", title="S", summary="", captions=[],
                                          tags=[], kind="value", language="en", author_id=None,
                                          created_at=NOW, expires_at=None)
        share = await repo.shares.ensure(member.id, content.id)
        share.status = ShareStatus.SHARED
    async with db.transaction() as s:
        assert await s.scalar(text("SELECT status FROM shares")) == "shared"  # no migration: same strings
        assert await s.scalar(text("SELECT status FROM contents")) == "approved"
        stored = await s.scalar(select(Share))
        assert stored.status is ShareStatus.SHARED
        assert (await s.scalar(select(Content))).status is ContentStatus.APPROVED
    with pytest.raises(StatementError):
        async with db.transaction() as s:
            (await s.scalar(select(Share))).status = "posted"
