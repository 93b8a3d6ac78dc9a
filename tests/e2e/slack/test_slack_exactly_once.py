"""Retries, double clicks and repeated reactions never double an effect, across restarts too,
on SQLite and PostgreSQL: the guard is the database's unique keys, not the process's memory."""
import asyncio
import signal
import time

import httpx
import pytest

from tests.e2e.slack.conftest import ADMIN, CHANNEL, OLA, Slack, payload, slack_env

BACKENDS = ["sqlite", "postgresql"]


async def _suggestion(slack):
    await slack.join(OLA)
    mark = slack.api.mark()
    added = await slack.say(ADMIN, "add https://example.com/blog/once Once")
    content = added.split("#", 1)[1].split()[0]
    await slack.say(ADMIN, "digest now")
    (channel, ts, _), = await slack.posted_suggestions(1, since=mark)
    return channel, ts, content


@pytest.mark.parametrize("backend", BACKENDS)
async def test_a_retried_event_is_handled_once_even_after_a_restart(start_slack, backend, serve):
    slack = await start_slack(backend=backend)
    channel, ts, _ = await _suggestion(slack)
    reaction = slack.event("event_reaction_added", user=OLA, item={"type": "message", "channel": channel, "ts": ts})
    mark = slack.api.mark()
    await slack.send_event(reaction)
    await slack.api.wait_for("chat.postEphemeral", since=mark)
    for attempt in (1, 2):
        await slack.send_event(reaction, headers={"X-Slack-Retry-Num": str(attempt),
                                                  "X-Slack-Retry-Reason": "http_timeout"})
    await slack.api.quiet(0.4, since=mark)
    assert len(slack.api.since(mark, "chat.postEphemeral")) == 1
    assert len(slack.api.since(mark, "chat.update")) == 1

    slack.server.stop()
    again = await serve(env=slack_env(slack.api), database_url=slack.server.database_url)
    async with httpx.AsyncClient(timeout=15) as http:
        restarted = Slack(again, slack.api, http)
        await restarted.send_event(reaction, headers={"X-Slack-Retry-Num": "3", "X-Slack-Retry-Reason": "http_error"})
        await slack.api.quiet(0.4)
        assert len(slack.api.since(mark, "chat.postEphemeral")) == 1
        assert "You have 10 points" in await restarted.say(OLA, "points")


@pytest.mark.parametrize("backend", BACKENDS)
async def test_a_double_click_counts_once(start_slack, backend):
    slack = await start_slack(backend=backend)
    _, ts, content = await _suggestion(slack)
    clicks = await asyncio.gather(*(slack.click(OLA, "share", content, message_ts=ts) for _ in range(4)))
    answers = [(await slack.answer(slack.response_name(c))).text_of() for c in clicks]
    assert sum("+10 points" in a for a in answers) == 1
    assert sum("counted once" in a for a in answers) == 3
    assert "You have 10 points from 1 share" in await slack.say(OLA, "points")


async def test_the_same_click_delivered_twice_is_answered_once(slack):
    _, ts, content = await _suggestion(slack)
    body = slack.block_actions(OLA, "share", content, message_ts=ts)
    await slack.interact(body)
    await slack.interact(body)
    await slack.answer(slack.response_name(body))
    await slack.api.quiet(0.4)
    answers = [c for c in slack.api.of("response_url") if c.path.endswith(slack.response_name(body))]
    assert len(answers) == 1


@pytest.mark.parametrize("backend", BACKENDS)
async def test_the_same_reaction_twice_counts_once(start_slack, backend):
    slack = await start_slack(backend=backend)
    channel, ts, _ = await _suggestion(slack)
    item = {"type": "message", "channel": channel, "ts": ts}
    await asyncio.gather(*(slack.send_event(slack.event("event_reaction_added", user=OLA, item=item))
                           for _ in range(3)))
    await slack.api.wait_for("chat.postEphemeral", count=3)
    assert "You have 10 points from 1 share" in await slack.say(OLA, "points")


async def test_a_modal_submitted_twice_adds_the_content_once(slack):
    body = payload("view_submission_add_content")
    first, second = await asyncio.gather(slack.submit(body), slack.submit(body))
    assert [a.get("response_action") for a in (first, second)].count("update") >= 1
    listed = await slack.say(ADMIN, "list")
    assert listed.count("Added from the modal") >= 1 and "Latest content in the library (1)" in listed


async def test_after_kill_9_on_postgresql_a_restart_settles_the_posts_in_flight_within_seconds(start_slack, serve):
    slack = await start_slack(backend="postgresql")
    for n in range(3):
        await slack.say(ADMIN, f"add https://example.com/blog/flight-{n} Flight {n}")
    in_flight = slack.api.mark()
    slack.api.delay("chat.postMessage", 12, times=3, when=lambda p: p.get("channel") == CHANNEL)
    await slack.say(ADMIN, "digest now")
    await slack.api.wait_for("chat.postMessage", count=3, since=in_flight)
    slack.server.process.send_signal(signal.SIGKILL)
    slack.server.process.wait()
    slack.api.messages.clear()  # Slack never took them: they must be sent again, once
    restart = slack.api.mark()
    await serve(env=slack_env(slack.api), database_url=slack.server.database_url)
    started = time.monotonic()
    await slack.api.wait_for("chat.postMessage", count=3, since=restart, timeout=15,
                             where=lambda c: c.params.get("channel") == CHANNEL)
    assert time.monotonic() - started < 8  # not the 60 s lease
    await slack.api.quiet(1.0)
    assert len([c for c in slack.api.since(restart, "chat.postMessage") if c.params.get("channel") == CHANNEL]) == 3
