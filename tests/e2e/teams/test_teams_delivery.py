"""Proactive sends through the outbox and the connector's bad days: 403, 429 with Retry-After, 5xx."""
import asyncio
import time

from sqlalchemy import select

from bot.clock import SystemClock
from bot.models import Address, ConversationKind, Message
from bot.unit_of_work import UnitsOfWork
from storage.db import Database
from storage.models import Member, OutboxMessage
from tests.e2e.teams.conftest import ADA, EVE, OLA, TEAM, personal_chat


async def _rows(server, **where) -> list[OutboxMessage]:
    db = Database(server.database_url)
    try:
        async with db.transaction() as session:
            query = select(OutboxMessage).order_by(OutboxMessage.id)
            for name, value in where.items():
                query = query.where(getattr(OutboxMessage, name) == value)
            return list(await session.scalars(query))
    finally:
        await db.dispose()


async def _wait_rows(server, check, timeout: float = 10.0, **where) -> list[OutboxMessage]:
    deadline = time.monotonic() + timeout
    while True:
        rows = await _rows(server, **where)
        if check(rows):
            return rows
        assert time.monotonic() < deadline, [(r.key, r.status, r.attempts, r.last_error) for r in rows]
        await asyncio.sleep(0.05)


async def _member(server, user: str) -> Member:
    db = Database(server.database_url)
    try:
        async with db.transaction() as session:
            return await session.scalar(select(Member).where(Member.platform_user_id == user))
    finally:
        await db.dispose()


async def test_a_send_queued_in_the_outbox_reaches_the_members_personal_chat(teams):
    await teams.say("ola", "join")
    db = Database(teams.server.database_url)
    try:
        async with UnitsOfWork(db, SystemClock())() as uow:
            await uow.outbox.post(Address("teams", OLA, ConversationKind.DIRECT, "Ola"),
                              Message("A *proactive* hello 👋"), key="test:proactive:1")
    finally:
        await db.dispose()
    dm, = await teams.connector.wait_for("send", where=lambda c: "proactive" in c.text_of())
    assert dm.conversation_id == personal_chat(OLA) and dm.activity_id is None
    assert dm.activity["text"] == "A **proactive** hello 👋"
    assert dm.activity["recipient"]["id"] == OLA
    rows = await _wait_rows(teams.server, lambda rows: rows and rows[0].status == "sent", key="test:proactive:1")
    assert rows[0].message_ref == dm.answer["id"]


async def test_a_member_who_cannot_be_reached_is_marked_skipped_and_reported_to_admins_once(teams):
    await teams.install_in_team()
    await teams.say("ada", "points")                   # the admin has a personal chat with the bot
    await teams.say("eve", "join", channel=TEAM)       # Eve joined in the channel, never installed the app
    await teams.suggestion()
    teams.connector.block(EVE)
    mark = teams.connector.mark()
    assert "Queued 1 reminder" in await teams.say("ada", "nudge now")
    refused, = await teams.connector.wait_for("create", since=mark, ok=False)
    assert refused.status == 403 and refused.activity["members"] == [{"id": EVE}]
    note, = await teams.connector.wait_for("send", since=mark, where=lambda c: c.conversation_id == personal_chat(ADA)
                                           and "can't send messages" in c.text_of())
    assert "Eve Mallory" in note.text_of()
    assert (await _member(teams.server, EVE)).reachable is False
    rows = await _rows(teams.server, subject=f"nudge:{(await _member(teams.server, EVE)).id}")
    assert [(r.status, r.attempts) for r in rows] == [("failed", 1)], "never retried"

    mark = teams.connector.mark()
    assert "Queued 0 reminders" in await teams.say("ada", "nudge now")
    assert teams.connector.since(mark, "create") == []


async def test_a_member_who_uninstalled_the_app_is_unreachable_until_they_write_again(teams):
    await teams.install_in_team()
    await teams.say("ada", "points")
    await teams.say("ola", "join")
    await teams.suggestion()
    teams.connector.block(OLA)
    mark = teams.connector.mark()
    await teams.say("ada", "nudge now")
    refused, = await teams.connector.wait_for("send", since=mark, ok=False)
    assert refused.status == 403 and refused.conversation_id == personal_chat(OLA)
    await teams.connector.wait_for("send", since=mark, where=lambda c: "can't send messages" in c.text_of())
    assert (await _member(teams.server, OLA)).reachable is False
    teams.connector.blocked.clear()
    await teams.say("ola", "points")
    assert (await _member(teams.server, OLA)).reachable is True


async def test_429_is_retried_after_the_retry_after_seconds_and_the_post_goes_out_once(teams):
    await teams.install_in_team()
    teams.connector.fail(429, retry_after="0.3", when=lambda c: c.kind == "send" and c.conversation_id == TEAM)
    mark = teams.connector.mark()
    await teams.say("ada", "add https://example.com/a Story A")
    await teams.say("ada", "digest now")
    limited, posted = await teams.connector.wait_for("send", since=mark, count=2, ok=None,
                                                     where=lambda c: c.conversation_id == TEAM)
    assert (limited.status, posted.status) == (429, 200)
    assert posted.at - limited.at >= 0.3
    assert len(teams.connector.sends(mark, TEAM)) == 1
    rows = await _wait_rows(teams.server, lambda rows: rows and rows[0].status == "sent", op="post")
    assert rows[0].attempts == 1 and rows[0].message_ref == posted.answer["id"]


async def test_5xx_and_412_are_retried_with_backoff(teams):
    await teams.install_in_team()
    teams.connector.fail(503, times=1, when=lambda c: c.conversation_id == TEAM)
    teams.connector.fail(412, times=1, when=lambda c: c.conversation_id == TEAM)
    mark = teams.connector.mark()
    await teams.say("ada", "add https://example.com/a Story A")
    await teams.say("ada", "digest now")
    calls = await teams.connector.wait_for("send", since=mark, count=3, ok=None, where=lambda c: c.conversation_id == TEAM)
    assert [c.status for c in calls] == [503, 412, 200]
    assert calls[1].at > calls[0].at and calls[2].at > calls[1].at


async def test_a_long_retry_after_hands_the_send_back_to_the_outbox_for_later(teams):
    await teams.install_in_team()
    teams.connector.fail(429, retry_after="120", when=lambda c: c.conversation_id == TEAM)
    mark = teams.connector.mark()
    await teams.say("ada", "add https://example.com/a Story A")
    await teams.say("ada", "digest now")
    rows = await _wait_rows(teams.server, lambda rows: rows and rows[0].attempts == 1, op="post")
    row = rows[0]
    assert row.status == "pending" and "429" in (row.last_error or "")
    wait = (row.next_attempt_at - row.created_at).total_seconds()
    assert 100 <= wait <= 130, wait
    tried = [c for c in teams.connector.since(mark, "send") if c.conversation_id == TEAM]
    assert [c.status for c in tried] == [429], "no quick retries when Teams asks for two minutes"


async def test_a_reply_in_a_turn_is_retried_too(teams):
    teams.connector.fail(502, times=1)
    body = teams.dm("ola", "points")
    mark = teams.connector.mark()
    await teams.post(body, expect=202)
    failed, sent = await teams.connector.wait_for("send", since=mark, count=2, ok=None)
    assert (failed.status, sent.status) == (502, 200)
    assert "You have 0 points" in sent.text_of()


async def test_a_reply_that_keeps_failing_is_logged_and_no_exception_text_reaches_the_chat(teams):
    teams.connector.fail(500, times=3)
    mark = teams.connector.mark()
    await teams.post(teams.dm("ola", "points"), expect=202)
    calls = await teams.connector.wait_for("send", since=mark, count=3, ok=False)
    assert all(c.status == 500 for c in calls)
    later = await teams.connector.quiet(mark, settle=0.3)
    assert not any("Exception" in c.text_of() or "Traceback" in c.text_of() for c in later)
    assert "Teams: a message turn failed: ConnectorError" in teams.server.log()
    assert "You have 0 points" in await teams.points("ola"), "the bot carries on"
