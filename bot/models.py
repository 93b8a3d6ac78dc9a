"""The neutral message model: what comes in from any platform and what goes back out.

Adapters translate platform payloads into `Incoming` and render `Message` in their own
format. Buttons carry a verb and a target id, never platform specifics.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any


class ConversationKind(StrEnum):
    DIRECT = "direct"
    CHANNEL = "channel"


@dataclass(frozen=True)
class Actor:
    platform: str
    user_id: str
    display_name: str = ""
    locale: str | None = None
    timezone: str | None = None


@dataclass(frozen=True)
class Conversation:
    platform: str
    id: str
    kind: ConversationKind = ConversationKind.CHANNEL
    name: str | None = None


@dataclass(frozen=True)
class Action:
    """A pressed button: a verb (`claim`, `share`, …), the id it acts on, and form values."""

    verb: str
    target: str = ""
    values: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Mention:
    """A person mentioned in the text: their platform user id, their name, and how the mention
    reads in `Incoming.text` (`@Ola Nowak`), so that the parser can tell it from other words."""

    user_id: str
    name: str = ""
    text: str = ""


@dataclass(frozen=True)
class Incoming:
    actor: Actor
    conversation: Conversation
    text: str | None = None
    action: Action | None = None
    event_id: str | None = None
    mentions: tuple[Mention, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Incoming:
        conversation = dict(data["conversation"])
        conversation["kind"] = ConversationKind(conversation.get("kind", "channel"))
        action = data.get("action")
        return cls(Actor(**data["actor"]), Conversation(**conversation), text=data.get("text"),
                   action=Action(**action) if action else None, event_id=data.get("event_id"),
                   mentions=tuple(Mention(**m) for m in data.get("mentions", ())))


@dataclass(frozen=True)
class Button:
    label: str
    verb: str | None = None
    target: str = ""
    url: str | None = None
    style: str | None = None

    @property
    def is_link(self) -> bool:
        return self.url is not None


@dataclass(frozen=True)
class TextInput:
    """A field a card offers (e.g. the link to the member's post). `kind` is `text` or `url`;
    a `required` field is checked by the client where it can, with `error_message` beside it."""

    id: str
    label: str
    placeholder: str = ""
    required: bool = False
    kind: str = "text"
    error_message: str = ""


@dataclass(frozen=True)
class Card:
    title: str
    body: str = ""
    url: str | None = None
    fields: tuple[tuple[str, str], ...] = ()
    quote: str | None = None
    buttons: tuple[Button, ...] = ()
    inputs: tuple[TextInput, ...] = ()
    footer: str | None = None
    key: str | None = None


@dataclass(frozen=True)
class Message:
    """A reply or a send. `private` means only the person who asked should see it; `thread`
    asks for a reply in the thread of the message answered, where the platform has threads.

    Text uses a light markup every adapter translates: *bold*, _italic_, `code`.
    """

    text: str = ""
    cards: tuple[Card, ...] = ()
    private: bool = False
    thread: bool = False

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Message:
        cards = tuple(
            Card(
                **{
                    **card,
                    "fields": tuple(tuple(f) for f in card.get("fields", ())),
                    "buttons": tuple(Button(**b) for b in card.get("buttons", ())),
                    "inputs": tuple(TextInput(**i) for i in card.get("inputs", ())),
                }
            )
            for card in data.get("cards", ())
        )
        return cls(text=data.get("text", ""), cards=cards, private=data.get("private", False),
                   thread=data.get("thread", False))


@dataclass(frozen=True)
class Address:
    """Where a send goes: a channel, or a person (their direct conversation)."""

    platform: str
    conversation_id: str
    kind: ConversationKind = ConversationKind.CHANNEL
    name: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"platform": self.platform, "conversation_id": self.conversation_id,
                "kind": str(self.kind), "name": self.name}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Address:
        return cls(platform=data["platform"], conversation_id=data["conversation_id"],
                   kind=ConversationKind(data.get("kind", "channel")), name=data.get("name"))

    def label(self) -> str:
        return self.name or self.conversation_id
