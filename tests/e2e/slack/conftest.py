"""Slack end to end: the real `advocacy serve`, a fake Slack Web API, signed real-format payloads."""
from __future__ import annotations

import copy
import hashlib
import hmac
import json
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from tests.e2e.conftest import Server
from tests.fakes.slack_api import FakeSlack

PAYLOADS = Path(__file__).resolve().parents[2] / "payloads" / "slack"
BOT_TOKEN = "xoxb-1111111111-2222222222-SeCrEtBoTtOkEn0123456789"
SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
APP_TOKEN = "xapp-1-A0001-3333333333-aPpToKeNsEcReT0123456789abcdef"
ADMIN, OLA, BASIA, EVE = "U_ADMIN", "U_OLA", "U_BASIA", "U_EVE"
CHANNEL = "C_GENERAL"


def payload(name: str) -> dict[str, Any]:
    return copy.deepcopy(json.loads((PAYLOADS / f"{name}.json").read_text(encoding="utf-8")))


def sign(body: bytes, timestamp: int | None = None, secret: str = SIGNING_SECRET) -> dict[str, str]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), b"v0:" + ts.encode() + b":" + body, hashlib.sha256).hexdigest()
    signature = f"v0={digest}"
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature}


@dataclass
class Slack:
    """Talk to the running bot the way Slack does, and read what it sent to the fake API."""

    server: Server
    api: FakeSlack
    http: httpx.AsyncClient

    @property
    def url(self) -> str:
        return f"{self.server.url}/slack/events"

    async def post(self, body: bytes, content_type: str, headers: dict[str, str] | None = None,
                   signed: bool = True) -> httpx.Response:
        all_headers = {"Content-Type": content_type, **(sign(body) if signed else {}), **(headers or {})}
        return await self.http.post(self.url, content=body, headers=all_headers)

    async def send_event(self, envelope: dict[str, Any], headers: dict[str, str] | None = None) -> httpx.Response:
        body = json.dumps(envelope).encode()
        response = await self.post(body, "application/json", headers)
        assert response.status_code == 200, response.text
        return response

    def event(self, name: str, **event_fields: Any) -> dict[str, Any]:
        envelope = payload(name)
        envelope["event_id"] = "Ev" + uuid.uuid4().hex[:10].upper()
        envelope["event"].update(event_fields)
        return envelope

    async def dm(self, user: str, text: str, **fields: Any) -> dict[str, Any]:
        envelope = self.event("event_message_im", user=user, text=text, channel="D" + user[1:],
                              ts=f"{time.time():.6f}", **fields)
        await self.send_event(envelope)
        return envelope

    async def command(self, user: str, text: str, channel: str = CHANNEL, channel_name: str = "general",
                      expect: int = 200) -> str:
        """`/advocacy text`; returns the response_url name the answer will be posted to."""
        form = payload("command_advocacy")
        name = uuid.uuid4().hex
        form.update(user_id=user, user_name=user.lower(), text=text, channel_id=channel, channel_name=channel_name,
                    response_url=self.api.response_url(name), trigger_id=f"{uuid.uuid4().int % 10**12}.1.{name}")
        response = await self.post(urlencode(form).encode(), "application/x-www-form-urlencoded")
        assert response.status_code == expect, response.text
        return name

    async def answer(self, name: str, timeout: float = 10.0):
        calls = await self.api.wait_for("response_url", where=lambda c: c.path.endswith("/" + name),
                                        timeout=timeout)
        return calls[0]

    async def say(self, user: str, text: str, **kw: Any) -> str:
        """A slash command and the text of its (first) answer."""
        name = await self.command(user, text, **kw)
        return (await self.answer(name)).text_of()

    async def join(self, *users: str) -> None:
        """`users` take part in the program: only members who joined earn points."""
        for user in users:
            reply = await self.say(user, "join")
            assert "Welcome" in reply or "Witaj" in reply, reply

    def block_actions(self, user: str, action_id: str, value: str = "", *, channel: str = CHANNEL,
                      message_ts: str = "1700000001.000100", state: dict | None = None,
                      block_id: str = "c0/a", home: bool = False) -> dict[str, Any]:
        body = payload("block_actions_home" if home else "block_actions_message")
        name = uuid.uuid4().hex
        body["user"] = {"id": user, "username": user.lower(), "name": user.lower(), "team_id": "T0001"}
        body["trigger_id"] = f"{uuid.uuid4().int % 10**12}.1.{name}"
        body["actions"][0].update(action_id=action_id, value=value, block_id=block_id,
                                  action_ts=f"{time.time():.6f}")
        if home:
            body["view"]["state"] = state or {"values": {}}
        else:
            body["container"].update(channel_id=channel, message_ts=message_ts)
            body["channel"] = {"id": channel, "name": "general"}
            body["message"]["ts"] = message_ts
            body["state"] = state or {"values": {}}
            body["response_url"] = self.api.response_url(name)
        return body

    async def interact(self, body: dict[str, Any], expect: int = 200) -> httpx.Response:
        form = urlencode({"payload": json.dumps(body)}).encode()
        response = await self.post(form, "application/x-www-form-urlencoded")
        assert response.status_code == expect, response.text
        return response

    async def click(self, user: str, action_id: str, value: str = "", **kw: Any) -> dict[str, Any]:
        body = self.block_actions(user, action_id, value, **kw)
        await self.interact(body)
        return body

    def response_name(self, body: dict[str, Any]) -> str:
        return body["response_url"].rsplit("/", 1)[1]

    async def submit(self, body: dict[str, Any]) -> dict[str, Any]:
        """A modal submission; returns Bolt's ack body (response_action …) or {}."""
        response = await self.interact(body)
        return response.json() if response.content else {}

    async def posted_suggestions(self, count: int, since: int = 0) -> list[tuple[str, str, str]]:
        """(channel, ts, text) of suggestion messages the dispatcher posted."""
        calls = await self.api.wait_for("chat.postMessage", count=count, since=since,
                                        where=lambda c: c.params.get("channel") == CHANNEL)
        out = []
        for call in calls:
            ts = next(m["ts"] for m in self.api.messages[CHANNEL] if m["text"] == call.params["text"])
            out.append((CHANNEL, ts, call.text_of()))
        return out


def slack_env(api: FakeSlack, **extra: str) -> dict[str, str]:
    return {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET, "SLACK_API_URL": api.api_url,
            "ADVOCACY_ADMINS": ADMIN, "ADVOCACY_CHANNEL": CHANNEL, **extra}


@pytest.fixture
async def fake_slack():
    async with FakeSlack(bot_token=BOT_TOKEN, app_token=APP_TOKEN) as api:
        api.add_user(ADMIN, "ada", "Ada Admin", "en-US")
        api.add_user(OLA, "ola", "Ola Nowak", "en-GB")
        api.add_user(BASIA, "basia", "Basia Wiśniewska", "pl-PL")
        api.add_user(EVE, "eve", "Eve Mallory", "en-US")
        yield api


@pytest.fixture
async def slack(serve, fake_slack):
    """A running bot with Slack on, and a way to talk to it."""
    server = await serve(env=slack_env(fake_slack))
    async with httpx.AsyncClient(timeout=15) as http:
        yield Slack(server, fake_slack, http)


@pytest.fixture
async def start_slack(serve, fake_slack):
    """Like `slack`, with your own environment or backend: `await start_slack(backend="postgresql")`."""
    clients: list[httpx.AsyncClient] = []

    async def start(backend: str = "sqlite", **env: str) -> Slack:
        server = await serve(env=slack_env(fake_slack, **env), backend=backend)
        http = httpx.AsyncClient(timeout=15)
        clients.append(http)
        return Slack(server, fake_slack, http)

    yield start
    for http in clients:
        await http.aclose()
