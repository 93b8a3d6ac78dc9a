"""Slack payloads in, neutral `Incoming` out. No I/O here: the actor is looked up by the caller."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.models import Action, Actor, Conversation, ConversationKind, Incoming, Mention

PLATFORM = "slack"

_LEADING_MENTION = re.compile(r"^\s*<@[UW][A-Z0-9]+(?:\|[^>]*)?>[\s:,]*")
_LINK = re.compile(r"<((?:https?|mailto):[^|>\s]+)(?:\|[^>]*)?>")
_CHANNEL = re.compile(r"<#([CG][A-Z0-9]+)(?:\|([^>]*))?>")
_USER = re.compile(r"<@([UW][A-Z0-9]+)(?:\|([^>]*))?>")
_SPECIAL = re.compile(r"<!([a-z]+)(?:\^[^|>]*)?(?:\|([^>]*))?>")
CHANNEL_NAMES_NOT_SHOWN = {"directmessage", "privategroup", "mpdm"}


def clean_text(text: str | None, *, strip_mention: bool = False) -> str:
    """Slack's wire format as a person typed it: `<https://x|x>` is the link, `<#C1|general>` is
    `#general`, and `&amp; &lt; &gt;` are the characters. A leading @bot mention can be dropped."""
    text = text or ""
    if strip_mention:
        text = _LEADING_MENTION.sub("", text, count=1)
    text = _LINK.sub(lambda m: m.group(1), text)
    text = _CHANNEL.sub(lambda m: "#" + (m.group(2) or m.group(1)), text)
    text = _USER.sub(lambda m: "@" + (m.group(2) or m.group(1)), text)
    text = _SPECIAL.sub(lambda m: "@" + (m.group(2) or m.group(1)), text)
    if "&" in text:
        text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return text.strip()


def mentions_in(text: str | None, *, strip_mention: bool = False) -> tuple[Mention, ...]:
    """The people mentioned (`<@U1|ola>`, or `<@U1>`: a slash command sends them so with
    `should_escape`), each as it reads after `clean_text` (`@ola`, `@U1`)."""
    text = text or ""
    if strip_mention:
        text = _LEADING_MENTION.sub("", text, count=1)
    return tuple(Mention(m.group(1), m.group(2) or "", "@" + (m.group(2) or m.group(1))) for m in _USER.finditer(text))


def conversation(channel_id: str | None, *, channel_type: str | None = None, name: str | None = None,
                 user_id: str | None = None) -> Conversation:
    """An IM (`D…`, or `channel_type` im) is a direct conversation; anything else is a channel."""
    channel_id = channel_id or user_id or ""
    direct = channel_type == "im" or channel_id.startswith("D") or name == "directmessage"
    shown = None if not name or name in CHANNEL_NAMES_NOT_SHOWN or name.startswith("mpdm-") else f"#{name}"
    return Conversation(PLATFORM, channel_id, ConversationKind.DIRECT if direct else ConversationKind.CHANNEL,
                        shown)


def message_ref(channel: str, ts: str) -> str:
    """How the core refers to a Slack message: enough to update it and to match reactions on it."""
    return f"{channel}:{ts}"


def split_ref(ref: str) -> tuple[str, str]:
    channel, _, ts = ref.partition(":")
    return channel, ts


@dataclass(frozen=True)
class Where:
    """Where to answer the person who sent a payload."""

    channel: str | None
    user: str
    thread_ts: str | None = None
    response_url: str | None = None
    direct: bool = False
    home: bool = False
    trigger_id: str | None = None


# Events -----------------------------------------------------------------------------------------------

def from_message(envelope: dict[str, Any], actor: Actor, *, mention: bool) -> tuple[Incoming, Where]:
    event = envelope["event"]
    conv = conversation(event.get("channel"), channel_type=event.get("channel_type"))
    incoming = Incoming(actor, conv, text=clean_text(event.get("text"), strip_mention=mention),
                        event_id=envelope.get("event_id"),
                        mentions=mentions_in(event.get("text"), strip_mention=mention))
    where = Where(event.get("channel"), actor.user_id, thread_ts=event.get("thread_ts") or event.get("ts"),
                  direct=conv.kind == ConversationKind.DIRECT)
    return incoming, where


def from_reaction(envelope: dict[str, Any], actor: Actor, *, added: bool) -> tuple[Incoming, Where]:
    event = envelope["event"]
    item = event.get("item") or {}
    channel, ts = str(item.get("channel") or ""), str(item.get("ts") or "")
    verb = "share_message" if added else "unshare_message"
    incoming = Incoming(actor, conversation(channel), action=Action(verb, message_ref(channel, ts)),
                        event_id=envelope.get("event_id"))
    return incoming, Where(channel, actor.user_id, direct=channel.startswith("D"))


def from_home_opened(envelope: dict[str, Any], actor: Actor) -> Incoming:
    event = envelope["event"]
    conv = conversation(event.get("channel"), channel_type="im", user_id=actor.user_id)
    return Incoming(actor, conv, action=Action("home"), event_id=envelope.get("event_id"))


# Slash commands -----------------------------------------------------------------------------------------

def from_command(body: dict[str, Any], actor: Actor) -> tuple[Incoming, Where]:
    channel = body.get("channel_id")
    conv = conversation(channel, name=body.get("channel_name"), user_id=actor.user_id)
    trigger = body.get("trigger_id")
    incoming = Incoming(actor, conv, text=clean_text(body.get("text")),
                        event_id=f"command:{trigger}" if trigger else None, mentions=mentions_in(body.get("text")))
    where = Where(channel, actor.user_id, response_url=body.get("response_url"),
                  direct=conv.kind == ConversationKind.DIRECT, trigger_id=trigger)
    return incoming, where


# Interactivity ------------------------------------------------------------------------------------------

def verb_of(action_id: str) -> str:
    """Buttons are `verb`, or `verb#2` when a block has the same verb twice."""
    return action_id.split("#", 1)[0]


def input_values(state: dict[str, Any] | None, card_prefix: str | None = None) -> dict[str, str]:
    """Text typed into input blocks, by input id. With `card_prefix`, only that card's inputs."""
    values: dict[str, str] = {}
    for block_id, fields in ((state or {}).get("values") or {}).items():
        if card_prefix is not None and not str(block_id).startswith(card_prefix):
            continue
        for action_id, field in (fields or {}).items():
            if not isinstance(field, dict):
                continue
            value = field.get("value")
            if value is None and isinstance(field.get("selected_option"), dict):
                value = field["selected_option"].get("value")
            if value is not None:
                values[verb_of(str(action_id))] = str(value)
    return values


def card_prefix(block_id: str | None) -> str | None:
    """Blocks of one card share the prefix `c<n>/` (see render)."""
    if block_id and block_id.startswith("c") and "/" in block_id:
        return block_id.split("/", 1)[0] + "/"
    return None


def from_block_action(body: dict[str, Any], actor: Actor) -> tuple[Incoming, Where]:
    action = (body.get("actions") or [{}])[0]
    container = body.get("container") or {}
    home = container.get("type") == "view" and (body.get("view") or {}).get("type") == "home"
    channel = (body.get("channel") or {}).get("id") or container.get("channel_id")
    state = (body.get("view") or {}).get("state") if container.get("type") == "view" else body.get("state")
    values = input_values(state, card_prefix(action.get("block_id")))
    verb = verb_of(str(action.get("action_id") or ""))
    trigger = body.get("trigger_id")
    stable = trigger or f"{actor.user_id}:{action.get('action_ts')}"
    conv = conversation(channel, user_id=actor.user_id) if not home else \
        Conversation(PLATFORM, actor.user_id, ConversationKind.DIRECT)
    incoming = Incoming(actor, conv, action=Action(verb, str(action.get("value") or ""), values),
                        event_id=f"action:{stable}")
    message = body.get("message") or {}
    where = Where(channel, actor.user_id, thread_ts=message.get("thread_ts"),
                  response_url=body.get("response_url"), direct=conv.kind == ConversationKind.DIRECT,
                  home=home, trigger_id=trigger)
    return incoming, where


def from_view_submission(body: dict[str, Any], actor: Actor, verb: str, target: str,
                         channel: str | None) -> Incoming:
    view = body.get("view") or {}
    values = input_values(view.get("state"))
    conv = conversation(channel, user_id=actor.user_id)
    return Incoming(actor, conv, action=Action(verb, target, values), event_id=f"view:{view.get('id')}")
