"""Neutral `Message` out as a Teams message: Markdown text and Adaptive Cards 1.5.

Buttons with a verb are `Action.Execute` (Universal Actions: the invoke comes back to the bot and
its answer is shown only to the person who clicked), with an `Action.Submit` fallback for clients
that predate it; both carry `{"verb", "target"}` plus the card's inputs. Link buttons are
`Action.OpenUrl`. Sizes are capped so that no message reaches Teams' 40 KB limit.
"""
from __future__ import annotations

import re
from typing import Any

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

_BOLD = re.compile(r"(?<![\w*])\*(\S[^*\n]*?)\*(?!\w)")
_MARKS = re.compile(r"(?<![\w*])\*(\S[^*\n]*?)\*(?!\w)|(?<![\w_])_(\S[^_\n]*?)_(?!\w)|`([^`\n]+)`")


def trunc(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def markdown(text: str) -> str:
    """The core's light markup (*bold*, _italic_, `code`) in Teams Markdown (**bold**); each line
    its own paragraph, since a single newline does not break a line everywhere Teams runs."""
    text = _BOLD.sub(r"**\1**", text)
    lines = [line.rstrip() for line in text.splitlines()]
    return "\n\n".join(line for line in lines if line.strip())


def plain(text: str) -> str:
    """Without the marks: for places that show text as it is (invoke answers, notifications)."""
    return _MARKS.sub(lambda m: m.group(1) or m.group(2) or m.group(3), text)


def is_empty(message: Message | None) -> bool:
    return message is None or (not (message.text or "").strip() and not message.cards)


def _text_block(text: str, **style: Any) -> dict[str, Any]:
    return {"type": "TextBlock", "text": trunc(markdown(text), CARD_TEXT), "wrap": True, **style}


def _link_label(title: str) -> str:
    return title.replace("[", "(").replace("]", ")")


def action(button: Button) -> dict[str, Any] | None:
    title = trunc(button.label, LABEL)
    if button.url is not None:
        if not button.url.startswith(("https://", "http://")):
            return None
        return {"type": "Action.OpenUrl", "title": title, "url": button.url}
    data = {"verb": button.verb or "", "target": button.target}
    return {"type": "Action.Execute", "title": title, "verb": button.verb or "", "data": data,
            "fallback": {"type": "Action.Submit", "title": title, "data": data}}


def text_input(field: TextInput) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "Input.Text", "id": field.id, "label": trunc(field.label, TITLE),
                               "isRequired": False, "maxLength": INPUT_MAX}
    if field.placeholder:
        element["placeholder"] = trunc(field.placeholder, TITLE)
    return element


def adaptive_card(card: Card, *, inputs: bool = True) -> dict[str, Any]:
    body: list[dict[str, Any]] = []
    if card.title:
        title = trunc(card.title, TITLE)
        shown = f"[{_link_label(title)}]({card.url})" if card.url else title
        body.append({"type": "TextBlock", "text": shown, "size": "Medium", "weight": "Bolder", "wrap": True})
    if card.body:
        body.append(_text_block(card.body))
    if card.fields:
        body.append({"type": "FactSet", "facts": [
            {"title": trunc(label, TITLE), "value": trunc(value, CARD_TEXT)} for label, value in card.fields[:MAX_FACTS]]})
    if card.quote:
        body.append({"type": "Container", "style": "emphasis", "items": [_text_block(card.quote)]})
    if inputs:
        body += [text_input(field) for field in card.inputs]
    if card.footer:
        body.append(_text_block(card.footer, size="Small", isSubtle=True, spacing="Small"))
    actions = [a for a in (action(b) for b in card.buttons) if a is not None][:MAX_ACTIONS]
    content: dict[str, Any] = {"type": "AdaptiveCard", "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                               "version": CARD_VERSION, "body": body or [{"type": "TextBlock", "text": " "}],
                               "msteams": {"width": "Full"}}
    if actions:
        content["actions"] = actions
    return content


def attachment(card: Card, *, inputs: bool = True) -> dict[str, Any]:
    return {"contentType": CARD_CONTENT_TYPE, "content": adaptive_card(card, inputs=inputs)}


def message_body(message: Message, *, inputs: bool = True) -> dict[str, Any]:
    """The activity fields for a message (no addressing): text, cards, notification summary."""
    body: dict[str, Any] = {"type": "message"}
    cards = message.cards[:MAX_CARDS]
    text = message.text or ""
    # A suggestion's text is its card's title, there for notifications: drawing it would repeat it.
    if cards and text and text == cards[0].title:
        body["summary"] = trunc(plain(text), 200)
        text = ""
    if text.strip():
        body["text"] = trunc(markdown(text), TEXT_LIMIT)
        body["textFormat"] = "markdown"
    if cards:
        body["attachments"] = [attachment(card, inputs=inputs) for card in cards]
        body["attachmentLayout"] = "list"
    return body


def flat_text(message: Message, limit: int = INVOKE_TEXT) -> str:
    """A reply as one line of plain text: the text, then any card's title and body (cards degrade
    to text where they cannot be shown, e.g. an Action.Execute answer)."""
    parts = [plain(message.text or "").strip()]
    for card in message.cards:
        parts += [plain(card.title or "").strip(), plain(card.body or "").strip()]
    return trunc(" ".join(" ".join(p.split()) for p in parts if p), limit)
