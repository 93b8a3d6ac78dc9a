"""At start the bot asks Slack (auth.test) whether its token works and says so plainly, and serves either way."""
import httpx

from tests.e2e.conftest import free_port
from tests.e2e.slack.conftest import BOT_TOKEN, slack_env
from tests.fakes.slack_api import TEAM


async def test_a_rejected_token_is_said_plainly_and_the_server_keeps_serving(serve, fake_slack):
    server = await serve(env=slack_env(fake_slack, SLACK_BOT_TOKEN="xoxb-0000-revoked-token"))
    async with httpx.AsyncClient() as http:
        live = await http.get(f"{server.url}/livez")
    log = server.log()
    assert live.status_code == 200
    assert fake_slack.of("auth.test", ok=False)
    assert "Slack bot token rejected by Slack (invalid_auth): check SLACK_BOT_TOKEN" in log
    assert "Slack is on" not in log
    assert "revoked-token" not in log


async def test_a_good_token_is_checked_and_names_the_team_and_the_bot(serve, fake_slack):
    server = await serve(env=slack_env(fake_slack))
    calls = fake_slack.of("auth.test", ok=True)
    assert calls and calls[0].authorized
    assert "Slack is on: HTTP at POST /slack/events" in server.log()
    assert f"team Example ({TEAM}), bot @advocacy-bot" in server.log()
    assert BOT_TOKEN not in server.log()


async def test_slack_out_of_reach_at_start_does_not_stop_the_server(serve, fake_slack):
    closed = f"http://127.0.0.1:{free_port()}/api/"
    server = await serve(env=slack_env(fake_slack, SLACK_API_URL=closed))
    async with httpx.AsyncClient() as http:
        live = await http.get(f"{server.url}/livez")
    assert live.status_code == 200
    assert "could not check the Slack bot token" in server.log()
