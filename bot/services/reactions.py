"""A reaction on a suggestion message counts as "✅ I posted it" (a share); removing it takes it back."""
from __future__ import annotations

from bot.clock import week_start
from bot.models import Message
from bot.registry import action
from bot.services import shares
from bot.services.turn import Turn
from storage.models import Suggestion


async def _suggestion(turn: Turn, message_ref: str) -> Suggestion | None:
    return await turn.repo.suggestions.by_message(turn.platform, message_ref)


@action("share_message", target_as="message_ref")
async def shared_by_reaction(turn: Turn, message_ref: str) -> Message:
    suggestion = await _suggestion(turn, message_ref)
    if suggestion is None:
        return Message()
    return await shares.share(turn, str(suggestion.content_id))


@action("unshare_message", target_as="message_ref")
async def unshared_by_reaction(turn: Turn, message_ref: str) -> Message:
    """Only within the suggestion's week: last week's points are not taken back."""
    suggestion = await _suggestion(turn, message_ref)
    if suggestion is None or week_start(turn.now, turn.settings.timezone) != suggestion.week_start:
        return Message()
    return await shares.withdraw(turn, str(suggestion.content_id))
