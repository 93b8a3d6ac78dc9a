"""manifests/slack.yaml and handlers/slack agree: every command, event and shortcut in the manifest
has a listener and every listener is in the manifest; every button the core can draw is handled;
the scopes cover what the adapter does; and, dispatched for real, subscribed events are answered
200 (an unhandled one would be a 404, which Slack retries)."""
import asyncio
import json
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlencode

import pytest
from sqlalchemy.exc import OperationalError
import yaml
from slack_bolt.request.async_request import AsyncBoltRequest

from bot.commands import parse, words_of
from bot.config import Settings
from bot.registry import ordered
from bot.router import ACTIONS
from handlers.slack import render
from handlers.slack.app import build_bolt
from handlers.slack.client import web_client
from handlers.slack.config import SlackSettings
from handlers.slack.listeners import SlackListeners
from tests.fakes.slack_api import FakeSlack

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = yaml.safe_load((ROOT / "manifests" / "slack.yaml").read_text(encoding="utf-8"))
PAYLOADS = ROOT / "tests" / "payloads" / "slack"

# What each subscribed event needs, and what the adapter's Web API calls need.
EVENT_SCOPES = {"app_mention": "app_mentions:read", "message.im": "im:history", "reaction_added": "reactions:read",
                "reaction_removed": "reactions:read", "app_home_opened": None}
METHOD_SCOPES = {"chat.postMessage": "chat:write", "chat.update": "chat:write", "chat.postEphemeral": "chat:write",
                 "users.info": "users:read", "conversations.open": "im:write",
                 "conversations.history": "channels:history", "views.open": None, "views.publish": None}


class Recorder:
    """Stands in for the Bolt app: records what `register` asks to listen to."""

    def __init__(self):
        self.seen = defaultdict(list)

    def __getattr__(self, kind):
        def listen(key):
            self.seen[kind].append(key)
            return lambda fn: fn
        return listen


def listeners() -> SlackListeners:
    return SlackListeners(app=None, client=None, responder=None, share_emoji="x")  # type: ignore[arg-type]


def registered() -> dict[str, list]:
    recorder = Recorder()
    listeners().register(recorder)  # type: ignore[arg-type]
    return recorder.seen


def manifest_events() -> set[str]:
    """message.im arrives as a `message` event (with channel_type im)."""
    return {event.split(".", 1)[0] for event in MANIFEST["settings"]["event_subscriptions"]["bot_events"]}


def test_every_subscribed_event_is_kept_and_every_kept_event_is_subscribed():
    slack, recorder = listeners(), Recorder()
    slack.register(recorder)  # type: ignore[arg-type]
    assert set(slack.events) == manifest_events()
    assert recorder.seen["middleware"] == [slack.keep_event]  # kept before Bolt acknowledges


def test_the_slash_command_and_shortcuts_match_the_listeners():
    seen = registered()
    assert {c["command"] for c in MANIFEST["features"]["slash_commands"]} == set(seen["command"])
    assert {s["callback_id"] for s in MANIFEST["features"]["shortcuts"]} == set(seen["shortcut"])


def test_the_slash_command_escapes_mentions_and_its_hint_names_the_commands_declared_for_it():
    command = MANIFEST["features"]["slash_commands"][0]
    assert command["should_escape"] is True, "a mention must arrive as <@U…>, the person's id"
    hinted = []
    for item in command["usage_hint"].split(" | "):  # "ask/zapytaj …": English/Polish words, arguments
        forms, *rest = item.split(" ")
        english, polish = forms.split("/")
        name, = {parse(" ".join([form, *rest])).name for form in (english, polish)}
        assert english in [" ".join(w) for w in words_of(name, "en")], english
        assert polish in [" ".join(w) for w in words_of(name, "pl")], polish
        hinted.append(name)
    assert sorted(hinted) == sorted(decl.name for decl in ordered() if decl.hint)
    assert len(command["usage_hint"]) <= 100, "short: it is shown beside what the member types"


def test_interactivity_is_on_because_buttons_and_modals_are_handled():
    seen = registered()
    assert MANIFEST["settings"]["interactivity"]["is_enabled"] is True
    assert seen["action"] and seen["view"]


def test_every_button_the_core_can_draw_reaches_a_listener_that_is_not_the_fallback():
    patterns = [p for p in registered()["action"] if p.pattern != ".*"]
    drawn = set(ACTIONS) | {render.OPEN_URL}
    for action_id in drawn | {f"{verb}#2" for verb in drawn}:
        assert any(p.match(action_id) for p in patterns), action_id
    for pattern in patterns:
        inner = pattern.pattern.split("(?:", 1)[1].split(")", 1)[0]
        names = {name.replace("\\", "") for name in inner.split("|")}
        assert names <= drawn, f"{pattern.pattern} listens for buttons nobody draws: {names - drawn}"


def test_every_modal_the_adapter_opens_has_a_submission_listener():
    views = {v for v in registered()["view"] if isinstance(v, str)}
    assert views == {render.ADD_CONTENT_VIEW, render.LINK_VIEW}


def test_scopes_cover_the_events_and_the_calls_and_nothing_else():
    scopes = set(MANIFEST["oauth_config"]["scopes"]["bot"])
    needed = {s for e, s in EVENT_SCOPES.items() if e in MANIFEST["settings"]["event_subscriptions"]["bot_events"]}
    needed |= {s for s in METHOD_SCOPES.values()} | {"commands", "groups:history"}
    assert scopes == needed - {None}
    assert set(EVENT_SCOPES) == set(MANIFEST["settings"]["event_subscriptions"]["bot_events"])


def test_app_home_and_messages_tab_are_on_for_the_home_page_and_direct_messages():
    home = MANIFEST["features"]["app_home"]
    assert home["home_tab_enabled"] and home["messages_tab_enabled"]
    assert not home["messages_tab_read_only_enabled"]


def test_the_manifest_fits_slacks_limits():
    info = MANIFEST["display_information"]
    assert len(info["name"]) <= 35 and len(info["description"]) <= 140
    assert 175 <= len(info["long_description"]) <= 4000
    for url in (MANIFEST["settings"]["event_subscriptions"]["request_url"],
                MANIFEST["settings"]["interactivity"]["request_url"],
                MANIFEST["features"]["slash_commands"][0]["url"]):
        assert url.endswith("/slack/events")


@pytest.fixture
async def bolt():
    """The real Bolt app with the adapter's listeners, talking to a fake Slack; core calls and kept
    events recorded."""
    async with FakeSlack(bot_token="xoxb-manifest") as api:
        settings = SlackSettings(bot_token="xoxb-manifest", signing_secret="s", api_url=api.api_url)
        client = web_client(settings)
        app = build_bolt(settings, client)

        class Core:
            handled = []

            async def handle(self, incoming):
                self.handled.append(incoming)
                return None

        class Inbox:
            async def record(self, incoming, reply_to, waiting=False):
                Core.handled.append(incoming)

        class App:
            core = Core()
            settings = Settings()
            inbox = Inbox()

        class Responder:
            async def reply(self, *args, **kwargs):
                return None

        listeners = SlackListeners(App(), client, Responder(), share_emoji="white_check_mark")  # type: ignore
        listeners.register(app)
        app.listeners = listeners
        app.core = App.core
        yield app


async def _dispatch(bolt, body: dict | str, form: bool = False):
    raw = urlencode(body) if form else json.dumps(body)
    request = AsyncBoltRequest(body=raw, headers={"content-type": "application/x-www-form-urlencoded" if form
                                                  else "application/json"})
    return await bolt.async_dispatch(request)


def _event(name: str, **fields) -> dict:
    body = json.loads((PAYLOADS / f"{name}.json").read_text())
    body["event"].update(fields)
    return body


async def test_each_subscribed_event_is_acknowledged_and_an_unsubscribed_one_is_not(bolt, monkeypatch):
    monkeypatch.setattr(bolt, "_async_middleware_list",
                        [m for m in bolt._async_middleware_list if "Verification" not in type(m).__name__])
    samples = {"app_mention": _event("event_app_mention"), "message": _event("event_message_im"),
               "reaction_added": _event("event_reaction_added"), "reaction_removed": _event("event_reaction_removed"),
               "app_home_opened": _event("event_app_home_opened")}
    assert set(samples) == manifest_events()
    for name, body in samples.items():
        assert (await _dispatch(bolt, body)).status == 200, name
    other = _event("event_app_mention", type="member_joined_channel")
    assert (await _dispatch(bolt, other)).status == 404
    command = json.loads((PAYLOADS / "command_advocacy.json").read_text())
    assert (await _dispatch(bolt, command, form=True)).status == 200
    assert (await _dispatch(bolt, {**command, "command": "/other"}, form=True)).status == 404
    shortcut = json.loads((PAYLOADS / "shortcut_global.json").read_text())
    assert (await _dispatch(bolt, {"payload": json.dumps(shortcut)}, form=True)).status == 200
    assert (await _dispatch(bolt, {"payload": json.dumps({**shortcut, "callback_id": "nope"})}, form=True)).status == 404
    deadline = time.monotonic() + 5
    while len(bolt.core.handled) < 4 and time.monotonic() < deadline:  # kept before the ack
        await asyncio.sleep(0.02)
    verbs = {i.action.verb if i.action else "text" for i in bolt.core.handled}
    assert {"text", "share_message", "unshare_message", "home"} <= verbs


async def test_an_event_the_database_cannot_keep_is_not_acknowledged_so_slack_sends_it_again(bolt, monkeypatch):
    monkeypatch.setattr(bolt, "_async_middleware_list",
                        [m for m in bolt._async_middleware_list if "Verification" not in type(m).__name__])

    async def database_away(incoming, reply_to, waiting=False):
        raise OperationalError("INSERT", {}, ConnectionRefusedError("connection refused"))

    monkeypatch.setattr(bolt.listeners.app.inbox, "record", database_away)
    assert (await _dispatch(bolt, _event("event_reaction_added"))).status == 503
