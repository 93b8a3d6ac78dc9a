"""What a member can type, in their language; admin commands only for those who may use them."""
from __future__ import annotations

from bot.commands import usage
from bot.models import Message
from bot.permissions import Right, can
from bot.services.turn import Turn

MEMBER_COMMANDS = ("join", "leave", "list", "points", "leaderboard", "ask", "check", "claim", "shared", "snooze",
                   "nudges")
ADMIN_COMMANDS = ("add", "digest", "faq.add", "faq.edit", "faq.list", "faq.remove", "faq.import", "faq.export",
                  "answer", "faq.save", "denylist.list", "denylist.add", "codename.add", "stats", "use_channel",
                  "schedule.show", "schedule.set", "schedule.pause", "schedule.resume", "nudge.now")


async def help_text(turn: Turn) -> Message:
    t = turn.t
    lines = [t("help.intro")]
    lines += [f"• `{usage(name)}` — {t('help.' + name)}" for name in MEMBER_COMMANDS]
    if can(turn.member.role, Right.MANAGE_CONTENT):
        lines.append(t("help.admin_header"))
        lines += [f"• `{usage(name)}` — {t('help.' + name)}" for name in ADMIN_COMMANDS]
    lines.append(t("help.voluntary"))
    return Message("\n".join(lines), private=True)
