"""Neutral `Message` out as a Teams message: Markdown text and Adaptive Cards 1.5.

Buttons with a verb are `Action.Execute` (Universal Actions: the invoke comes back to the bot and
its answer is shown only to the person who clicked), with an `Action.Submit` fallback for clients
that predate it; both carry `{"verb", "target"}` plus the card's inputs. Link buttons are
`Action.OpenUrl`; a primary button is styled `positive`.

Size: Teams refuses a bot message above about 28 KB (413 `MessageSizeTooBig`). `message_bodies` splits
a reply into as many messages as it takes (at most `MESSAGE_BYTES` of JSON each, as sent, and ten
cards), and trims a card or text that could not fit in one message alone.
"""
from __future__ import annotations

import json
from typing import Any

from bot import markup
from bot.models import Button, Card, Message, TextInput

CARD_VERSION = "1.5"
CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
TEXT_LIMIT = 8000           # characters of message text (the payload limit is 40 KB of UTF-16)
CARD_TEXT = 3000
MAX_CARDS = 10
MAX_ACTIONS = 6             # Teams shows at most six actions on a card
MAX_FACTS = 20
TITLE = 250
LABEL = 60
INPUT_MAX = 2000
INVOKE_TEXT = 1500          # what an Action.Execute answer shows under the card
MESSAGE_BYTES = 26_000      # per message, before addressing (Teams' limit is about 28 KB)
# (card text, title) limits tried in turn when a card alone is larger than a message may be
TRIMS = ((CARD_TEXT, TITLE), (1500, TITLE), (600, 200), (200, 120), (60, 60))
STYLES = {"primary": "positive", "danger": "destructive"}
INPUT_STYLES = {"url": "Url", "email": "Email", "tel": "Tel"}

# The core's markup in Teams Markdown: **bold**; _italic_ and `code` are written the same way.
MARKDOWN = markup.Syntax(bold=lambda s: f"**{s}**")


def trunc(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def markdown(text: str) -> str:
    """The core's markup in Teams Markdown; each line its own paragraph, since a single newline
    does not break a line everywhere Teams runs."""
    text = MARKDOWN.render(text)
    lines = [line.rstrip() for line in text.splitlines()]
    return "\n\n".join(line for line in lines if line.strip())


def plain(text: str) -> str:
    """Without the marks: for places that show text as it is (invoke answers, notifications)."""
    return markup.plain(text)


def is_empty(message: Message | None) -> bool:
    return message is None or (not (message.text or "").strip() and not message.cards)


def _text_block(text: str, limit: int = CARD_TEXT, **style: Any) -> dict[str, Any]:
    return {"type": "TextBlock", "text": trunc(markdown(text), limit), "wrap": True, **style}


def _link_label(title: str) -> str:
    return title.replace("[", "(").replace("]", ")")


def action(button: Button) -> dict[str, Any] | None:
    title = trunc(button.label, LABEL)
    if button.url is not None:
        if not button.url.startswith(("https://", "http://")):
            return None
        return {"type": "Action.OpenUrl", "title": title, "url": button.url}
    data = {"verb": button.verb or "", "target": button.target}
    style = {"style": STYLES[button.style]} if button.style in STYLES else {}
    return {"type": "Action.Execute", "title": title, "verb": button.verb or "", "data": data, **style,
            "fallback": {"type": "Action.Submit", "title": title, "data": data, **style}}


def text_input(field: TextInput) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "Input.Text", "id": field.id, "label": trunc(field.label, TITLE),
                               "isRequired": field.required, "maxLength": INPUT_MAX}
    if field.placeholder:
        element["placeholder"] = trunc(field.placeholder, TITLE)
    if field.kind in INPUT_STYLES:
        element["style"] = INPUT_STYLES[field.kind]
    if field.required and field.error_message:
        element["errorMessage"] = trunc(field.error_message, TITLE)
    return element


def adaptive_card(card: Card, *, inputs: bool = True, text: int = CARD_TEXT, title: int = TITLE) -> dict[str, Any]:
    body: list[dict[str, Any]] = []
    if card.title:
        heading = trunc(card.title, title)
        shown = f"[{_link_label(heading)}]({card.url})" if card.url else heading
        body.append({"type": "TextBlock", "text": shown, "size": "Medium", "weight": "Bolder", "wrap": True})
    if card.body:
        body.append(_text_block(card.body, text))
    if card.fields:
        body.append({"type": "FactSet", "facts": [
            {"title": trunc(label, title), "value": trunc(value, text)} for label, value in card.fields[:MAX_FACTS]]})
    if card.quote:
        body.append({"type": "Container", "style": "emphasis", "items": [_text_block(card.quote, text)]})
    if inputs:
        body += [text_input(field) for field in card.inputs]
    if card.footer:
        body.append(_text_block(card.footer, text, size="Small", isSubtle=True, spacing="Small"))
    actions = [a for a in (action(b) for b in card.buttons) if a is not None][:MAX_ACTIONS]
    content: dict[str, Any] = {"type": "AdaptiveCard", "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                               "version": CARD_VERSION, "body": body or [{"type": "TextBlock", "text": " "}],
                               "msteams": {"width": "Full"}}
    if actions:
        content["actions"] = actions
    return content


def attachment(card: Card, *, inputs: bool = True, text: int = CARD_TEXT, title: int = TITLE) -> dict[str, Any]:
    return {"contentType": CARD_CONTENT_TYPE, "content": adaptive_card(card, inputs=inputs, text=text, title=title)}


def size(body: Any) -> int:
    """Bytes of JSON as the connector sends it (non-ASCII escaped, default separators)."""
    return len(json.dumps(body))


def _fitting_attachment(card: Card, inputs: bool, room: int) -> tuple[dict[str, Any], int]:
    """The card as it is, or with shorter texts until it fits in `room` bytes; and its size."""
    for text, title in TRIMS:
        shown = attachment(card, inputs=inputs, text=text, title=title)
        if (weight := size(shown)) <= room:
            return shown, weight
    shown = attachment(Card(trunc(card.title, 60), url=card.url, buttons=card.buttons, inputs=card.inputs,
                            key=card.key), inputs=inputs, text=60, title=60)
    return shown, size(shown)


def message_bodies(message: Message, *, inputs: bool = True, limit: int = MESSAGE_BYTES) -> list[dict[str, Any]]:
    """The activity fields for a message (no addressing): text, cards, notification summary, as one
    message or, when it would be too large for Teams, several that each fit (sent in this order)."""
    first: dict[str, Any] = {"type": "message"}
    cards = message.cards
    text = message.text or ""
    # A suggestion's text is its card's title, there for notifications: drawing it would repeat it.
    if cards and text and text == cards[0].title:
        first["summary"] = trunc(plain(text), 200)
        text = ""
    if text.strip():
        shown, cap = markdown(text), TEXT_LIMIT
        first.update(text=trunc(shown, cap), textFormat="markdown")
        while size(first) > limit and cap > 200:
            cap //= 2
            first["text"] = trunc(shown, cap)
    bodies = [first]
    bare = size({"type": "message", "attachments": [], "attachmentLayout": "list"})
    # a card fits in a message of its own; with a summary (no text) beside it, in the first one
    room = limit - size({**({} if "text" in first else first), "type": "message", "attachments": [],
                         "attachmentLayout": "list"})
    used = 0  # bytes of the last body, counted as cards join it (", " between two in the list)
    for card in cards:
        card_json, weight = _fitting_attachment(card, inputs, room)
        held = bodies[-1].get("attachments")
        if held and len(held) < MAX_CARDS and used + 2 + weight <= limit:
            held.append(card_json)
            used += 2 + weight
            continue
        if not held:
            grown = {**bodies[-1], "attachments": [card_json], "attachmentLayout": "list"}
            if (used := size(grown)) <= limit:
                bodies[-1] = grown
                continue
        bodies.append({"type": "message", "attachments": [card_json], "attachmentLayout": "list"})
        used = bare + weight
    return bodies


def message_body(message: Message, *, inputs: bool = True) -> dict[str, Any]:
    """The message as one activity (the first, should it need several): for an update in place."""
    return message_bodies(message, inputs=inputs)[0]


def flat_text(message: Message, limit: int = INVOKE_TEXT) -> str:
    """A reply as one line of plain text: the text, then any card's title and body (cards degrade
    to text where they cannot be shown, e.g. an Action.Execute answer)."""
    parts = [plain(message.text or "").strip()]
    for card in message.cards:
        parts += [plain(card.title or "").strip(), plain(card.body or "").strip()]
    return trunc(" ".join(" ".join(p.split()) for p in parts if p), limit)
