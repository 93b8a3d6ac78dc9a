"""Posting suggestions to the program channel."""
from __future__ import annotations

from bot.cards import suggestion_card
from bot.clock import week_start
from bot.errors import UserFacingError
from bot.i18n import Translator
from bot.models import Address, ConversationKind, Message
from bot.permissions import Right
from bot.services.turn import Turn
from storage.models import Content, OutboxMessage
from storage.repositories import Repositories

MAX_PROMOTIONAL_PER_DIGEST = 1


async def program_channel(turn: Turn) -> Address | None:
    chosen = await turn.repo.channels.get(turn.platform)
    if chosen is not None:
        return Address(turn.platform, chosen.conversation_id, ConversationKind.CHANNEL, chosen.name)
    fallback = turn.settings.channel_for(turn.platform)
    if fallback:
        return Address(turn.platform, fallback, ConversationKind.CHANNEL, fallback)
    return None


def pick(candidates: list[Content], size: int) -> list[Content]:
    """Newest first, at most one promotional item: most content should give value, not advertise."""
    picked: list[Content] = []
    promotional = 0
    for content in candidates:
        if content.kind == "promotional":
            if promotional >= MAX_PROMOTIONAL_PER_DIGEST:
                continue
            promotional += 1
        picked.append(content)
        if len(picked) == size:
            break
    return picked


async def digest_now(turn: Turn) -> Message:
    turn.require(Right.POST_DIGEST)
    channel = await program_channel(turn)
    if channel is None:
        raise UserFacingError("digest.no_channel")
    candidates = await turn.repo.contents.not_offered_in(channel.platform, channel.conversation_id, turn.now)
    chosen = pick(candidates, turn.settings.digest_size)
    if not chosen:
        raise UserFacingError("digest.nothing_new")
    week = week_start(turn.now, turn.settings.timezone)
    program_t = Translator(turn.settings.language)
    posted = 0
    for content in chosen:
        suggestion = await turn.repo.suggestions.add(content.id, channel.platform, channel.conversation_id,
                                                     week, turn.now)
        if suggestion is None:
            continue
        count = await turn.repo.shares.count_shared(content.id)
        card = suggestion_card(program_t, content, count)
        await turn.outbox.post(channel, Message(text=content.title, cards=(card,)),
                               key=f"suggestion:{suggestion.id}", subject=f"suggestion:{suggestion.id}")
        posted += 1
    await turn.audit("digest.post", f"{channel.platform}:{channel.conversation_id}", count=posted)
    return Message(turn.t.n("digest.posted", posted, channel=channel.label()), private=True)


async def remember_message_ref(repos: Repositories, row: OutboxMessage) -> None:
    """After a suggestion is delivered, keep the platform's id so it can be updated and reacted to."""
    if row.subject and row.subject.startswith("suggestion:") and row.op == "post" and row.message_ref:
        await repos.suggestions.set_message_ref(int(row.subject.split(":", 1)[1]), row.message_ref)
