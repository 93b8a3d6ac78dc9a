"""Program settings and figures for the people who run it."""
from __future__ import annotations

from datetime import timedelta

from bot.clock import week_start
from bot.errors import UserFacingError
from bot.models import ConversationKind, Message
from bot.permissions import Right
from bot.registry import ADMIN, CHANNEL, command
from bot.services.turn import Turn


@command("stats", right=Right.SEE_STATS, help=ADMIN, menu=(CHANNEL,))
async def stats(turn: Turn) -> Message:
    turn.require(Right.SEE_STATS)
    repo = turn.repo
    total, joined = await repo.members.counts()
    kinds = await repo.contents.count_by_kind()
    monday = week_start(turn.now, turn.settings.timezone)
    since = turn.now - timedelta(days=(turn.now.astimezone(turn.settings.timezone).date() - monday).days)
    since = since.replace(hour=0, minute=0, second=0, microsecond=0)
    lines = [
        turn.t("stats.header"),
        turn.t.n("stats.members", total, joined=joined),
        turn.t("stats.content", value=kinds.get("value", 0), promotional=kinds.get("promotional", 0)),
        turn.t("stats.shares", week=await repo.shares.count_since(since), total=await repo.shares.count_since()),
        turn.t.n("stats.active", joined, active=await repo.shares.active_members(since)),
    ]
    top = await repo.shares.top_content(3)
    if top:
        lines.append(turn.t("stats.top_header"))
        lines += [turn.t.n("stats.top_line", n, title=c.title) for c, n in top]
    return Message("\n".join(lines), private=True)


@command("use_channel", right=Right.CONFIGURE, help=ADMIN, menu=(CHANNEL,))
async def use_this_channel(turn: Turn) -> Message:
    turn.require(Right.CONFIGURE)
    conv = turn.incoming.conversation
    if conv.kind != ConversationKind.CHANNEL:
        raise UserFacingError("channel.not_a_channel")
    await turn.repo.channels.set(conv.platform, conv.id, conv.name, turn.member.id, turn.now)
    await turn.audit("channel.set", f"{conv.platform}:{conv.id}", name=conv.name)
    return Message(turn.t("channel.set", channel=conv.name or conv.id))
