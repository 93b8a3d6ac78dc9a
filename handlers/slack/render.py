"""Neutral `Message` out as Block Kit: messages, the App Home tab and modals.

Every limit Slack enforces is applied here (50 blocks a message, 100 a view, 3000 characters a
section, 75 a button label …), so no reply is ever rejected for its size: long text is split or
shortened, extra cards are summarised. Block ids carry the card number (`c3/…`) so a button
press can find the text typed into the same card.
"""
from __future__ import annotations

import json
from typing import Any, TypedDict

from bot import markup
from bot.i18n import Translator
from bot.models import Button, Card, Message, TextInput

MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100
SECTION_TEXT = 3000
FIELD_TEXT = 2000
FIELDS = 10
BUTTONS = 25
BUTTON_LABEL = 75
BUTTON_VALUE = 2000
BUTTON_URL = 3000
FALLBACK_TEXT = 3000
TEXT_CHUNKS = 8
MODAL_TITLE = 24
METADATA = 3000

# Every chat.postMessage, an immediate answer or a queued send: the bot's cards are the preview.


class PostOptions(TypedDict):
    unfurl_links: bool
    unfurl_media: bool


class Payload(TypedDict):
    text: str
    blocks: list[dict[str, Any]]  # Block Kit JSON


POST_OPTIONS: PostOptions = {"unfurl_links": False, "unfurl_media": False}
OPEN_URL = "open_url"          # a link button: Slack still sends a click, which is only acknowledged
ADD_CONTENT_VIEW = "add_content"
LINK_VIEW = "link"


def escape(text: str) -> str:
    """Slack's three control characters, for text shown as it is (labels, titles)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# The core's markup in Slack mrkdwn: the spans are written the same way; only &, < and > escaped.
MRKDWN = markup.Syntax(text=escape)


def marked(text: str) -> str:
    """Core text (with its markup) as mrkdwn."""
    return MRKDWN.render(text)


def trunc(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def plain(text: str, limit: int) -> dict[str, Any]:
    return {"type": "plain_text", "text": trunc(text or " ", limit), "emoji": True}


def mrkdwn(text: str, limit: int = SECTION_TEXT) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": trunc(text, limit)}


def chunks(text: str, size: int = SECTION_TEXT) -> list[str]:
    """Split at line ends where possible, never above `size` characters."""
    out: list[str] = []
    rest = text
    while rest:
        if len(rest) <= size:
            out.append(rest)
            break
        cut = rest.rfind("\n", 0, size)
        if cut < size // 2:
            cut = size
        out.append(rest[:cut])
        rest = rest[cut:].lstrip("\n")
    return out


def text_blocks(text: str, max_blocks: int = TEXT_CHUNKS) -> list[dict[str, Any]]:
    parts = chunks(marked(text))
    if len(parts) > max_blocks:
        parts = parts[:max_blocks]
        parts[-1] = parts[-1][: SECTION_TEXT - 1] + "…"
    return [{"type": "section", "text": mrkdwn(part)} for part in parts]


def _link(url: str, label: str) -> str:
    safe = url.replace("|", "%7C").replace("<", "%3C").replace(">", "%3E")
    return f"<{safe}|{escape(label) or safe}>"


def button(b: Button, action_id: str) -> dict[str, Any] | None:
    element: dict[str, Any] = {"type": "button", "text": plain(b.label, BUTTON_LABEL), "action_id": action_id}
    if b.url is not None:
        if len(b.url) > BUTTON_URL:
            return None
        element["url"] = b.url
    else:
        element["value"] = trunc(b.target or "", BUTTON_VALUE)
    if b.style in ("primary", "danger"):
        element["style"] = b.style
    return element


def input_block(field: TextInput, block_id: str, *, optional: bool = True, multiline: bool = False,
                max_length: int | None = None, initial: str | None = None) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "plain_text_input", "action_id": field.id, "multiline": multiline}
    if field.placeholder:
        element["placeholder"] = plain(field.placeholder, 150)
    if max_length:
        element["max_length"] = max_length
    if initial:
        element["initial_value"] = initial
    return {"type": "input", "block_id": block_id, "optional": optional, "label": plain(field.label, 2000),
            "element": element}


def card_blocks(card: Card, index: int, *, inputs: bool = True) -> list[dict[str, Any]]:
    prefix = f"c{index}/"
    blocks: list[dict[str, Any]] = []
    head = f"*{_link(card.url, card.title)}*" if card.url else (f"*{escape(card.title)}*" if card.title else "")
    lines = [head] if head else []
    if card.body:
        lines.append(marked(card.body))
    if card.quote:
        lines.append("\n".join("> " + line for line in marked(card.quote).splitlines()))
    section: dict[str, Any] = {"type": "section", "block_id": prefix + "s"}
    if lines:
        section["text"] = mrkdwn("\n".join(lines))
    if card.fields:
        section["fields"] = [mrkdwn(f"*{escape(label)}*\n{marked(value)}", FIELD_TEXT)
                             for label, value in card.fields[:FIELDS]]
    if "text" in section or "fields" in section:
        blocks.append(section)
    if inputs:
        blocks += [input_block(field, f"{prefix}in/{field.id}", optional=not field.required) for field in card.inputs]
    if card.footer:
        blocks.append({"type": "context", "block_id": prefix + "f", "elements": [mrkdwn(marked(card.footer), 2000)]})
    elements = []
    seen: dict[str, int] = {}
    for b in card.buttons[:BUTTONS]:
        base = OPEN_URL if b.url is not None else (b.verb or "")
        seen[base] = seen.get(base, 0) + 1
        element = button(b, base if seen[base] == 1 else f"{base}#{seen[base]}")
        if element is not None:
            elements.append(element)
    if elements:
        blocks.append({"type": "actions", "block_id": prefix + "a", "elements": elements})
    return blocks


def message_blocks(message: Message, *, inputs: bool = True, limit: int = MESSAGE_BLOCKS,
                   lang: str = "en") -> list[dict[str, Any]]:
    # A card message whose text is just the first card's title (a suggestion) uses the text only
    # for notifications; drawing it too would show the title twice.
    headline = message.text and not (message.cards and message.text == message.cards[0].title)
    blocks = text_blocks(message.text) if headline else []
    rendered = [card_blocks(card, i, inputs=inputs) for i, card in enumerate(message.cards)]
    for n, card in enumerate(rendered):
        room = limit - len(blocks) - (1 if n < len(rendered) - 1 else 0)
        if len(card) > room:
            more = Translator(lang)("list.more", n=len(rendered) - n)
            blocks.append({"type": "context", "elements": [mrkdwn(more)]})
            break
        blocks += card
    return blocks[:limit]


def fallback_text(message: Message) -> str:
    """The notification text that goes with the blocks."""
    text = message.text or (message.cards[0].title if message.cards else "")
    return trunc(marked(text), FALLBACK_TEXT)


def is_empty(message: Message | None) -> bool:
    return message is None or (not message.text and not message.cards)


def payload(message: Message, *, inputs: bool = True, lang: str = "en") -> Payload:
    """`text` + `blocks` for chat.postMessage, chat.update, chat.postEphemeral or a response_url."""
    return {"text": fallback_text(message), "blocks": message_blocks(message, inputs=inputs, lang=lang)}


# App Home and modals ----------------------------------------------------------------------------------

def home_view(page: Message, *, notice: str | None = None, lang: str = "en") -> dict[str, Any]:
    blocks: list[dict[str, Any]] = []
    if notice:
        label = Translator(lang)("home.notice")
        blocks.append({"type": "context", "block_id": "notice",
                       "elements": [mrkdwn(f"*{label}:* {marked(notice)}", 2000)]})
        blocks.append({"type": "divider"})
    blocks += message_blocks(page, inputs=False, limit=VIEW_BLOCKS - len(blocks), lang=lang)
    return {"type": "home", "blocks": blocks}


def metadata(data: dict[str, Any]) -> str:
    return trunc(json.dumps(data, separators=(",", ":")), METADATA)


def add_content_modal(lang: str, meta: dict[str, Any]) -> dict[str, Any]:
    t = Translator(lang)

    def field(block: str, label: str, *, optional: bool = True, multiline: bool = False, max_length: int,
              placeholder: str = "") -> dict[str, Any]:
        return input_block(TextInput(block, t(label), placeholder), block, optional=optional,
                           multiline=multiline, max_length=max_length)

    kinds = [{"text": plain(t("form.add.kind_value"), 75), "value": "value"},
             {"text": plain(t("form.add.kind_promotional"), 75), "value": "promotional"}]
    return {
        "type": "modal",
        "callback_id": ADD_CONTENT_VIEW,
        "title": plain(t("form.add.title"), MODAL_TITLE),
        "submit": plain(t("form.add.submit"), MODAL_TITLE),
        "close": plain(t("form.close"), MODAL_TITLE),
        "private_metadata": metadata(meta),
        "blocks": [
            field("url", "form.add.url", optional=False, max_length=2000, placeholder=t("form.add.url_hint")),
            field("title", "form.add.title_field", max_length=300),
            field("summary", "form.add.summary", multiline=True, max_length=2000),
            field("captions", "form.add.captions", multiline=True, max_length=2500),
            field("tags", "form.add.tags", max_length=300),
            {"type": "input", "block_id": "kind", "label": plain(t("form.add.kind"), 2000),
             "element": {"type": "radio_buttons", "action_id": "kind", "options": kinds,
                         "initial_option": kinds[0]}},
        ],
    }


def link_modal(lang: str, confirmation: Message | None, field: TextInput, meta: dict[str, Any]) -> dict[str, Any]:
    blocks = text_blocks(confirmation.text, 2) if confirmation and confirmation.text else []
    blocks.append(input_block(field, "link", optional=False, max_length=2000))
    t = Translator(lang)
    return {
        "type": "modal",
        "callback_id": LINK_VIEW,
        "title": plain(t("form.link.title"), MODAL_TITLE),
        "submit": plain(t("form.link.submit"), MODAL_TITLE),
        "close": plain(t("form.skip"), MODAL_TITLE),
        "private_metadata": metadata(meta),
        "blocks": blocks,
    }


def result_modal(lang: str, message: Message) -> dict[str, Any]:
    """What a modal turns into after a submission: the core's answer and a close button."""
    t = Translator(lang)
    return {
        "type": "modal",
        "title": plain(t("form.done.title"), MODAL_TITLE),
        "close": plain(t("form.close"), MODAL_TITLE),
        "blocks": message_blocks(message, inputs=False, limit=VIEW_BLOCKS, lang=lang) or text_blocks("✓"),
    }
