"""The shell adapter: you type as a member, the bot answers; sends to channels print inline."""
from __future__ import annotations

import itertools
import re
from collections.abc import Callable

from bot.models import Action, Actor, Address, Conversation, ConversationKind, Incoming, Mention, Message
from bot.app import App
from bot.ports import Capability
from handlers.shell.render import ButtonBoard, render_message

PLATFORM = "shell"
CHANNEL = Conversation(PLATFORM, "#general", ConversationKind.CHANNEL, "#general")
_MENTION = re.compile(r"(?<!\S)@([\w.-]+)")

HELP = """Shell commands:
  :as NAME        talk as NAME (admins: {admins})
  :click N [URL]  press button N (URL fills the card's link field)
  :dm / :channel  talk to the bot in a direct message / in #general
  :lang pl|en     switch your language
  :quit           leave
Anything else is sent to the bot, e.g. `help`, `join`, `digest now`, `points`."""


def mentions_in(line: str) -> tuple[Mention, ...]:
    """`@ola` mentions the member called ola (shell names are their ids, as `:as` sets them)."""
    return tuple(Mention(m.group(1).lower(), m.group(1), m.group(0)) for m in _MENTION.finditer(line))


class ShellGateway:
    """Delivers outbox messages by printing them."""

    platform = PLATFORM
    capabilities = Capability.UPDATE

    def __init__(self, board: ButtonBoard, write: Callable[[str], None]):
        self.board = board
        self.write = write
        self._ids = itertools.count(1)

    async def post(self, address: Address, message: Message, key: str | None = None) -> str:
        where = address.label() if address.kind == ConversationKind.CHANNEL else f"DM to {address.label()}"
        self.write(f"[{where}] bot:\n{render_message(message, self.board)}")
        return f"msg-{next(self._ids)}"

    async def update(self, address: Address, message_ref: str, message: Message) -> None:
        self.write(f"[{address.label()}] bot updated {message_ref}:\n{render_message(message, self.board)}")


class ShellSession:
    def __init__(self, app: App, write: Callable[[str], None], user: str = "ola"):
        self.app = app
        self.write = write
        self.board = ButtonBoard()
        self.gateway = ShellGateway(self.board, write)
        app.add_gateway(self.gateway)
        self.user = user
        self.locale: dict[str, str] = {}
        self.conversation = CHANNEL

    @property
    def admins(self) -> list[str]:
        return sorted(a.split(":", 1)[-1] for a in self.app.settings.admins
                      if ":" not in a or a.startswith(PLATFORM + ":"))

    def prompt(self) -> str:
        where = self.conversation.name if self.conversation.kind == ConversationKind.CHANNEL else "DM"
        return f"{self.user} in {where}> "

    def intro(self) -> str:
        return HELP.format(admins=", ".join(self.admins) or "none configured")

    def _actor(self) -> Actor:
        return Actor(PLATFORM, self.user, self.user.capitalize(), self.locale.get(self.user), None)

    async def feed(self, line: str) -> bool:
        """Handle one typed line. False when the user asked to quit."""
        line = line.strip()
        if not line:
            return True
        if line.startswith(":"):
            return await self._shell_command(line)
        await self._send(Incoming(self._actor(), self.conversation, text=line, mentions=mentions_in(line)))
        return True

    async def _shell_command(self, line: str) -> bool:
        word, _, rest = line.partition(" ")
        rest = rest.strip()
        if word in (":quit", ":q", ":exit"):
            return False
        if word == ":as" and rest:
            self.user = rest.split()[0].lower()
            self.write(f"(you are now {self.user})")
        elif word == ":dm":
            self.conversation = Conversation(PLATFORM, self.user, ConversationKind.DIRECT, "DM")
            self.write("(direct message with the bot)")
        elif word == ":channel":
            self.conversation = CHANNEL
            self.write("(in #general)")
        elif word == ":lang" and rest in ("pl", "en"):
            self.locale[self.user] = rest
            self.write(f"(language: {rest})")
        elif word == ":click":
            await self._click(rest)
        else:
            self.write(self.intro())
        return True

    async def _click(self, rest: str) -> None:
        number, _, value = rest.partition(" ")
        found = self.board.get(int(number)) if number.isdigit() else None
        if found is None:
            self.write(f"(no button {number or '?'}; buttons are numbered in [brackets])")
            return
        button, card = found
        if button.is_link:
            self.write(f"(opens {button.url})")
            return
        values = {card.inputs[0].id: value.strip()} if value.strip() and card.inputs else {}
        action = Action(button.verb or "", button.target, values)
        await self._send(Incoming(self._actor(), self.conversation, action=action))

    async def _send(self, incoming: Incoming) -> None:
        reply = await self.app.core.handle(incoming)
        if reply is not None:
            who = "(only you) " if reply.private else ""
            self.write(f"{who}bot: {render_message(reply, self.board)}")
        await self.app.dispatcher.drain()
