"""Bot Framework activities in, neutral `Incoming` out. No I/O here.

Who: `from.id` (the `29:` id, unique per bot), name, locale and the client's IANA time zone.
Where: personal chat is a direct conversation addressed by the member's own id (the gateway finds
the chat from it); a channel is its conversation id without `;messageid=…` (the thread a message
sits in), so `use this channel` and the digest mean the channel, not one thread.
"""
from __future__ import annotations

import hashlib
import html
import re
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from microsoft_agents.activity import Activity

from bot.models import Action, Actor, Conversation, ConversationKind, Incoming, Mention

PLATFORM = "teams"
CARD_ACTION = "adaptiveCard/action"
MAX_VALUES = 20
MAX_VALUE = 4000
MAX_TARGET = 200
MAX_NAME = 200
_AT = re.compile(r"<at[^>]*>(.*?)</at>", re.I | re.S)
_LEADING_AT = re.compile(r"^\s*<at[^>]*>.*?</at>[\s:,]*", re.I | re.S)
_TAGS = re.compile(r"</?(?:p|div|span|br|b|i|strong|em)\b[^>]*>", re.I)


def channel_of(conversation_id: str) -> str:
    """`19:x@thread.tacv2;messageid=17…` → `19:x@thread.tacv2`."""
    return conversation_id.split(";messageid=", 1)[0]


def extra(obj: Any, name: str) -> Any:
    return getattr(obj, name, None) if obj is not None else None


def channel_data(activity: Activity) -> dict[str, Any]:
    data = activity.channel_data
    return data if isinstance(data, dict) else {}


def _sub(data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key)
    return value if isinstance(value, dict) else {}


def tenant_of(activity: Activity) -> str | None:
    return extra(activity.conversation, "tenant_id") or _sub(channel_data(activity), "tenant").get("id")


def team_of(activity: Activity) -> dict[str, Any]:
    return _sub(channel_data(activity), "team")


def is_personal(activity: Activity) -> bool:
    """Personal scope (Teams says `personal`; the Emulator says nothing and is not a group)."""
    conv = activity.conversation
    kind = (extra(conv, "conversation_type") or "").lower()
    if kind:
        return kind == "personal"
    return not extra(conv, "is_group")


def from_bot(activity: Activity) -> bool:
    sender, bot = activity.from_property, activity.recipient
    return bool(sender and bot and sender.id and sender.id == bot.id)


@lru_cache(maxsize=512)
def _zone(name: str) -> str | None:
    if len(name) > 64:
        return None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return name


def timezone_of(activity: Activity) -> str | None:
    candidates = [extra(activity, "local_timezone")]
    for entity in activity.entities or []:
        if (extra(entity, "type") or "").lower() == "clientinfo":
            candidates.append(extra(entity, "timezone"))
    for name in candidates:
        if isinstance(name, str) and name.strip():
            zone = _zone(name.strip())
            if zone:
                return zone
    return None


def locale_of(activity: Activity) -> str | None:
    locale = activity.locale
    if not locale:
        for entity in activity.entities or []:
            if (extra(entity, "type") or "").lower() == "clientinfo" and isinstance(extra(entity, "locale"), str):
                locale = extra(entity, "locale")
    return locale[:35] if isinstance(locale, str) and locale.strip() else None


def actor(activity: Activity) -> Actor:
    sender = activity.from_property
    name = (sender.name or "").strip()[:MAX_NAME] if sender else ""
    return Actor(PLATFORM, sender.id if sender else "", name, locale_of(activity), timezone_of(activity))


def channel_name(activity: Activity, known: str | None = None) -> str | None:
    """`Marketing › General`: the team's name and the channel's, as far as Teams told us."""
    here = channel_of(activity.conversation.id)
    about = _sub(channel_data(activity), "channel")  # channelCreated names another channel than here
    channel = (about.get("name") if about.get("id") in (None, here) else None) or known
    team = team_of(activity)
    if not channel and team.get("id") and team.get("id") == here:
        channel = "General"  # the General channel's id is the team's id; Teams never names it
    team_name = team.get("name")
    if channel and team_name and not str(channel).startswith(str(team_name)):
        return f"{team_name} › {channel}"[:MAX_NAME]
    name = channel or extra(activity.conversation, "name")
    return str(name)[:MAX_NAME] if name else None


def conversation(activity: Activity, known_name: str | None = None) -> Conversation:
    if is_personal(activity):
        return Conversation(PLATFORM, activity.from_property.id, ConversationKind.DIRECT, None)
    return Conversation(PLATFORM, channel_of(activity.conversation.id), ConversationKind.CHANNEL,
                        channel_name(activity, known_name))


def clean_text(activity: Activity) -> str:
    """What the person typed: the bot's @mention removed, Teams' HTML entities decoded."""
    text = activity.text or ""
    bot_id = activity.recipient.id if activity.recipient else None
    mentioned_bot = False
    for entity in activity.entities or []:
        if (extra(entity, "type") or "").lower() != "mention":
            continue
        mentioned = extra(entity, "mentioned")
        who = mentioned.get("id") if isinstance(mentioned, dict) else extra(mentioned, "id")
        shown = extra(entity, "text")
        if who and who == bot_id and isinstance(shown, str) and shown:
            text = text.replace(shown, " ")
            mentioned_bot = True
    if not mentioned_bot and not is_personal(activity):
        text = _LEADING_AT.sub("", text, count=1)  # a mention whose entity went missing
    text = _AT.sub(lambda m: "@" + m.group(1), text)  # anyone else mentioned: keep the name
    if "<" in text:
        text = _TAGS.sub(" ", text)
    if "&" in text:
        text = html.unescape(text)
    return text.replace("\u00a0", " ").strip()


def mentions(activity: Activity) -> tuple[Mention, ...]:
    """The people mentioned (mention entities other than the bot), each as `clean_text` shows them
    (`<at>Ola Nowak</at>` reads `@Ola Nowak`)."""
    bot_id = activity.recipient.id if activity.recipient else None
    found = []
    for entity in activity.entities or []:
        if (extra(entity, "type") or "").lower() != "mention":
            continue
        mentioned = extra(entity, "mentioned")
        uid = mentioned.get("id") if isinstance(mentioned, dict) else extra(mentioned, "id")
        name = mentioned.get("name") if isinstance(mentioned, dict) else extra(mentioned, "name")
        shown = _AT.search(extra(entity, "text") or "")
        if uid and uid != bot_id and shown:
            label = html.unescape(shown.group(1)).replace("\u00a0", " ").strip()
            found.append(Mention(str(uid)[:MAX_TARGET], str(name or label)[:MAX_NAME], "@" + label))
    return tuple(found)


def event_id(activity: Activity, suffix: str = "") -> str | None:
    """The redelivery key: the activity id within its conversation (ids repeat across chats)."""
    if not activity.id:
        return None
    conv = hashlib.sha1(channel_of(activity.conversation.id).encode()).hexdigest()[:16]
    return f"{activity.id[:200]}@{conv}{suffix}"


def _values(data: dict[str, Any]) -> dict[str, str]:
    values: dict[str, str] = {}
    for key, value in data.items():
        if key in ("verb", "target", "msteams") or not isinstance(key, str) or len(values) >= MAX_VALUES:
            continue
        if isinstance(value, (str, int, float, bool)):
            values[key[:64]] = str(value)[:MAX_VALUE]
    return values


def action_from(data: Any, verb: Any = None) -> Action:
    """Card data (`{"verb", "target", …inputs}`) as the core's Action; anything odd is an unknown verb."""
    data = data if isinstance(data, dict) else {}
    verb = verb if isinstance(verb, str) and verb else data.get("verb")
    target = data.get("target")
    return Action(verb if isinstance(verb, str) else "", str(target)[:MAX_TARGET] if target is not None else "",
                  _values(data))


def execute_action(activity: Activity) -> Action:
    """`adaptiveCard/action` invoke: `value = {"action": {"type": "Action.Execute", "verb", "data"}}`."""
    value = activity.value if isinstance(activity.value, dict) else {}
    found = value.get("action")
    action = found if isinstance(found, dict) else {}
    return action_from(action.get("data"), action.get("verb"))


def is_submit(activity: Activity) -> bool:
    """`Action.Submit` (older clients, and our fallback): a message with `value` and no text."""
    return isinstance(activity.value, dict) and not (activity.text or "").strip()


def from_message(activity: Activity, known_name: str | None = None) -> Incoming:
    who, where = actor(activity), conversation(activity, known_name)
    if is_submit(activity):
        return Incoming(who, where, action=action_from(activity.value), event_id=event_id(activity))
    return Incoming(who, where, text=clean_text(activity), event_id=event_id(activity), mentions=mentions(activity))


def from_execute(activity: Activity, known_name: str | None = None) -> Incoming:
    return Incoming(actor(activity), conversation(activity, known_name), action=execute_action(activity),
                    event_id=event_id(activity))


def reaction_types(reactions: Any) -> set[str]:
    return {str(extra(r, "type") or "").lower() for r in reactions or []} - {""}


def from_reaction(activity: Activity, verb: str, kind: str, known_name: str | None = None) -> Incoming:
    """A counted reaction on one of the bot's messages: `share_message` / `unshare_message`."""
    suffix = "" if activity.id else f"{activity.reply_to_id}:{activity.from_property.id}:{kind}:{activity.timestamp}"
    return Incoming(actor(activity), conversation(activity, known_name),
                    action=Action(verb, str(activity.reply_to_id or "")[:MAX_TARGET]),
                    event_id=event_id(activity, f":{kind}") if activity.id else hashlib.sha1(
                        suffix.encode()).hexdigest())
