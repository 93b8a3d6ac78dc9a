"""Posting suggestions to the program channel, by an admin or on schedule."""
from __future__ import annotations

from datetime import date, timedelta

from bot.cards import suggestion_card
from bot.clock import week_start
from bot.errors import UserFacingError
from bot.i18n import Translator
from bot.models import Address, ConversationKind, Message
from bot.permissions import Right
from bot.registry import ADMIN, CHANNEL, command
from bot.services.turn import Context, Turn
from storage.models import Content, OutboxMessage
from bot.unit_of_work import UnitOfWork

PROMOTIONAL_SHARE = 5  # at most 1 in 5 suggestions may be promotional…
WINDOW_WEEKS = 4       # …over a rolling four weeks


async def program_channel(ctx: Context, platform: str) -> Address | None:
    chosen = await ctx.repo.channels.get(platform)
    if chosen is not None:
        return Address(platform, chosen.conversation_id, ConversationKind.CHANNEL, chosen.name)
    fallback = ctx.settings.channel_for(platform)
    if fallback:
        return Address(platform, fallback, ConversationKind.CHANNEL, fallback)
    return None


def pick(candidates: list[Content], size: int, window_total: int, window_promotional: int) -> list[Content]:
    """Newest first, keeping promotional content to at most 1 in 5 over the rolling window,
    counting this digest: most content should give value, not advertise."""
    picked: list[Content] = []
    promotional = 0
    for content in candidates:
        if content.kind == "promotional":
            allowed = (window_promotional + promotional + 1) * PROMOTIONAL_SHARE <= window_total + size
            if not allowed:
                continue
            promotional += 1
        picked.append(content)
        if len(picked) == size:
            break
    return picked


async def candidates_for(ctx: Context, channel: Address, week: date) -> list[Content]:
    candidates = await ctx.repo.contents.not_offered_in(channel.platform, channel.conversation_id, ctx.now)
    total, promotional = await ctx.repo.suggestions.mix_since(
        channel.platform, channel.conversation_id, week - timedelta(weeks=WINDOW_WEEKS - 1))
    return pick(candidates, ctx.settings.digest_size, total, promotional)


async def post_digest(ctx: Context, channel: Address, week: date) -> int:
    """Queue the week's suggestion cards for a channel. Returns how many were queued."""
    program_t = Translator(ctx.settings.language)
    posted = 0
    for content in await candidates_for(ctx, channel, week):
        suggestion = await ctx.repo.suggestions.add(content.id, channel.platform, channel.conversation_id,
                                                    week, ctx.now)
        if suggestion is None:
            continue
        count = await ctx.repo.shares.count_shared(content.id)
        card = suggestion_card(program_t, content, count)
        await ctx.outbox.post(channel, Message(text=content.title, cards=(card,)),
                              key=f"suggestion:{suggestion.id}", subject=f"suggestion:{suggestion.id}")
        posted += 1
    return posted


@command("digest", right=Right.POST_DIGEST, help=ADMIN, menu=(CHANNEL,))
async def digest_now(turn: Turn) -> Message:
    channel = await program_channel(turn, turn.platform)
    if channel is None:
        raise UserFacingError("digest.no_channel")
    posted = await post_digest(turn, channel, week_start(turn.now, turn.settings.timezone))
    if not posted:
        raise UserFacingError("digest.nothing_new")
    await turn.audit("digest.post", f"{channel.platform}:{channel.conversation_id}", count=posted)
    return Message(turn.t.n("digest.posted", posted, channel=channel.label()), private=True)


async def remember_message_ref(uow: UnitOfWork, row: OutboxMessage) -> None:
    """After a suggestion is delivered, keep the platform's id so it can be updated and reacted to."""
    if row.subject and row.subject.startswith("suggestion:") and row.op == "post" and row.message_ref:
        await uow.repo.suggestions.set_message_ref(int(row.subject.split(":", 1)[1]), row.message_ref)
