"""Teams end to end: the real `advocacy serve`, a fake Bot Framework connector, real-format activities.

Activities are the JSON files in tests/payloads/teams, with `serviceUrl` pointed at the fake and
the sender, conversation, text or card data changed per test. The bot answers a turn through the
connector (a POST replying to the activity), a card button in the HTTP answer of its invoke.
"""
from __future__ import annotations

import copy
import itertools
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import Server
from tests.fakes.bot_connector import Call, FakeConnector

PAYLOADS = Path(__file__).resolve().parents[2] / "payloads" / "teams"
APP_ID = "00000000-aaaa-4bbb-8ccc-000000000001"
BOT = "28:" + APP_ID
TENANT = "72f988bf-0000-4000-8000-0000000000aa"
PASSWORD = "Zq8~s3cr3t.Teams-Pa55word_do-not-log"
TEAM = "19:MarketingTeamGeneral0000@thread.tacv2"     # the team, and its General channel
LAUNCHES = "19:MarketingLaunches0000@thread.tacv2"
USERS = {
    "ada": ("29:1AdaAdminId00000000000000000000000000000000000000000000000000000000000000", "Ada Admin", "en-US"),
    "ola": ("29:1OlaNowakPersonalId0000000000000000000000000000000000000000000000000000000", "Ola Nowak", "en-US"),
    "basia": ("29:1BasiaWisniewskaId000000000000000000000000000000000000000000000000000000",
              "Basia Wiśniewska", "pl-PL"),
    "eve": ("29:1EveMalloryId0000000000000000000000000000000000000000000000000000000000000", "Eve Mallory", "en-US"),
}
ADA, OLA, BASIA, EVE = (USERS[n][0] for n in ("ada", "ola", "basia", "eve"))
_ids = itertools.count(1)


def payload(name: str) -> dict[str, Any]:
    return copy.deepcopy(json.loads((PAYLOADS / f"{name}.json").read_text(encoding="utf-8")))


def who(user: str) -> tuple[str, str, str]:
    """A test user by name (`ola`) or id (`29:…`): (id, display name, locale)."""
    return USERS[user] if user in USERS else next(u for u in USERS.values() if u[0] == user)


def personal_chat(user: str) -> str:
    return "a:1Personal" + user.split(":", 1)[1][:40]


@dataclass
class Teams:
    """Talk to the running bot the way Teams does, and read what it sent to the fake connector."""

    server: Server
    connector: FakeConnector
    http: httpx.AsyncClient

    @property
    def url(self) -> str:
        return f"{self.server.url}/api/messages"

    def activity(self, template: str, user: str | None = None, /, **fields: Any) -> dict[str, Any]:
        body = payload(template)
        body["serviceUrl"] = self.connector.service_url
        body["id"] = f"{int(time.time() * 1000)}{next(_ids):04d}"
        if user is not None:
            uid, display, locale = who(user)
            body["from"] = {"id": uid, "name": display, "aadObjectId": "6b1f2c1e-0000-4000-8000-" + uid[-12:]}
            body["locale"] = locale
            if body["conversation"].get("conversationType") == "personal":
                body["conversation"]["id"] = personal_chat(uid)
        body.update(fields)
        return body

    async def post(self, body: Any, *, headers: dict[str, str] | None = None, raw: bytes | None = None,
                   expect: int | None = None) -> httpx.Response:
        content = raw if raw is not None else json.dumps(body).encode()
        response = await self.http.post(self.url, content=content,
                                        headers={"Content-Type": "application/json", **(headers or {})})
        if expect is not None:
            assert response.status_code == expect, response.text
        return response

    # conversations ----------------------------------------------------------------------------------

    def dm(self, user: str, text: str) -> dict[str, Any]:
        return self.activity("message_personal", user, text=text)

    def channel_message(self, user: str, text: str, channel: str = TEAM, mention: bool = True) -> dict[str, Any]:
        body = self.activity("message_channel_mention", user)
        body["text"] = f"<at>Advocacy</at> {text}" if mention else text
        if not mention:
            body["entities"] = [e for e in body["entities"] if e["type"] != "mention"]
        body["conversation"]["id"] = f"{channel};messageid={body['id']}"
        body["channelData"]["channel"] = {"id": channel}
        body["channelData"]["teamsChannelId"] = channel
        return body

    async def send(self, body: dict[str, Any], *, expect: int = 202) -> Call | None:
        """Post an activity and wait for the bot's reply to it (None if expect is not 2xx)."""
        mark = self.connector.mark()
        await self.post(body, expect=expect)
        if expect >= 300:
            return None
        calls = await self.connector.wait_for("send", since=mark, where=lambda c: c.activity_id == body["id"])
        return calls[0]

    async def say(self, user: str, text: str, *, channel: str | None = None) -> str:
        """A message to the bot (personal chat, or @mention in a channel) and the text of its reply."""
        body = self.channel_message(user, text, channel) if channel else self.dm(user, text)
        reply = await self.send(body)
        assert reply is not None
        return reply.text_of()

    # cards and reactions ---------------------------------------------------------------------------

    def execute(self, user: str, verb: str, target: str = "", *, values: dict[str, str] | None = None,
                message_id: str = "1763900000001", channel: str | None = TEAM) -> dict[str, Any]:
        body = self.activity("invoke_action_execute", user)
        body["value"]["action"].update(verb=verb, data={"verb": verb, "target": target, **(values or {})})
        body["replyToId"] = message_id
        if channel is None:
            personal = payload("message_personal")
            body["conversation"] = {**personal["conversation"], "id": personal_chat(who(user)[0])}
            body["channelData"] = personal["channelData"]
        else:
            body["conversation"]["id"] = f"{channel};messageid={message_id}"
        return body

    async def click(self, user: str, verb: str, target: str = "", **kw: Any) -> str:
        """An Action.Execute click; returns the text Teams shows the clicker (the invoke answer)."""
        response = await self.post(self.execute(user, verb, target, **kw), expect=200)
        answer = response.json()
        assert answer["statusCode"] == 200 and answer["type"] == "application/vnd.microsoft.activity.message", answer
        return answer["value"]

    def submit(self, user: str, data: dict[str, Any], *, message_id: str = "1763900000001",
               channel: str = TEAM) -> dict[str, Any]:
        body = self.activity("message_action_submit", user, value=data)
        body["replyToId"] = message_id
        body["conversation"]["id"] = f"{channel};messageid={message_id}"
        return body

    async def press(self, user: str, data: dict[str, Any], **kw: Any) -> Call:
        """An Action.Submit press in a channel (older clients) and the bot's answer to it, which
        only the member sees: it comes in their personal chat with the bot."""
        uid = who(user)[0]
        mark = self.connector.mark()
        await self.post(self.submit(user, data, **kw), expect=202)
        answer, = await self.connector.wait_for("send", since=mark, where=lambda c: c.conversation_id in (
            personal_chat(uid), self.connector.personal.get(uid)))
        return answer

    def reaction(self, user: str, message_id: str, kind: str = "like", *, removed: bool = False,
                 channel: str = TEAM) -> dict[str, Any]:
        body = self.activity("message_reaction_removed" if removed else "message_reaction_added", user)
        body["reactionsRemoved" if removed else "reactionsAdded"] = [{"type": kind}]
        body["replyToId"] = message_id
        body["conversation"]["id"] = f"{channel};messageid={message_id}"
        return body

    # the program -------------------------------------------------------------------------------------

    async def install_in_team(self, channels: list[dict[str, Any]] | None = None) -> None:
        self.connector.channels[TEAM] = channels or [{"id": TEAM}, {"id": LAUNCHES, "name": "Launches"}]
        mark = self.connector.mark()
        await self.post(self.activity("conversation_update_bot_added_team", "ada"), expect=202)
        await self.post(self.activity("installation_update_add_team", "ada"), expect=202)
        await self.connector.wait_for("channels", since=mark)

    async def suggestion(self, url: str = "https://example.com/blog/winter-routes", title: str = "Winter routes",
                         channel: str = TEAM) -> tuple[str, str, Call]:
        """An admin adds content and posts the digest; returns (content id, message id, the post)."""
        added = await self.say("ada", f"add {url} {title}")
        assert "Added #" in added, added
        content_id = added.split("#", 1)[1].split()[0]
        mark = self.connector.mark()
        answer = await self.say("ada", "digest now", channel=channel)
        assert "Posted 1 suggestion" in answer, answer
        post, = await self.connector.wait_for("send", since=mark, where=lambda c: c.conversation_id == channel)
        return content_id, post.answer["id"], post

    async def join(self, *users: str) -> None:
        """`users` take part in the program: only members who joined earn points."""
        for user in users:
            reply = await self.say(user, "join")
            assert "Welcome" in reply or "Witaj" in reply, reply

    async def points(self, user: str) -> str:
        return await self.say(user, "points")


def teams_env(connector: FakeConnector, **extra: str) -> dict[str, str]:
    return {"ADVOCACY_DEV": "1", "ADVOCACY_ADMINS": ADA, "ADVOCACY_SCHEDULER": "false", **extra}


@pytest.fixture
async def fake_connector():
    async with FakeConnector() as connector:
        yield connector


@pytest.fixture
async def start_teams(serve, fake_connector):
    """`await start_teams(**env)`: a running bot with Teams on (anonymous Emulator mode unless env
    says otherwise), and a way to talk to it."""
    clients: list[httpx.AsyncClient] = []

    async def start(backend: str = "sqlite", **env: str) -> Teams:
        server = await serve(env=teams_env(fake_connector, **env), backend=backend)
        http = httpx.AsyncClient(timeout=20)
        clients.append(http)
        return Teams(server, fake_connector, http)

    yield start
    for http in clients:
        await http.aclose()


@pytest.fixture
async def teams(start_teams) -> Teams:
    return await start_teams()
