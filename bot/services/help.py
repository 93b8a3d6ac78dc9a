"""What a member can type, in their language; admin commands only for those who may use them.
The lines come from the registry: every command declared with `help=MEMBER` or `help=ADMIN`."""
from __future__ import annotations

from bot import registry
from bot.commands import entry, usage
from bot.models import Message
from bot.permissions import Right, can
from bot.registry import ADMIN, CHANNEL, DIRECT, MEMBER, command
from bot.services.turn import Turn


def listed(section: str) -> list[str]:
    """The commands help lists in a section, in order."""
    return [decl.name for decl in registry.ordered() if decl.help == section]


def help_line(name: str, lang: str) -> str:
    text = entry(name, lang).get("help") or entry(name, "en").get("help") or name
    return f"• `{usage(name, lang)}` — {text}"


@command("help", menu=(DIRECT, CHANNEL), hint=True)
async def help_text(turn: Turn) -> Message:
    t = turn.t
    lines = [t("help.intro")]
    lines += [help_line(name, t.lang) for name in listed(MEMBER)]
    if can(turn.member.role, Right.MANAGE_CONTENT):
        lines.append(t("help.admin_header"))
        lines += [help_line(name, t.lang) for name in listed(ADMIN)]
    lines.append(t("help.voluntary"))
    return Message("\n".join(lines), private=True)
