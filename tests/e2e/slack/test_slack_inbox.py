"""Acknowledged Slack events live in the database until their work is done: a kill -9 after the
acks loses none and doubles none, and a person is answered while a backlog is worked off."""
import asyncio
import signal
import time

import httpx
import pytest
from sqlalchemy import func, select

from storage.db import Database
from storage.models import InboxEvent
from tests.e2e.slack.conftest import ADMIN, OLA, Slack, slack_env

BACKENDS = ["sqlite", "postgresql"]
PEOPLE = [f"U_P{n}" for n in range(8)]


async def kept(database_url: str) -> int:
    db = Database(database_url)
    try:
        async with db.transaction() as s:
            return await s.scalar(select(func.count()).select_from(InboxEvent)) or 0
    finally:
        await db.dispose()


async def suggestions(slack: Slack, n: int) -> list[tuple[str, str]]:
    mark = slack.api.mark()
    for i in range(n):
        await slack.say(ADMIN, f"add https://example.com/blog/burst-{i} Burst {i}")
    await slack.say(ADMIN, "digest now")
    return [(channel, ts) for channel, ts, _ in await slack.posted_suggestions(n, since=mark)]


def reaction(slack: Slack, user: str, channel: str, ts: str) -> dict:
    return slack.event("event_reaction_added", user=user, item={"type": "message", "channel": channel, "ts": ts})


async def send_all(slack: Slack, events: list[dict], concurrency: int = 16) -> None:
    gate = asyncio.Semaphore(concurrency)

    async def send(envelope: dict) -> None:
        async with gate:
            await slack.send_event(envelope)

    await asyncio.gather(*(send(e) for e in events))


@pytest.mark.parametrize("backend", BACKENDS)
async def test_kill_9_after_the_acks_of_a_burst_loses_no_reaction_and_doubles_none(start_slack, backend, serve):
    slack = await start_slack(backend=backend)
    for user in PEOPLE:
        slack.api.add_user(user, user.lower(), f"Person {user}", "en-US")
    await slack.join(*PEOPLE)
    posted = await suggestions(slack, 3)
    burst = [reaction(slack, user, channel, ts) for channel, ts in posted for user in PEOPLE]
    slack.api.delay("chat.postEphemeral", 0.3, times=len(burst))  # the work runs well behind the acks
    mark = slack.api.mark()
    await send_all(slack, burst + burst[:6])  # and Slack sends a few of them twice
    await slack.api.wait_for("chat.postEphemeral", since=mark)  # some of the work is done
    slack.server.process.send_signal(signal.SIGKILL)  # every one of them was acknowledged (200)
    slack.server.process.wait()
    assert await kept(slack.server.database_url) > 0  # the kill came with work still waiting

    again = await serve(env=slack_env(slack.api), database_url=slack.server.database_url)
    async with httpx.AsyncClient(timeout=15) as http:
        restarted = Slack(again, slack.api, http)
        deadline = time.monotonic() + 30
        while await kept(again.database_url) and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        assert await kept(again.database_url) == 0
        for user in PEOPLE:
            assert "You have 30 points from 3 shares" in await restarted.say(user, "points"), user
    confirmations = [c.params.get("user") for c in slack.api.since(mark, "chat.postEphemeral")]
    assert all(confirmations.count(user) <= 3 for user in PEOPLE)  # never twice for one share


async def test_a_command_during_a_backlog_of_2000_reactions_is_answered_before_the_backlog(start_slack):
    slack = await start_slack()
    await slack.join(OLA)
    (channel, ts), = await suggestions(slack, 1)
    # each is kept, then handled in a turn of its own and answered ("counted once already")
    # ephemerally, at Slack's pace for chat.postEphemeral: the work falls far behind the acks
    await send_all(slack, [reaction(slack, OLA, channel, ts) for _ in range(2000)], concurrency=32)
    asked = time.monotonic()
    name = await slack.command(OLA, "points")
    answer = await slack.answer(name, timeout=10)
    waited = time.monotonic() - asked
    left = await kept(slack.server.database_url)
    assert "You have 10 points from 1 share" in answer.text_of()
    assert left > 1000 and waited < 5.0, (left, waited)  # answered, not queued behind the backlog
    health = (await slack.http.get(f"{slack.server.url}/healthz")).json()
    assert health["status"] == "ok" and health["inbox"] > 1000  # the depth, for a probe to watch


async def test_two_servers_on_postgresql_draining_one_inbox_handle_each_reaction_once(start_slack, serve):
    first = await start_slack(backend="postgresql")
    for user in PEOPLE:
        first.api.add_user(user, user.lower(), f"Person {user}", "en-US")
    await first.join(*PEOPLE)
    posted = await suggestions(first, 3)
    second_server = await serve(env=slack_env(first.api), database_url=first.server.database_url)
    async with httpx.AsyncClient(timeout=15) as http:
        second = Slack(second_server, first.api, http)
        burst = [reaction(first, user, channel, ts) for channel, ts in posted for user in PEOPLE]
        mark = first.api.mark()
        # every event reaches both replicas (a retry landing on the other one)
        await asyncio.gather(send_all(first, burst), send_all(second, burst))
        await first.api.wait_for("chat.postEphemeral", count=len(burst), since=mark, timeout=30)
        await first.api.quiet(0.5)
        assert len(first.api.since(mark, "chat.postEphemeral")) == len(burst)
        for user in PEOPLE:
            assert "You have 30 points from 3 shares" in await second.say(user, "points"), user
