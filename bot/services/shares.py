"""Claims and shares, and the points they earn. Every effect has an idempotency key."""
from __future__ import annotations

from bot.cards import link_offer_card, suggestion_card
from bot.errors import UserFacingError
from bot.i18n import Translator
from bot.models import Address, Card, ConversationKind, Message
from bot.registry import DIRECT, MEMBER, action, command
from bot.services.turn import Turn
from bot.urls import normalize_url
from storage.models import Content, Share, ShareStatus


async def _content(turn: Turn, target: str | int | None) -> Content:
    try:
        content_id = int(str(target).lstrip("#"))
    except (TypeError, ValueError):
        raise UserFacingError("error.unknown_content", id=str(target)[:40]) from None
    content = await turn.repo.contents.get(content_id)
    if content is None:
        raise UserFacingError("error.unknown_content", id=content_id)
    return content


def _require_joined(turn: Turn) -> None:
    """Points are for ambassadors: a member who left, or never joined, earns nothing."""
    if not turn.member.opted_in:
        raise UserFacingError("share.join_first")


async def _offered(turn: Turn, target: str | int | None) -> Content:
    """Content this member was offered (a digest on their platform, `list`): points only for that."""
    _require_joined(turn)
    content = await _content(turn, target)
    if not await turn.repo.offers.offered(turn.member, content.id):
        raise UserFacingError("share.not_offered", id=content.id)
    return content


@command("claim", "<target:id> ...", help=MEMBER, menu=(DIRECT,))
@action("claim")
async def claim(turn: Turn, target: str) -> Message:
    content = await _offered(turn, target)
    share = await turn.repo.shares.ensure(turn.member.id, content.id)
    if share.status == ShareStatus.SHARED:
        return Message(turn.t("share.already", title=content.title), private=True)
    if share.claimed_at is not None and share.status == ShareStatus.CLAIMED:
        return Message(turn.t("claim.already", title=content.title, button=turn.t("button.shared")), private=True)
    share.status = ShareStatus.CLAIMED
    share.claimed_at = turn.now
    return Message(turn.t("claim.done", title=content.title, button=turn.t("button.shared")), private=True)


@command("shared", "<target:id> [link] ...", help=MEMBER, menu=(DIRECT,))
@action("share")
async def share(turn: Turn, target: str, link: str | None = None) -> Message:
    content = await _offered(turn, target)
    link = normalize_url(link) if link else None
    record = await turn.repo.shares.ensure(turn.member.id, content.id)
    if record.status == ShareStatus.SHARED:
        if link and not record.post_url:
            return await _add_link(turn, content, record, link)
        balance = await turn.repo.ledger.balance(turn.member.id)
        return Message(turn.t.n("share.already_points", balance, title=content.title), private=True)
    record.status = ShareStatus.SHARED
    record.shared_at = turn.now
    rules = turn.settings.points
    await turn.repo.ledger.append(turn.member.id, rules.shared, "share", f"content:{content.id}",
                                  f"share:{record.id}:{record.revision}", turn.now)
    if link:
        await _award_link(turn, content, record, link)
    await refresh_suggestion_messages(turn, content)
    balance = await turn.repo.ledger.balance(turn.member.id)
    earned = rules.shared + (rules.link_bonus if link else 0)
    text = turn.t.n("share.done", balance, earned=earned, title=content.title)
    cards: tuple[Card, ...] = ()
    if not link and rules.link_bonus:
        cards = (link_offer_card(turn.t, content.id, rules.link_bonus),)
    return Message(text, cards=cards, private=True)


@action("link")
async def add_link(turn: Turn, target: str, link: str | None) -> Message:
    content = await _content(turn, target)
    if not link:
        return Message(turn.t("link.how", id=content.id), private=True)
    return await share(turn, str(content.id), link)


async def _award_link(turn: Turn, content: Content, record: Share, link: str) -> None:
    record.post_url = link
    await turn.repo.ledger.append(turn.member.id, turn.settings.points.link_bonus, "post_link",
                                  f"content:{content.id}", f"link:{record.id}:{record.revision}", turn.now)


async def _add_link(turn: Turn, content: Content, record: Share, link: str) -> Message:
    await _award_link(turn, content, record, link)
    balance = await turn.repo.ledger.balance(turn.member.id)
    return Message(turn.t.n("link.done", balance, bonus=turn.settings.points.link_bonus), private=True)


@action("unshare")
async def withdraw(turn: Turn, target: str) -> Message:
    """Take a share back (e.g. the reaction was removed): reversing ledger entries, never deletes."""
    content = await _content(turn, target)
    record = await turn.repo.shares.get(turn.member.id, content.id, lock=True)
    if record is None or record.status != ShareStatus.SHARED:
        return Message(turn.t("withdraw.nothing", title=content.title), private=True)
    rules = turn.settings.points
    await turn.repo.ledger.append(turn.member.id, -rules.shared, "share_reversed", f"content:{content.id}",
                                  f"unshare:{record.id}:{record.revision}", turn.now)
    if record.post_url:
        await turn.repo.ledger.append(turn.member.id, -rules.link_bonus, "post_link_reversed",
                                      f"content:{content.id}", f"unlink:{record.id}:{record.revision}",
                                      turn.now)
    record.status = ShareStatus.WITHDRAWN
    record.post_url = None
    record.revision += 1
    await refresh_suggestion_messages(turn, content)
    balance = await turn.repo.ledger.balance(turn.member.id)
    return Message(turn.t.n("withdraw.done", balance, title=content.title), private=True)


async def refresh_suggestion_messages(turn: Turn, content: Content) -> None:
    """Queue an update of every posted suggestion of this content with the new share count.

    The content's row lock orders concurrent shares of it: the later one counts after the
    earlier commits, so the last update queued carries the true count."""
    await turn.repo.contents.lock(content.id)
    count = await turn.repo.shares.count_shared(content.id)
    program_t = Translator(turn.settings.language)
    for suggestion in await turn.repo.suggestions.for_content(content.id):
        if not suggestion.message_ref:
            continue
        card = suggestion_card(program_t, content, count)
        address = Address(suggestion.platform, suggestion.channel_id, ConversationKind.CHANNEL)
        await turn.outbox.update(address, suggestion.message_ref, Message(text=content.title, cards=(card,)),
                                 subject=f"suggestion:{suggestion.id}")
