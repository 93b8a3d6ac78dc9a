"""Tables. Every effect that must happen once has a natural unique key here."""
from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Index,
)
from sqlalchemy import false as sa_false, true as sa_true
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from storage.types import StatusType, UTCDateTime

BigId = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON(), list[str]: JSON()}


class Member(Base):
    __tablename__ = "members"
    __table_args__ = (UniqueConstraint("platform", "platform_user_id", name="uq_members_platform_user"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    platform: Mapped[str] = mapped_column(String(32))
    platform_user_id: Mapped[str] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(String(255), default="")
    timezone: Mapped[str | None] = mapped_column(String(64))
    locale: Mapped[str | None] = mapped_column(String(35))
    team: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default="employee")
    opted_in: Mapped[bool] = mapped_column(Boolean, default=False)
    visible_on_leaderboard: Mapped[bool] = mapped_column(Boolean, default=True)
    reachable: Mapped[bool] = mapped_column(Boolean, default=True, server_default=sa_true())
    nudges_stopped: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    snoozed_until: Mapped[datetime | None]
    joined_at: Mapped[datetime | None]
    created_at: Mapped[datetime]


class ContentStatus(StrEnum):
    APPROVED = "approved"  # in the library: offered in digests and `list`
    RETIRED = "retired"    # kept for its history (shares, points), never offered again


class Content(Base):
    __tablename__ = "contents"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    url: Mapped[str] = mapped_column(String(2048), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")
    captions: Mapped[list[str]] = mapped_column(default=list)
    tags: Mapped[list[str]] = mapped_column(default=list)
    kind: Mapped[str] = mapped_column(String(16), default="value")
    language: Mapped[str | None] = mapped_column(String(8))
    status: Mapped[ContentStatus] = mapped_column(StatusType(ContentStatus), default=ContentStatus.APPROVED)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime | None]


class Suggestion(Base):
    """A piece of content offered in a channel; never offered twice in the same channel."""

    __tablename__ = "suggestions"
    __table_args__ = (
        UniqueConstraint("content_id", "platform", "channel_id", name="uq_suggestions_content_channel"),
        Index("ix_suggestions_week", "week_start"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    content_id: Mapped[int] = mapped_column(ForeignKey("contents.id"))
    platform: Mapped[str] = mapped_column(String(32))
    channel_id: Mapped[str] = mapped_column(String(255))
    week_start: Mapped[date] = mapped_column(Date)
    message_ref: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime]


class Offer(Base):
    """Content shown to one member outside a channel digest (`list`); with the digest's
    suggestions, what a member may claim and share."""

    __tablename__ = "offers"
    __table_args__ = (UniqueConstraint("member_id", "content_id", name="uq_offers_member_content"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    content_id: Mapped[int] = mapped_column(ForeignKey("contents.id"))
    source: Mapped[str] = mapped_column(String(16))
    offered_at: Mapped[datetime]


class ShareStatus(StrEnum):
    CLAIMED = "claimed"      # "I'll share this"
    SHARED = "shared"        # "I shared it": points awarded
    WITHDRAWN = "withdrawn"  # the share was taken back, and its points with it


class Share(Base):
    """One per member and content: claimed, then shared (or withdrawn)."""

    __tablename__ = "shares"
    __table_args__ = (UniqueConstraint("member_id", "content_id", name="uq_shares_member_content"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    content_id: Mapped[int] = mapped_column(ForeignKey("contents.id"))
    status: Mapped[ShareStatus] = mapped_column(StatusType(ShareStatus), default=ShareStatus.CLAIMED)
    revision: Mapped[int] = mapped_column(Integer, default=0)
    post_url: Mapped[str | None] = mapped_column(String(2048))
    claimed_at: Mapped[datetime | None]
    shared_at: Mapped[datetime | None]


class LedgerEntry(Base):
    """Append-only. A balance is the sum of a member's entries, never a stored counter."""

    __tablename__ = "ledger_entries"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    points: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(32))
    reference: Mapped[str | None] = mapped_column(String(255))
    idempotency_key: Mapped[str] = mapped_column(String(255), unique=True)
    created_at: Mapped[datetime]


class FaqEntry(Base):
    __tablename__ = "faq_entries"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    question_pl: Mapped[str | None] = mapped_column(Text)
    answer_pl: Mapped[str | None] = mapped_column(Text)
    tags: Mapped[list[str]] = mapped_column(default=list)
    verdict: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class AuditEntry(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    action: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str | None] = mapped_column(String(255))
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime]


class ProgramChannel(Base):
    """The suggestions channel of each platform, chosen with `use this channel`."""

    __tablename__ = "program_channels"

    platform: Mapped[str] = mapped_column(String(32), primary_key=True)
    conversation_id: Mapped[str] = mapped_column(String(255))
    name: Mapped[str | None] = mapped_column(String(255))
    set_by: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    set_at: Mapped[datetime]


class InboundEvent(Base):
    """Platform delivery ids already handled: a redelivery is recognised and ignored."""

    __tablename__ = "inbound_events"

    platform: Mapped[str] = mapped_column(String(32), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    received_at: Mapped[datetime]


class InboxEvent(Base):
    """An acknowledged event waiting for its work: written before the platform is told "received",
    deleted once the core has handled it (the core's own `inbound_events` row, written with the
    work, is what makes that exactly once). `lane` 0 is someone waiting, 1 background work."""

    __tablename__ = "inbox"
    __table_args__ = (UniqueConstraint("platform", "event_id", name="uq_inbox_platform_event"),
                      Index("ix_inbox_lane", "lane", "id"))

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    platform: Mapped[str] = mapped_column(String(32))
    event_id: Mapped[str] = mapped_column(String(255))
    lane: Mapped[int] = mapped_column(Integer, default=1)
    incoming: Mapped[dict[str, Any]] = mapped_column()
    reply_to: Mapped[dict[str, Any]] = mapped_column()
    received_at: Mapped[datetime]
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[datetime | None]


class OutboxStatus(StrEnum):
    PENDING = "pending"  # waiting for its next attempt
    SENDING = "sending"  # claimed by a dispatcher (`claimed_by`), being sent
    UNSURE = "unsure"    # the last attempt timed out: looked up on the platform before any new one
    SENT = "sent"
    FAILED = "failed"    # given up: a permanent error, or too many attempts


class OutboxMessage(Base):
    """A send that must happen, written in the same transaction as its cause."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(255), unique=True)
    platform: Mapped[str] = mapped_column(String(32))
    address: Mapped[dict[str, Any]] = mapped_column()
    op: Mapped[str] = mapped_column(String(16), default="post")
    target_ref: Mapped[str | None] = mapped_column(String(255))
    payload: Mapped[dict[str, Any]] = mapped_column()
    subject: Mapped[str | None] = mapped_column(String(255))
    status: Mapped[OutboxStatus] = mapped_column(StatusType(OutboxStatus), default=OutboxStatus.PENDING)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime]
    last_error: Mapped[str | None] = mapped_column(Text)
    message_ref: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]


class PlatformRef(Base):
    """Whatever a platform needs kept to reach someone later (a conversation reference,
    a cached direct-message channel id), keyed by the adapter's own kind and key."""

    __tablename__ = "platform_refs"

    platform: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    data: Mapped[dict[str, Any]] = mapped_column()
    updated_at: Mapped[datetime]


class JobRun(Base):
    """A scheduled job's run for one period (a week, a day, a month): it happens once."""

    __tablename__ = "job_runs"

    job: Mapped[str] = mapped_column(String(64), primary_key=True)
    period: Mapped[str] = mapped_column(String(32), primary_key=True)
    started_at: Mapped[datetime]
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)


class ScheduleSetting(Base):
    """An admin's override of a schedule (`schedule set`, `schedule pause`)."""

    __tablename__ = "schedules"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    spec: Mapped[str | None] = mapped_column(String(64))
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime]


class NudgeLog(Base):
    """Every nudge planned, so the weekly cap and "one reminder per claim" hold across runs."""

    __tablename__ = "nudge_log"
    __table_args__ = (
        UniqueConstraint("member_id", "week_start", "seq", name="uq_nudge_log_member_week_seq"),
        UniqueConstraint("reason", "reference", name="uq_nudge_log_reason_reference"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    week_start: Mapped[date] = mapped_column(Date)
    seq: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(32))
    reference: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime]


class PolicyAsk(Base):
    """Every policy question asked: what the bot answered or that it escalated, and feedback."""

    __tablename__ = "policy_asks"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    address: Mapped[dict[str, Any]] = mapped_column()
    question: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(8))
    entry_key: Mapped[str | None] = mapped_column(String(120))
    verdict: Mapped[str | None] = mapped_column(String(16))
    confidence: Mapped[float | None] = mapped_column(Float)
    escalated: Mapped[bool] = mapped_column(Boolean, default=False)
    helpful: Mapped[bool | None] = mapped_column(Boolean)
    answer: Mapped[str | None] = mapped_column(Text)
    answered_by: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    answered_at: Mapped[datetime | None]
    created_at: Mapped[datetime]


class PolicyTerm(Base):
    """Words a draft post must not contain: confidential names, unreleased code names."""

    __tablename__ = "policy_terms"
    __table_args__ = (UniqueConstraint("kind", "term", name="uq_policy_terms_kind_term"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(16))
    term: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime]


class ProgramState(Base):
    """One row: when the program first started (schedules never catch up on time before it), and the
    last readiness heartbeat (a write that proves the database takes writes)."""

    __tablename__ = "program_state"
    __table_args__ = (CheckConstraint("id = 1", name="ck_program_state_one_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False, default=1)
    first_start_at: Mapped[datetime]
    heartbeat_at: Mapped[datetime | None]
