"""The very first start is quiet: with Slack and Teams on, nothing is posted anywhere."""
import asyncio
import sqlite3
from datetime import datetime
from zoneinfo import ZoneInfo

from tests.e2e.slack.conftest import fake_slack, slack_env  # noqa: F401  (a fixture)
from tests.e2e.teams.conftest import fake_connector, teams_env  # noqa: F401  (a fixture)

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


async def test_first_start_with_slack_and_teams_posts_nothing(serve, fake_slack, fake_connector):  # noqa: F811
    today = datetime.now(ZoneInfo("Europe/Warsaw"))
    env = {**teams_env(fake_connector), **slack_env(fake_slack),
           "ADVOCACY_DEMO": "true",  # the default: demo content is still never loaded with a chat platform on
           "ADVOCACY_SCHEDULER": "true",
           "ADVOCACY_DIGEST_SCHEDULE": f"{DAYS[today.weekday()]} 00:00",  # this week's digest is already due
           "ADVOCACY_MONTHLY_TIME": "00:00"}
    server = await serve(env=env)
    for _ in range(200):  # wait for the catch-up to have run, not for a guessed time
        if "catch-up done" in server.log():
            break
        await asyncio.sleep(0.05)
    assert "schedules running" in server.log() and "catch-up done" in server.log()
    with sqlite3.connect(server.database_url.removeprefix("sqlite:///")) as db:
        assert db.execute("SELECT count(*) FROM outbox").fetchone() == (0,)  # nothing queued to be sent later either
    assert fake_slack.of("chat.postMessage") == [] and fake_slack.of("chat.postEphemeral") == []
    assert fake_connector.sends() == []
    assert "demo" not in server.log()
