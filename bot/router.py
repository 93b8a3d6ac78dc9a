"""Maps a parsed command or a pressed button to the service that declared it (bot/registry.py),
after checking the right the declaration requires: here in the core, so a forged button or a
command typed on any platform is refused alike."""
from __future__ import annotations

from bot import registry
from bot.commands import Command, parse, words_of
from bot.errors import UserFacingError
from bot.models import Message
from bot.permissions import Right, require
from bot.services.turn import Turn

registry.load()
COMMANDS, ACTIONS = registry.COMMANDS, registry.ACTIONS


def _authorise(turn: Turn, right: Right | None) -> None:
    if right is not None:
        require(turn.member.role, right)


async def route(turn: Turn) -> Message:
    incoming = turn.incoming
    if incoming.action is not None:
        button = registry.ACTIONS.get(incoming.action.verb)
        if button is None or button.handler is None:
            raise UserFacingError("error.unknown_action")
        _authorise(turn, button.right)
        values = {k: (v or "").strip() for k, v in incoming.action.values.items()}
        args = {name: incoming.action.target if name == button.target_as else values.get(name) or None
                for name in button.params}
        return await button.handler(turn, **args, **button.fixed)
    command: Command = parse(incoming.text, incoming.mentions, turn.t.lang)
    declared = registry.COMMANDS[command.name]
    if declared.handler is None:  # declared, but no service function is bound to it
        forms = words_of(command.name, turn.t.lang) or [(command.name,)]
        raise UserFacingError("error.unknown_command", word=" ".join(forms[0]))
    _authorise(turn, declared.right)
    return await declared.handler(turn, **command.args, **declared.fixed)
