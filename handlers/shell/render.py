"""Cards drawn as text, with numbered buttons that `:click N` presses."""
from __future__ import annotations

import textwrap

from bot import markup
from bot.models import Button, Card, Message

WIDTH = 72


class ButtonBoard:
    """Every button drawn so far, by the number shown next to it."""

    def __init__(self) -> None:
        self.buttons: list[tuple[Button, Card]] = []

    def add(self, button: Button, card: Card) -> int:
        self.buttons.append((button, card))
        return len(self.buttons)

    def get(self, number: int) -> tuple[Button, Card] | None:
        if 1 <= number <= len(self.buttons):
            return self.buttons[number - 1]
        return None


def render_card(card: Card, board: ButtonBoard) -> list[str]:
    lines = ["┌─ " + card.title]

    def wrap(text: str) -> list[str]:
        return textwrap.wrap(text, WIDTH - 4) or [""]

    if card.body:
        lines += ["│ " + line for line in wrap(card.body)]
    if card.url:
        lines.append("│ 🔗 " + card.url)
    for label, value in card.fields:
        lines.append(f"│ {label}: {value}")
    if card.quote:
        lines += ["│ > " + line for line in wrap(card.quote)]
    if card.footer:
        lines.append("│ " + card.footer)
    buttons, numbers = [], []
    for button in card.buttons:
        n = board.add(button, card)
        buttons.append(f"[{n}] {button.label}" + (" ↗" if button.is_link else ""))
        numbers += [] if button.is_link else [n]
    for field in card.inputs[:1]:  # `:click N <value>` fills the card's (first) field
        lines.append(f"│ ✎ {field.label}: `:click {numbers[0] if numbers else 'N'} <{field.kind}>`")
    if buttons:
        lines.append("│ " + "  ".join(buttons))
    lines.append("└" + "─" * 40)
    return lines


# The core's markup as a terminal shows it: bold and italic without their marks, `code` as typed
# (it is what to type).
TERMINAL = markup.Syntax(bold=markup.as_is, italic=markup.as_is)


def plain(text: str) -> str:
    return TERMINAL.render(text)


def render_message(message: Message, board: ButtonBoard) -> str:
    lines = plain(message.text).splitlines() if message.text else []
    for card in message.cards:
        lines += render_card(card, board)
    return "\n".join(lines)
