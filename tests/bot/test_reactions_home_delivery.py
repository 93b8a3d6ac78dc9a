"""Reactions, the member's home page, and sends that fail for good."""

from sqlalchemy import select

from bot.errors import DeliveryError, NotInChannel, RecipientUnreachable
from bot.models import Address, ConversationKind, Message
from bot.unit_of_work import unit_of_work
from storage.models import LedgerEntry, Member, OutboxMessage

ADMIN, OLA = "U_ADMIN", "U_OLA"


async def _posted_suggestion(chat, gateway, *members):
    await chat.say(ADMIN, "add https://example.com/post Post")
    await chat.say(ADMIN, "digest now")
    for member in members:
        await chat.say(member, "join")
    return gateway.posts()[-1].ref


async def test_reaction_on_a_suggestion_counts_as_shared_once(chat, gateway):
    ref = await _posted_suggestion(chat, gateway, OLA)
    first = await chat.click(OLA, "share_message", ref)
    assert "+10 points" in first.text
    await chat.click(OLA, "share_message", ref)
    assert "10 points" in await chat.text(OLA, "points")


async def test_reaction_on_another_message_does_nothing(chat, app):
    reply = await chat.click(OLA, "share_message", "not-a-suggestion")
    assert reply.text == "" and reply.cards == ()


async def test_removing_the_reaction_in_the_same_week_takes_points_back(chat, gateway, app):
    ref = await _posted_suggestion(chat, gateway, OLA)
    await chat.click(OLA, "share_message", ref)
    await chat.click(OLA, "unshare_message", ref)
    assert "0 points" in await chat.text(OLA, "points")
    async with app.db.transaction() as s:
        assert list(await s.scalars(select(LedgerEntry.points).order_by(LedgerEntry.id))) == [10, -10]


async def test_removing_the_reaction_after_the_week_keeps_the_points(chat, gateway, clock):
    ref = await _posted_suggestion(chat, gateway, OLA)
    await chat.click(OLA, "share_message", ref)
    clock.advance(days=7)
    await chat.click(OLA, "unshare_message", ref)
    assert "10 points" in await chat.text(OLA, "points")


async def test_home_shows_points_this_weeks_suggestions_and_a_join_toggle(chat, gateway):
    await _posted_suggestion(chat, gateway, OLA)
    await chat.say(OLA, "shared 1")
    page = await chat.click(OLA, "home")
    assert "10 points from 1 share" in page.text
    titles = [c.title for c in page.cards]
    assert titles[0] == "Post"
    assert page.cards[-1].buttons[0].verb == "leave"
    await chat.click(OLA, "leave")
    assert (await chat.click(OLA, "home")).cards[-1].buttons[0].verb == "join"


async def _queue(app, address):
    async with unit_of_work(app) as uow:
        await uow.outbox.post(address, Message("hi"), key="k1")


async def test_an_unreachable_member_is_marked_and_admins_are_told(chat, app, gateway):
    await chat.say(ADMIN, "help")
    await chat.say(OLA, "help")
    gateway.fail_next(RecipientUnreachable("403"))
    await _queue(app, Address("test", OLA, ConversationKind.DIRECT))
    await app.dispatcher.drain()
    async with app.db.transaction() as s:
        ola = await s.scalar(select(Member).where(Member.platform_user_id == OLA))
        assert ola.reachable is False
    notice = gateway.posts()[-1]
    assert notice.address.conversation_id == ADMIN and "Ola" in notice.message.text


async def test_a_channel_the_bot_is_not_in_tells_the_admin_to_invite_it(chat, app, gateway):
    await chat.say(ADMIN, "add https://example.com/post Post")
    gateway.fail_next(NotInChannel("not_in_channel", "C_GENERAL"))
    await chat.say(ADMIN, "digest now")
    notice = gateway.posts()[-1]
    assert notice.address.conversation_id == ADMIN
    assert "invite @advocacy-bot" in notice.message.text


async def test_a_rate_limited_send_waits_for_retry_after_then_goes_out_once(app, gateway, clock):
    gateway.fail_next(DeliveryError("429", retry_after=30))
    await _queue(app, Address("test", "C_GENERAL"))
    await app.dispatcher.drain()
    assert gateway.posts() == []
    clock.advance(seconds=29)
    await app.dispatcher.drain()
    assert gateway.posts() == []
    clock.advance(seconds=2)
    await app.dispatcher.drain()
    await app.dispatcher.drain()
    assert len(gateway.posts()) == 1
    async with app.db.transaction() as s:
        row = await s.scalar(select(OutboxMessage))
        assert row.status == "sent" and row.attempts == 2 and row.message_ref == gateway.posts()[0].ref


async def test_the_same_outbox_key_is_queued_once(app, gateway):
    await _queue(app, Address("test", "C_GENERAL"))
    await _queue(app, Address("test", "C_GENERAL"))
    await app.dispatcher.drain()
    assert len(gateway.posts()) == 1
