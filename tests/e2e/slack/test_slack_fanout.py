"""Schedules against the fake Slack: a fan-out survives kill -9, replicas deliver once, 429 storms."""
from __future__ import annotations

import asyncio
import signal
import time

import httpx
import pytest

from tests.conftest import IN_CI, _postgres_reachable, create_postgres_database, drop_postgres_database
from tests.e2e.seed import seed_program
from tests.e2e.slack.conftest import ADMIN, APP_TOKEN, BOT_TOKEN, CHANNEL, Slack, slack_env
from tests.fakes.ratelimited_slack import RateLimitedSlack


async def until(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


def nudges_delivered(api: RateLimitedSlack) -> int:
    return sum(1 for key in api.delivered if key.startswith("nudge:"))


@pytest.fixture
async def limited_slack():
    async with RateLimitedSlack(bot_token=BOT_TOKEN, app_token=APP_TOKEN, per_minute=120 * 60) as api:
        api.add_user(ADMIN, "ada", "Ada Admin", "en-US")
        yield api


async def test_kill_9_in_the_middle_of_a_nudge_fan_out_delivers_every_nudge_exactly_once(
        serve, limited_slack, tmp_path):
    members = 600
    url = f"sqlite:///{tmp_path}/fanout.db"
    await seed_program(url, members=members)
    env = slack_env(limited_slack, SLACK_MESSAGES_PER_SECOND="120", ADVOCACY_OUTBOX_LEASE="2",
                    ADVOCACY_SCHEDULER="false")
    first = await serve(env=env, database_url=url)
    async with httpx.AsyncClient(timeout=30) as http:
        reply = await Slack(first, limited_slack, http).say(ADMIN, "nudge now")
    assert f"Queued {members} reminders" in reply
    await until(lambda: nudges_delivered(limited_slack) >= members // 3, 60, "a third of the nudges")
    first.process.send_signal(signal.SIGKILL)
    first.process.wait()
    cut_at = nudges_delivered(limited_slack)
    assert cut_at < members, "the run finished before it could be killed"
    await serve(env=env, database_url=url)
    await until(lambda: nudges_delivered(limited_slack) == members, 90, "every nudge after the restart")
    await limited_slack.quiet(1.0)
    assert nudges_delivered(limited_slack) == members
    assert limited_slack.duplicates() == 0
    dm_channels = {c.params["channel"] for c in limited_slack.of("chat.postMessage", ok=True)}
    assert len(dm_channels) == members


async def test_two_replicas_on_postgresql_post_each_digest_once_and_each_nudge_once(serve, limited_slack):
    if not await _postgres_reachable():
        if IN_CI:
            pytest.fail("PostgreSQL is not reachable (CI=true: not skipping)")
        pytest.skip("PostgreSQL not reachable")
    url = await create_postgres_database()
    try:
        members = 60
        await seed_program(url, members=members, contents=6, suggested=False)
        env = slack_env(limited_slack, SLACK_MESSAGES_PER_SECOND="120", ADVOCACY_DIGEST_SCHEDULE="mon 00:00")
        replicas = [await serve(env=env, database_url=url) for _ in range(2)]
        await until(lambda: len(limited_slack.of("chat.postMessage", ok=True, channel=CHANNEL)) >= 3, 30,
                    "the weekly digest")
        async with httpx.AsyncClient(timeout=30) as http:
            await asyncio.gather(*(Slack(r, limited_slack, http).say(ADMIN, "nudge now") for r in replicas))
        await until(lambda: nudges_delivered(limited_slack) >= members, 60, "every member's nudge")
        await limited_slack.quiet(1.5)
        assert len(limited_slack.of("chat.postMessage", ok=True, channel=CHANNEL)) == 3
        assert nudges_delivered(limited_slack) == members
        assert limited_slack.duplicates() == 0
        leaders = ["runs the schedules" not in r.log() for r in replicas]
        assert sorted(leaders) == [False, True]
    finally:
        await drop_postgres_database(url)


async def test_a_429_storm_slows_the_fan_out_but_loses_and_doubles_nothing(serve, tmp_path):
    members = 150
    async with RateLimitedSlack(bot_token=BOT_TOKEN, app_token=APP_TOKEN, per_minute=40 * 60) as api:
        api.add_user(ADMIN, "ada", "Ada Admin", "en-US")
        url = f"sqlite:///{tmp_path}/storm.db"
        await seed_program(url, members=members)
        env = slack_env(api, SLACK_MESSAGES_PER_SECOND="200", ADVOCACY_SCHEDULER="false")  # 5x too fast
        server = await serve(env=env, database_url=url)
        async with httpx.AsyncClient(timeout=30) as http:
            await Slack(server, api, http).say(ADMIN, "nudge now")
        await until(lambda: nudges_delivered(api) == members, 90, "every nudge through the 429s")
        await api.quiet(1.0)
        assert api.rate_limited > 0
        assert nudges_delivered(api) == members and api.duplicates() == 0
