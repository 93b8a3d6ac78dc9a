"""Queries, grouped by what they hold. Each repository works inside the caller's transaction."""
from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, CursorResult, Executable, Select, bindparam, delete, func, select, update
from sqlalchemy.dialects.postgresql import Insert as PgInsert, insert as pg_insert
from sqlalchemy.dialects.sqlite import Insert as SqliteInsert, insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import RELAXES_COMMIT
from storage.models import (
    AuditEntry,
    Base,
    Content,
    ContentStatus,
    FaqEntry,
    InboundEvent,
    InboxEvent,
    JobRun,
    NudgeLog,
    ScheduleSetting,
    LedgerEntry,
    Member,
    OutboxMessage,
    OutboxStatus,
    PolicyAsk,
    PolicyTerm,
    ProgramState,
    PlatformRef,
    ProgramChannel,
    Offer,
    Share,
    ShareStatus,
    Suggestion,
)


_Insert = PgInsert | SqliteInsert
FaqVersion = tuple[int, datetime | None, int]  # entries, latest change, sum of ids

_INSERTS: dict[str, Callable[[type[Base]], _Insert]] = {  # both speak ON CONFLICT
    "postgresql": pg_insert, "sqlite": sqlite_insert}


def _dialect(session: AsyncSession) -> str:
    return session.bind.dialect.name if session.bind else "sqlite"


def _insert(session: AsyncSession, table: type[Base]) -> _Insert:
    return _INSERTS[_dialect(session)](table)


async def _rows_changed(session: AsyncSession, statement: Executable) -> int:
    """How many rows an INSERT, UPDATE or DELETE changed (its result is a `CursorResult`)."""
    result = await session.execute(statement)
    assert isinstance(result, CursorResult)
    return result.rowcount or 0


# Statements every chat turn runs, built once with bound parameters: building a statement and
# computing its cache key costs about as much as running it (~150 µs each on the bench machine).
_SENDER = (Member.platform == bindparam("platform")) & (Member.platform_user_id == bindparam("user_id"))
_MEMBER_BY_PLATFORM_ID = select(Member).where(_SENDER)
_BALANCE_AND_SHARES = select(
    select(func.coalesce(func.sum(LedgerEntry.points), 0))
    .where(LedgerEntry.member_id == bindparam("member_id")).scalar_subquery(),
    select(func.count()).select_from(Share)
    .where(Share.member_id == bindparam("member_id"), Share.status == ShareStatus.SHARED).scalar_subquery(),
)
_FIRST_SIGHT = {
    dialect: insert(InboundEvent).on_conflict_do_nothing(index_elements=["platform", "event_id"])
    for dialect, insert in _INSERTS.items()
}


def _arrival_statement() -> Select[Any, Member, Any]:
    """PostgreSQL: record the delivery id and find its sender in one round trip. The insert runs in
    a CTE (SQLite has no writes in CTEs); `fresh` is 1 if it inserted. The outer join keeps the row
    when the sender is new. The commit need not wait for the disk unless the turn writes more
    (`storage.db.RELAXES_COMMIT`)."""
    seen = (pg_insert(InboundEvent)
            .values(platform=bindparam("platform"), event_id=bindparam("event_id"),
                    received_at=bindparam("received_at"))
            .on_conflict_do_nothing(index_elements=["platform", "event_id"])
            .returning(InboundEvent.event_id)
            .cte("seen"))
    fresh = select(func.count().label("fresh")).select_from(seen).subquery("arrival")
    relax = func.set_config("synchronous_commit", "off", True).label("relaxed")
    return (select(fresh.c.fresh, Member, relax).select_from(fresh).outerjoin(Member, _SENDER)
            .execution_options(**{RELAXES_COMMIT: True}))


_ARRIVAL = _arrival_statement()


async def insert_ignore(session: AsyncSession, table: type[Base], values: dict[str, Any],
                        key: list[str]) -> bool:
    """INSERT … ON CONFLICT DO NOTHING. True if this call inserted the row."""
    stmt = _insert(session, table).values(**values).on_conflict_do_nothing(index_elements=key)
    return bool(await _rows_changed(session, stmt))


class Members:
    def __init__(self, session: AsyncSession):
        self.s = session

    async def get(self, member_id: int) -> Member | None:
        return await self.s.get(Member, member_id)

    async def by_platform_id(self, platform: str, user_id: str) -> Member | None:
        return await self.s.scalar(_MEMBER_BY_PLATFORM_ID, {"platform": platform, "user_id": user_id})

    async def ensure(self, platform: str, user_id: str, defaults: dict[str, Any],
                     known: Member | None = None) -> Member:
        """The member, created on first sight. Safe against two first sights at once.
        `known`: the member as this transaction already found it (`Repositories.arrival`)."""
        member = known or await self.by_platform_id(platform, user_id)
        if member is None:
            await insert_ignore(
                self.s, Member, {"platform": platform, "platform_user_id": user_id, **defaults},
                ["platform", "platform_user_id"],
            )
            member = await self.by_platform_id(platform, user_id)
        assert member is not None
        return member

    async def counts(self) -> tuple[int, int]:
        total = await self.s.scalar(select(func.count()).select_from(Member)) or 0
        joined = await self.s.scalar(select(func.count()).where(Member.opted_in.is_(True))) or 0
        return total, joined

    async def nudgeable(self, now: datetime, after_id: int = 0, limit: int = 500) -> list[Member]:
        """Joined members who can be nudged now: not stopped, not snoozed, reachable."""
        return list(await self.s.scalars(
            select(Member)
            .where(Member.id > after_id, Member.opted_in.is_(True), Member.nudges_stopped.is_(False),
                   Member.reachable.is_(True),
                   (Member.snoozed_until.is_(None)) | (Member.snoozed_until <= now))
            .order_by(Member.id).limit(limit)))

    async def on_platform(self, platform: str) -> list[Member]:
        return list(await self.s.scalars(select(Member).where(Member.platform == platform)))

    async def admins(self) -> list[Member]:
        return list(await self.s.scalars(select(Member).where(Member.role == "admin")))


class Contents:
    def __init__(self, session: AsyncSession):
        self.s = session

    async def get(self, content_id: int) -> Content | None:
        return await self.s.get(Content, content_id)

    async def lock(self, content_id: int) -> None:
        """Take the content's row lock until commit (PostgreSQL; SQLite has one writer anyway).

        FOR NO KEY UPDATE, not FOR UPDATE: inserting a share already holds a KEY SHARE lock on its
        content (the foreign key check), which FOR UPDATE would wait on, in both directions."""
        await self.s.execute(select(Content.id).where(Content.id == content_id).with_for_update(key_share=True))

    async def by_url(self, url: str) -> Content | None:
        return await self.s.scalar(select(Content).where(Content.url == url))

    async def add(self, **values: Any) -> Content:
        content = Content(**values)
        self.s.add(content)
        await self.s.flush()
        return content

    async def latest(self, limit: int = 20) -> list[Content]:
        return list(await self.s.scalars(
            select(Content).where(Content.status == ContentStatus.APPROVED).order_by(Content.id.desc()).limit(limit)
        ))

    async def count_by_kind(self) -> dict[str, int]:
        rows = await self.s.execute(select(Content.kind, func.count()).group_by(Content.kind))
        return {kind: n for kind, n in rows}

    async def not_offered_in(self, platform: str, channel_id: str, now: datetime) -> list[Content]:
        offered = select(Suggestion.content_id).where(
            Suggestion.platform == platform, Suggestion.channel_id == channel_id
        )
        return list(await self.s.scalars(
            select(Content)
            .where(Content.status == ContentStatus.APPROVED, Content.id.not_in(offered))
            .where((Content.expires_at.is_(None)) | (Content.expires_at > now))
            .order_by(Content.created_at.desc(), Content.id.desc())
        ))

    async def any(self) -> bool:
        return (await self.s.scalar(select(func.count()).select_from(Content)) or 0) > 0


class Suggestions:
    def __init__(self, session: AsyncSession):
        self.s = session

    async def add(self, content_id: int, platform: str, channel_id: str, week: date, now: datetime
                  ) -> Suggestion | None:
        inserted = await insert_ignore(
            self.s, Suggestion,
            {"content_id": content_id, "platform": platform, "channel_id": channel_id,
             "week_start": week, "created_at": now},
            ["content_id", "platform", "channel_id"],
        )
        if not inserted:
            return None
        return await self.s.scalar(select(Suggestion).where(
            Suggestion.content_id == content_id, Suggestion.platform == platform,
            Suggestion.channel_id == channel_id))

    async def for_content(self, content_id: int) -> list[Suggestion]:
        return list(await self.s.scalars(select(Suggestion).where(Suggestion.content_id == content_id)))

    async def by_message(self, platform: str, message_ref: str) -> Suggestion | None:
        return await self.s.scalar(select(Suggestion).where(
            Suggestion.platform == platform, Suggestion.message_ref == message_ref))

    async def set_message_ref(self, suggestion_id: int, ref: str) -> None:
        await self.s.execute(update(Suggestion).where(Suggestion.id == suggestion_id).values(message_ref=ref))

    async def platforms(self) -> list[str]:
        return list(await self.s.scalars(select(Suggestion.platform).distinct()))

    async def mix_since(self, platform: str, channel_id: str, since: date) -> tuple[int, int]:
        """(all, promotional) suggestions offered in a channel since a week."""
        rows = await self.s.execute(
            select(Content.kind, func.count()).select_from(Suggestion)
            .join(Content, Content.id == Suggestion.content_id)
            .where(Suggestion.platform == platform, Suggestion.channel_id == channel_id,
                   Suggestion.week_start >= since)
            .group_by(Content.kind))
        counts = {kind: n for kind, n in rows}
        return sum(counts.values()), counts.get("promotional", 0)

    async def of_week(self, platform: str, week: date) -> list[Suggestion]:
        return list(await self.s.scalars(select(Suggestion).where(
            Suggestion.platform == platform, Suggestion.week_start == week).order_by(Suggestion.id)))


class Shares:
    def __init__(self, session: AsyncSession):
        self.s = session

    async def get(self, member_id: int, content_id: int, *, lock: bool = False) -> Share | None:
        stmt = select(Share).where(Share.member_id == member_id, Share.content_id == content_id)
        if lock:
            stmt = stmt.with_for_update()
        return await self.s.scalar(stmt)

    async def ensure(self, member_id: int, content_id: int) -> Share:
        await insert_ignore(self.s, Share, {"member_id": member_id, "content_id": content_id,
                                            "status": ShareStatus.CLAIMED, "revision": 0},
                            ["member_id", "content_id"])
        share = await self.get(member_id, content_id, lock=True)
        assert share is not None
        await self.s.refresh(share)
        return share

    async def count_shared(self, content_id: int) -> int:
        return await self.s.scalar(select(func.count()).where(
            Share.content_id == content_id, Share.status == ShareStatus.SHARED)) or 0

    async def count_since(self, since: datetime | None = None) -> int:
        stmt = select(func.count()).where(Share.status == ShareStatus.SHARED)
        if since is not None:
            stmt = stmt.where(Share.shared_at >= since)
        return await self.s.scalar(stmt) or 0

    async def last_shared_at(self, member_ids: list[int]) -> dict[int, datetime]:
        rows = await self.s.execute(select(Share.member_id, func.max(Share.shared_at)).where(
            Share.member_id.in_(member_ids), Share.status == ShareStatus.SHARED).group_by(Share.member_id))
        return {member_id: when for member_id, when in rows if when is not None}

    async def shared_content(self, member_ids: list[int], content_ids: list[int]) -> set[tuple[int, int]]:
        rows = await self.s.execute(select(Share.member_id, Share.content_id).where(
            Share.member_id.in_(member_ids), Share.content_id.in_(content_ids), Share.status == ShareStatus.SHARED))
        return {(m, c) for m, c in rows}

    async def stale_claims(self, member_ids: list[int], before: datetime) -> list[Share]:
        return list(await self.s.scalars(select(Share).where(
            Share.member_id.in_(member_ids), Share.status == ShareStatus.CLAIMED, Share.claimed_at <= before)))

    async def top_members(self, since: datetime, until: datetime, limit: int = 3) -> list[tuple[Member, int]]:
        rows = await self.s.execute(
            select(Member, func.count(Share.id)).join(Share, Share.member_id == Member.id)
            .where(Share.status == ShareStatus.SHARED, Share.shared_at >= since, Share.shared_at < until,
                   Member.visible_on_leaderboard.is_(True), Member.opted_in.is_(True))
            .group_by(Member.id).order_by(func.count(Share.id).desc(), Member.id).limit(limit))
        return [(m, n) for m, n in rows]

    async def count_between(self, since: datetime, until: datetime) -> int:
        return await self.s.scalar(select(func.count()).where(
            Share.status == ShareStatus.SHARED, Share.shared_at >= since, Share.shared_at < until)) or 0

    async def active_between(self, since: datetime, until: datetime) -> int:
        """Ambassadors (members who are in the program now) who shared in the period."""
        return await self.s.scalar(_ACTIVE.where(Share.shared_at >= since, Share.shared_at < until)) or 0

    async def top_content_between(self, since: datetime, until: datetime, limit: int = 3
                                  ) -> list[tuple[Content, int]]:
        rows = await self.s.execute(
            select(Content, func.count(Share.id)).join(Share, Share.content_id == Content.id)
            .where(Share.status == ShareStatus.SHARED, Share.shared_at >= since, Share.shared_at < until)
            .group_by(Content.id).order_by(func.count(Share.id).desc(), Content.id).limit(limit))
        return [(c, n) for c, n in rows]

    async def top_content(self, limit: int = 3) -> list[tuple[Content, int]]:
        rows = await self.s.execute(
            select(Content, func.count(Share.id).label("n"))
            .join(Share, Share.content_id == Content.id)
            .where(Share.status == ShareStatus.SHARED)
            .group_by(Content.id).order_by(func.count(Share.id).desc(), Content.id).limit(limit)
        )
        return [(c, n) for c, n in rows]

    async def active_members(self, since: datetime | None = None) -> int:
        """Ambassadors (members who are in the program now) who shared since `since`."""
        stmt = _ACTIVE if since is None else _ACTIVE.where(Share.shared_at >= since)
        return await self.s.scalar(stmt) or 0

    async def counts_shared(self, content_ids: list[int]) -> dict[int, int]:
        """How many members shared each of these contents, in one query."""
        if not content_ids:
            return {}
        rows = await self.s.execute(select(Share.content_id, func.count()).where(
            Share.content_id.in_(content_ids), Share.status == ShareStatus.SHARED).group_by(Share.content_id))
        return {content_id: n for content_id, n in rows}


_ACTIVE = (select(func.count(func.distinct(Share.member_id))).join(Member, Member.id == Share.member_id)
           .where(Share.status == ShareStatus.SHARED, Member.opted_in.is_(True)))


class Offers:
    def __init__(self, session: AsyncSession):
        self.s = session

    async def record(self, member_id: int, content_ids: list[int], source: str, now: datetime) -> None:
        """Remember that these contents were shown to the member (once each; later shows change nothing)."""
        known = set(await self.s.scalars(select(Offer.content_id).where(
            Offer.member_id == member_id, Offer.content_id.in_(content_ids))))
        for content_id in content_ids:
            if content_id not in known:
                await insert_ignore(self.s, Offer, {"member_id": member_id, "content_id": content_id,
                                                    "source": source, "offered_at": now},
                                    ["member_id", "content_id"])

    async def offered(self, member: Member, content_id: int) -> bool:
        """Suggested on the member's platform (a channel digest), or shown to the member."""
        suggested = select(Suggestion.id).where(Suggestion.content_id == content_id,
                                                Suggestion.platform == member.platform)
        shown = select(Offer.id).where(Offer.member_id == member.id, Offer.content_id == content_id)
        return bool(await self.s.scalar(select(suggested.exists() | shown.exists())))


class Ledger:
    def __init__(self, session: AsyncSession):
        self.s = session

    async def append(self, member_id: int, points: int, reason: str, reference: str, key: str,
                     now: datetime) -> bool:
        """Append once: a second entry with the same idempotency key is ignored."""
        return await insert_ignore(
            self.s, LedgerEntry,
            {"member_id": member_id, "points": points, "reason": reason, "reference": reference,
             "idempotency_key": key, "created_at": now},
            ["idempotency_key"],
        )

    async def balance(self, member_id: int) -> int:
        return await self.s.scalar(
            select(func.coalesce(func.sum(LedgerEntry.points), 0)).where(LedgerEntry.member_id == member_id)
        ) or 0

    async def balance_and_shares(self, member_id: int) -> tuple[int, int]:
        """A member's points and how many contents they shared, in one round trip."""
        row = (await self.s.execute(_BALANCE_AND_SHARES, {"member_id": member_id})).one()
        return int(row[0] or 0), int(row[1] or 0)

    async def standings(self, limit: int | None = None) -> list[tuple[Member, int]]:
        """The leaderboard: members in the program who did not hide, by points."""
        total = func.coalesce(func.sum(LedgerEntry.points), 0)
        rows = await self.s.execute(
            select(Member, total.label("points"))
            .join(LedgerEntry, LedgerEntry.member_id == Member.id)
            .where(Member.opted_in.is_(True), Member.visible_on_leaderboard.is_(True))
            .group_by(Member.id)
            .having(total > 0)
            .order_by(total.desc(), Member.id)
            .limit(limit)
        )
        return [(m, int(p)) for m, p in rows]


class Faq:
    def __init__(self, session: AsyncSession):
        self.s = session

    async def all(self) -> list[FaqEntry]:
        return list(await self.s.scalars(select(FaqEntry).order_by(FaqEntry.id)))

    async def by_key(self, key: str) -> FaqEntry | None:
        return await self.s.scalar(select(FaqEntry).where(FaqEntry.key == key))

    async def add(self, **values: Any) -> FaqEntry:
        entry = FaqEntry(**values)
        self.s.add(entry)
        await self.s.flush()
        return entry

    async def remove(self, entry: FaqEntry) -> None:
        await self.s.delete(entry)
        await self.s.flush()

    async def count(self) -> int:
        return await self.s.scalar(select(func.count()).select_from(FaqEntry)) or 0

    async def version(self) -> FaqVersion:
        """Changes whenever an entry is added, edited or removed: the policy index cache key."""
        row = (await self.s.execute(select(func.count(), func.max(FaqEntry.updated_at), func.sum(FaqEntry.id)))).one()
        return (int(row[0] or 0), row[1], int(row[2] or 0))


class Audit:
    def __init__(self, session: AsyncSession):
        self.s = session

    async def record(self, actor_id: int | None, action: str, subject: str | None,
                     details: dict[str, Any], now: datetime) -> None:
        self.s.add(AuditEntry(actor_id=actor_id, action=action, subject=subject, details=details,
                              created_at=now))

    async def recent(self, limit: int = 50) -> list[AuditEntry]:
        return list(await self.s.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)))


class Channels:
    def __init__(self, session: AsyncSession):
        self.s = session

    async def get(self, platform: str) -> ProgramChannel | None:
        return await self.s.get(ProgramChannel, platform)

    async def set(self, platform: str, conversation_id: str, name: str | None, by: int | None,
                  now: datetime) -> None:
        await self.s.execute(delete(ProgramChannel).where(ProgramChannel.platform == platform))
        self.s.add(ProgramChannel(platform=platform, conversation_id=conversation_id, name=name,
                                  set_by=by, set_at=now))


class InboundEvents:
    def __init__(self, session: AsyncSession):
        self.s = session

    async def first_sight(self, platform: str, event_id: str, now: datetime) -> bool:
        """Record a delivery id; False if it was recorded before (a redelivery)."""
        connection = await self.s.connection()  # a plain INSERT, not the ORM's bulk insert
        result = await connection.execute(_FIRST_SIGHT[connection.dialect.name],
                                          {"platform": platform, "event_id": event_id, "received_at": now})
        return bool(result.rowcount)

    async def forget_before(self, cutoff: datetime) -> int:
        return await _rows_changed(self.s, delete(InboundEvent).where(InboundEvent.received_at < cutoff))


def _inbox_insert(dialect: str) -> Executable:
    """One statement per dialect, built once. On PostgreSQL it also turns synchronous_commit off for
    its own transaction, which holds nothing else (see `storage.db.RELAXES_COMMIT`): the ack waits
    for the server, not its disk. Only a crash of the database server itself within that moment
    could forget an acknowledged event; a crash of the bot cannot."""
    stmt = _INSERTS[dialect](InboxEvent).on_conflict_do_nothing(index_elements=["platform", "event_id"])
    if dialect != "postgresql":
        return stmt
    relax = func.set_config("synchronous_commit", "off", True)
    return stmt.returning(relax).execution_options(**{RELAXES_COMMIT: True})


_INBOX_INSERT = {dialect: _inbox_insert(dialect) for dialect in _INSERTS}


class Inbox:
    """Acknowledged events waiting for their work (`bot.inbox`). A row is claimed by one worker at
    a time and deleted once handled."""

    def __init__(self, session: AsyncSession):
        self.s = session

    async def record(self, values: dict[str, Any]) -> None:
        """Keep an event (a platform's retry of one already kept is ignored)."""
        connection = await self.s.connection()
        await connection.execute(_INBOX_INSERT[connection.dialect.name], values)

    async def claim(self, owner: str, now: datetime, limit: int) -> list[InboxEvent]:
        """Claim up to `limit` unclaimed rows for `owner`, the waiting lane first, oldest first.
        Rows another transaction holds are skipped and the claim is checked again as it is made,
        so two workers never claim the same row."""
        free = (select(InboxEvent.id).where(InboxEvent.claimed_by.is_(None))
                .order_by(InboxEvent.lane, InboxEvent.id).limit(limit).with_for_update(skip_locked=True))
        claimed: list[int] = []
        for _ in range(3):  # rows found free may be claimed by another worker meanwhile: look again
            found = list(await self.s.scalars(free))
            if not found:
                return []
            claimed = list((await self.s.execute(
                update(InboxEvent).where(InboxEvent.id.in_(found), InboxEvent.claimed_by.is_(None))
                .values(claimed_by=owner, claimed_at=now).returning(InboxEvent.id))).scalars().all())
            if claimed:
                break
        if not claimed:
            return []
        return list(await self.s.scalars(select(InboxEvent).where(InboxEvent.id.in_(claimed))
                                         .order_by(InboxEvent.lane, InboxEvent.id)))

    async def finish(self, ids: Collection[int], owner: str) -> int:
        """Delete handled rows still claimed by `owner`."""
        return await _rows_changed(self.s, delete(InboxEvent).where(
            InboxEvent.id.in_(list(ids)), InboxEvent.claimed_by == owner))

    async def claim_owners(self, besides: str) -> set[str]:
        return set(await self.s.scalars(
            select(InboxEvent.claimed_by).distinct()
            .where(InboxEvent.claimed_by.is_not(None), InboxEvent.claimed_by != besides)))

    async def release(self, *, owners: Collection[str] = (), claimed_before: datetime | None = None,
                      every: bool = False) -> int:
        """Give back claims nobody will finish: those held by one of `owners`, and those made before
        `claimed_before`; with `every`, all of them."""
        stale: ColumnElement[bool] = InboxEvent.claimed_by.in_(sorted(owners))
        if claimed_before is not None:
            stale = stale | (InboxEvent.claimed_at < claimed_before)
        if every:
            stale = InboxEvent.claimed_by.is_not(None)
        return await _rows_changed(self.s, update(InboxEvent).where(stale).values(claimed_by=None, claimed_at=None))

    async def depth(self) -> int:
        return await self.s.scalar(select(func.count()).select_from(InboxEvent)) or 0


_CLAIMABLE = (OutboxStatus.PENDING, OutboxStatus.UNSURE)


class Outbox:
    def __init__(self, session: AsyncSession):
        self.s = session

    async def enqueue(self, values: dict[str, Any]) -> bool:
        return await insert_ignore(self.s, OutboxMessage, values, ["key"])

    async def supersede_update(self, platform: str, target_ref: str, values: dict[str, Any]) -> bool:
        """Give a waiting update of the same message the newer content. True if there was one.

        A row already claimed by a dispatcher (`sending`) is left alone; the caller queues anew."""
        waiting = (update(OutboxMessage)
                   .where(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.op == "update",
                          OutboxMessage.platform == platform, OutboxMessage.target_ref == target_ref)
                   .values(**values))
        return bool(await _rows_changed(self.s, waiting))

    async def claim_due(self, owner: str, now: datetime, limit: int,
                        platforms: Collection[str]) -> list[tuple[OutboxMessage, bool]]:
        """Claim up to `limit` due rows on these platforms for `owner` (status `sending`): pending
        rows, and unsure ones due for their look-up. Rows another transaction holds are skipped,
        and the status is checked again as it is changed, so two dispatchers (replicas on
        PostgreSQL) never claim the same row. Returns each row with whether it was unsure."""
        due = (select(OutboxMessage.id, OutboxMessage.status)
               .where(OutboxMessage.status.in_(_CLAIMABLE), OutboxMessage.next_attempt_at <= now,
                      OutboxMessage.platform.in_(list(platforms)))
               .order_by(OutboxMessage.id).limit(limit).with_for_update(skip_locked=True))
        found = {row_id: status for row_id, status in await self.s.execute(due)}
        if not found:
            return []
        claimed = (await self.s.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(list(found)), OutboxMessage.status.in_(_CLAIMABLE))
            .values(status=OutboxStatus.SENDING, claimed_by=owner, claimed_at=now)
            .returning(OutboxMessage.id))).scalars().all()
        rows = await self.s.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(claimed))
                                    .order_by(OutboxMessage.id))
        return [(row, found[row.id] == OutboxStatus.UNSURE) for row in rows]

    async def claimed(self, row_id: int, owner: str) -> OutboxMessage | None:
        """The row, locked, if `owner` still holds its claim."""
        row = await self.s.get(OutboxMessage, row_id, with_for_update=True)
        if row is None or row.status != OutboxStatus.SENDING or row.claimed_by != owner:
            return None
        return row

    async def claim_owners(self, besides: str) -> set[str]:
        """Who holds claims, other than `besides`."""
        return set(await self.s.scalars(
            select(OutboxMessage.claimed_by).distinct()
            .where(OutboxMessage.status == OutboxStatus.SENDING, OutboxMessage.claimed_by.is_not(None),
                   OutboxMessage.claimed_by != besides)))

    async def abandoned_claims(self, platforms: Collection[str], *, claimed_before: datetime | None,
                               owners: Collection[str] = ()) -> list[OutboxMessage]:
        """Claims on these platforms that nobody will finish, locked (skipping rows another
        transaction holds): those made before `claimed_before` or held by one of `owners` (gone);
        every claim if `claimed_before` is None."""
        stale = OutboxMessage.status == OutboxStatus.SENDING
        if claimed_before is not None:
            old = OutboxMessage.claimed_at < claimed_before
            stale = stale & ((old | OutboxMessage.claimed_by.in_(sorted(owners))) if owners else old)
        return list(await self.s.scalars(
            select(OutboxMessage).where(stale, OutboxMessage.platform.in_(list(platforms)))
            .with_for_update(skip_locked=True)))

    async def forget_done_before(self, cutoff: datetime) -> int:
        """Sent and given-up rows created before `cutoff`; pending and in-flight rows stay."""
        return await _rows_changed(self.s, delete(OutboxMessage).where(
            OutboxMessage.status.in_((OutboxStatus.SENT, OutboxStatus.FAILED)), OutboxMessage.created_at < cutoff))

    async def pending_count(self) -> int:
        return await self.s.scalar(select(func.count()).where(OutboxMessage.status == OutboxStatus.PENDING)) or 0


class PlatformRefs:
    def __init__(self, session: AsyncSession):
        self.s = session

    async def get(self, platform: str, kind: str, key: str) -> dict[str, Any] | None:
        ref = await self.s.get(PlatformRef, (platform, kind, key))
        return None if ref is None else ref.data

    async def put(self, platform: str, kind: str, key: str, data: dict[str, Any], now: datetime) -> None:
        """Insert or replace (the newest reference wins, e.g. a changed serviceUrl)."""
        stmt = _insert(self.s, PlatformRef).values(platform=platform, kind=kind, key=key, data=data,
                                                    updated_at=now)
        stmt = stmt.on_conflict_do_update(index_elements=["platform", "kind", "key"],
                                          set_={"data": data, "updated_at": now})
        await self.s.execute(stmt)


class Jobs:
    def __init__(self, session: AsyncSession):
        self.s = session

    async def start(self, job: str, period: str, now: datetime, **details: Any) -> bool:
        """Claim a job's run for a period. False if it already ran (here or on another replica)."""
        return await insert_ignore(self.s, JobRun, {"job": job, "period": period, "started_at": now,
                                                    "details": details}, ["job", "period"])

    async def settings(self) -> dict[str, ScheduleSetting]:
        return {row.name: row for row in await self.s.scalars(select(ScheduleSetting))}

    async def save_setting(self, name: str, now: datetime, **values: Any) -> None:
        row = await self.s.get(ScheduleSetting, name)
        if row is None:
            row = ScheduleSetting(name=name, spec=None, paused=False, updated_at=now)
            self.s.add(row)
        for key, value in values.items():
            setattr(row, key, value)
        row.updated_at = now


class Nudges:
    def __init__(self, session: AsyncSession):
        self.s = session

    async def counts_in_week(self, week: date) -> dict[int, int]:
        rows = await self.s.execute(select(NudgeLog.member_id, func.count()).where(
            NudgeLog.week_start == week).group_by(NudgeLog.member_id))
        return {member_id: n for member_id, n in rows}

    async def references(self, reason: str) -> set[str]:
        return set(await self.s.scalars(select(NudgeLog.reference).where(NudgeLog.reason == reason)))

    async def record(self, member_id: int, week: date, seq: int, reason: str, reference: str,
                     now: datetime) -> int | None:
        """The new log row's id, or None if this nudge was already planned."""
        inserted = await insert_ignore(self.s, NudgeLog, {
            "member_id": member_id, "week_start": week, "seq": seq, "reason": reason,
            "reference": reference, "created_at": now}, ["reason", "reference"])
        if not inserted:
            return None
        return await self.s.scalar(select(NudgeLog.id).where(NudgeLog.reason == reason,
                                                             NudgeLog.reference == reference))


class PolicyLog:
    def __init__(self, session: AsyncSession):
        self.s = session

    async def record(self, **values: Any) -> PolicyAsk:
        ask = PolicyAsk(**values)
        self.s.add(ask)
        await self.s.flush()
        return ask

    async def get(self, ask_id: int, *, lock: bool = False) -> PolicyAsk | None:
        return await self.s.get(PolicyAsk, ask_id, with_for_update=lock)

    async def terms(self, kind: str | None = None) -> list[PolicyTerm]:
        stmt = select(PolicyTerm).order_by(PolicyTerm.kind, PolicyTerm.term)
        if kind:
            stmt = stmt.where(PolicyTerm.kind == kind)
        return list(await self.s.scalars(stmt))

    async def add_term(self, kind: str, term: str, now: datetime) -> bool:
        return await insert_ignore(self.s, PolicyTerm, {"kind": kind, "term": term, "created_at": now},
                                   ["kind", "term"])

    async def remove_term(self, kind: str, term: str) -> bool:
        return bool(await _rows_changed(self.s, delete(PolicyTerm).where(
            PolicyTerm.kind == kind, func.lower(PolicyTerm.term) == term.lower())))


class Program:
    """The one program_state row."""

    def __init__(self, session: AsyncSession):
        self.s = session

    async def first_start(self) -> datetime | None:
        return await self.s.scalar(select(ProgramState.first_start_at).where(ProgramState.id == 1))

    async def record_first_start(self, now: datetime) -> datetime:
        """Record `now` as the first start unless one is recorded (then nothing is written); return
        the recorded one."""
        recorded = await self.first_start()
        if recorded is not None:
            return recorded
        await insert_ignore(self.s, ProgramState, {"id": 1, "first_start_at": now}, ["id"])
        return await self.first_start() or now  # ours, or a concurrent first start's

    async def heartbeat(self, now: datetime) -> None:
        """A write that proves the database takes writes (readiness)."""
        stmt = _insert(self.s, ProgramState).values(id=1, first_start_at=now, heartbeat_at=now)
        await self.s.execute(stmt.on_conflict_do_update(index_elements=["id"], set_={"heartbeat_at": now}))


class Repositories:
    """Every repository bound to one session (one transaction)."""

    def __init__(self, session: AsyncSession):
        self.session = session
        self.members = Members(session)
        self.contents = Contents(session)
        self.suggestions = Suggestions(session)
        self.shares = Shares(session)
        self.ledger = Ledger(session)
        self.offers = Offers(session)
        self.faq = Faq(session)
        self.audit = Audit(session)
        self.channels = Channels(session)
        self.inbound = InboundEvents(session)
        self.outbox = Outbox(session)
        self.inbox = Inbox(session)
        self.refs = PlatformRefs(session)
        self.jobs = Jobs(session)
        self.nudges = Nudges(session)
        self.policy = PolicyLog(session)
        self.program = Program(session)

    async def arrival(self, platform: str, user_id: str, event_id: str | None,
                      now: datetime) -> tuple[bool, Member | None]:
        """Record a delivery id (if the platform gave one) and find who sent it.

        Returns (False, …) for a redelivery, else (True, the member or None if new). Every chat
        turn starts here, so on PostgreSQL it is one statement (`_ARRIVAL`) instead of two."""
        if event_id is None:
            return True, await self.members.by_platform_id(platform, user_id)
        if _dialect(self.session) == "postgresql":
            fresh, member, _ = (await self.session.execute(_ARRIVAL, {
                "platform": platform, "event_id": event_id, "received_at": now, "user_id": user_id})).one()
            return bool(fresh), member
        if not await self.inbound.first_sight(platform, event_id, now):
            return False, None
        return True, await self.members.by_platform_id(platform, user_id)
