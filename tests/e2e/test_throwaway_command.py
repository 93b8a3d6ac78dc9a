"""A new command is one declaration plus two catalog lines. A command declared here, in the test, with
a person as its argument, is parsed, routed, authorised and listed in help on every platform: a signed
Slack slash command, a Teams message with a mention entity, and a line in the shell, all served by one
app in this process (so the declaration reaches it)."""
from __future__ import annotations

import socket
from types import SimpleNamespace

import httpx
import pytest
from aiohttp import web

import handlers
from entry.app import create_app
from entry.web import create_web_app
from bot.config import load_settings
from bot.models import Message
from bot.permissions import Right
from bot.registry import ADMIN
from handlers.shell.session import ShellSession
from tests.e2e.slack.conftest import BOT_TOKEN, SIGNING_SECRET, Slack
from tests.e2e.teams.conftest import Teams, who
from tests.fakes.bot_connector import FakeConnector
from tests.fakes.commands import throwaway_command
from tests.fakes.slack_api import FakeSlack

SLACK_ADMIN, SLACK_EVE = "U_ADMIN", "U_EVE"
SLACK_OLA = "U0OLA1"  # mentioned only: Slack user ids are letters and digits
TEAMS_ADA, TEAMS_OLA = who("ada")[0], who("ola")[0]
NOT_ALLOWED = "Only program admins can do that"
HELP_LINE = "`kudos @person [why]` — thank someone in public"


async def kudos(turn, who, note) -> Message:
    return Message(f"Kudos to {who.name or who.user_id} (id {who.user_id}) {note or 'for all of it'}", private=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def declared():
    """The whole change a new command needs: one declaration and one catalog line per language."""
    with throwaway_command(
            "test.kudos", "<who:user> [note...]", kudos, right=Right.CONFIGURE, help=ADMIN,
            en={"words": ["kudos"], "usage": "kudos @person [why]", "help": "thank someone in public"},
            pl={"words": ["brawa"], "help": "podziękuj komuś publicznie"}):
        yield


@pytest.fixture
async def bot(db, migrated, declared):
    """Slack and Teams on (against their fakes) and a shell session, all on one app in this process."""
    async with FakeSlack(bot_token=BOT_TOKEN) as api, FakeConnector() as connector:
        api.add_user(SLACK_ADMIN, "ada", "Ada Admin", "en-US")
        api.add_user(SLACK_EVE, "eve", "Eve Mallory", "en-US")
        env = {"DATABASE_URL": migrated, "SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET,
               "SLACK_API_URL": api.api_url, "ADVOCACY_DEV": "1", "ADVOCACY_SCHEDULER": "false",
               "ADVOCACY_DEMO": "false", "ADVOCACY_ADMINS": f"{SLACK_ADMIN},{TEAMS_ADA},admin"}
        app = await create_app(handlers.qualify(load_settings(env)), migrate=False)
        web_app = create_web_app(app)
        await handlers.setup_all(app, web_app)
        runner = web.AppRunner(web_app)
        await runner.setup()
        port = free_port()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        server = SimpleNamespace(url=f"http://127.0.0.1:{port}")
        out: list[str] = []
        try:
            async with httpx.AsyncClient(timeout=15) as http:
                yield SimpleNamespace(slack=Slack(server, api, http), teams=Teams(server, connector, http),
                                      shell=ShellSession(app, out.append), out=out)
        finally:
            await runner.cleanup()


async def test_a_command_declared_in_a_test_works_on_slack(bot):
    slack = bot.slack
    answer = await slack.say(SLACK_ADMIN, f"kudos <@{SLACK_OLA}|ola> for the launch post")
    assert f"Kudos to ola (id {SLACK_OLA}) for the launch post" in answer
    assert f"Kudos to {SLACK_OLA} (id {SLACK_OLA})" in await slack.say(SLACK_ADMIN, f"brawa <@{SLACK_OLA}>")
    assert NOT_ALLOWED in await slack.say(SLACK_EVE, f"kudos <@{SLACK_OLA}|ola>")
    assert "Mention the person with @" in await slack.say(SLACK_ADMIN, "kudos ola")
    assert HELP_LINE in await slack.say(SLACK_ADMIN, "help")
    assert "kudos" not in await slack.say(SLACK_EVE, "help")


async def test_a_command_declared_in_a_test_works_on_teams(bot):
    teams = bot.teams

    def kudos_to_ola(user: str, text: str) -> dict:
        body = teams.dm(user, f"{text} <at>Ola Nowak</at> for the launch post")
        body["entities"].append({"type": "mention", "text": "<at>Ola Nowak</at>",
                                 "mentioned": {"id": TEAMS_OLA, "name": "Ola Nowak"}})
        return body

    answer = (await teams.send(kudos_to_ola("ada", "kudos"))).text_of()
    assert f"Kudos to Ola Nowak (id {TEAMS_OLA}) for the launch post" in answer
    assert "Kudos to Ola Nowak" in (await teams.send(kudos_to_ola("ada", "brawa"))).text_of()
    assert NOT_ALLOWED in (await teams.send(kudos_to_ola("eve", "kudos"))).text_of()
    assert HELP_LINE.replace("`", "") in (await teams.say("ada", "help")).replace("`", "")
    assert "kudos" not in await teams.say("eve", "help")


async def test_a_command_declared_in_a_test_works_in_the_shell(bot):
    shell, out = bot.shell, bot.out
    await shell.feed(":as admin")
    await shell.feed("kudos @ola for the launch post")
    assert "Kudos to ola (id ola) for the launch post" in out[-1]
    await shell.feed(":as eve")
    await shell.feed("kudos @ola")
    assert NOT_ALLOWED in out[-1]
    await shell.feed("help")
    assert "kudos" not in out[-1]
    await shell.feed(":as admin")
    await shell.feed("help")
    assert "kudos @person [why] — thank someone in public" in out[-1].replace("`", "")


async def test_the_throwaway_command_is_gone_afterwards():
    from bot.commands import parse
    from bot.errors import UserFacingError

    with pytest.raises(UserFacingError) as err:
        parse("kudos @ola")
    assert err.value.key in ("error.unknown_command", "error.unknown_command_suggest")
