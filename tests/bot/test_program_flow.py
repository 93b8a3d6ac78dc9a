"""The program end to end through the core, on SQLite and PostgreSQL."""
import asyncio

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import create_async_engine

from bot.models import Action, Incoming
from storage.models import AuditEntry, LedgerEntry, Member, Share
from tests.conftest import POSTGRES_URL

ADMIN, OLA, PIOTR = "U_ADMIN", "U_OLA", "U_PIOTR"


async def add(chat, url="https://example.com/blog/post", extra=""):
    return await chat.text(ADMIN, f"add {url} {extra}".strip())


async def ready(chat, *members, url="https://example.com/blog/post"):
    """Content in the library, suggested in the program channel, and `members` in the program."""
    await add(chat, url)
    await chat.text(ADMIN, "digest now")
    for member in members:
        await chat.say(member, "join")


async def posted_content_ids(gateway) -> list[str]:
    return [s.message.cards[0].buttons[1].target for s in gateway.posts()]


async def test_joining_is_voluntary_and_reversible(chat):
    assert "Welcome" in await chat.text(OLA, "join")
    assert "already" in await chat.text(OLA, "join")
    assert "left the program" in await chat.text(OLA, "leave")


async def test_admin_adds_content_and_a_member_cannot(chat, app):
    assert "Added #" in await add(chat, extra="Five lessons #logistics")
    refused = await chat.text(OLA, "add https://example.com/other")
    assert "Only program admins" in refused
    async with app.db.transaction() as s:
        actions = list(await s.scalars(select(AuditEntry.action)))
    assert actions == ["content.add"]


async def test_a_url_already_in_the_library_is_refused_after_normalizing(chat):
    await add(chat, "https://example.com/blog/post")
    reply = await add(chat, "HTTPS://EXAMPLE.com/blog/post/?utm_source=newsletter")
    assert "already in the library" in reply


async def test_invalid_url_gets_a_clear_answer(chat):
    assert "not a link I can use" in await chat.text(ADMIN, "add ftp://example.com/file")
    assert "private or local" in await chat.text(ADMIN, "add http://192.168.1.10/wiki")


async def test_add_without_a_url_shows_usage(chat):
    assert "add <url>" in await chat.text(ADMIN, "add")


async def test_unknown_command_suggests_the_closest(chat):
    assert "Did you mean `leaderboard`" in await chat.text(OLA, "leaderbord")


async def test_text_over_3000_characters_is_refused(chat):
    assert "limit is 3000" in await chat.text(OLA, "ask " + "why " * 1000)


async def test_digest_posts_suggestion_cards_to_the_program_channel(chat, gateway):
    for n in range(4):
        await add(chat, f"https://example.com/post-{n}", f"Post {n}")
    reply = await chat.text(ADMIN, "digest now")
    assert "Posted 3 suggestions" in reply
    posts = gateway.posts()
    assert [p.address.conversation_id for p in posts] == ["C_GENERAL"] * 3
    card = posts[0].message.cards[0]
    assert card.title == "Post 3"
    assert [b.verb for b in card.buttons] == [None, "claim", "share"]
    assert card.buttons[0].url.startswith("https://www.linkedin.com/sharing/share-offsite/?url=https%3A")
    again = await chat.text(ADMIN, "digest now")
    assert "Posted 1 suggestion " in again
    assert "already suggested" in await chat.text(ADMIN, "digest now")


async def test_promotional_content_stays_at_most_one_in_five_over_four_weeks(chat, gateway, clock):
    for n in range(12):
        await add(chat, f"https://example.com/value-{n}", f"Value {n}")
        await add(chat, f"https://example.com/promo-{n}", f"Promo {n} promo")
    for _week in range(4):
        await chat.text(ADMIN, "digest now")
        clock.advance(days=7)
    kinds = ["promotional" in p.message.cards[0].footer for p in gateway.posts()]
    assert len(kinds) == 12
    assert 1 <= sum(kinds) <= 12 // 5
    assert kinds[:3] == [False, False, False]


async def test_members_cannot_post_the_digest(chat, gateway):
    await add(chat)
    assert "Only program admins" in await chat.text(OLA, "digest now")
    assert gateway.posts() == []


async def test_clicking_shared_awards_points_once(chat, app, gateway):
    await ready(chat, OLA)
    content_id = (await posted_content_ids(gateway))[0]
    first = await chat.click(OLA, "share", content_id)
    assert "+10 points" in first.text and "You now have 10 points" in first.text
    second = await chat.click(OLA, "share", content_id)
    assert "counted once" in second.text
    assert "You have 10 points" in await chat.text(OLA, "points")
    async with app.db.transaction() as s:
        assert await s.scalar(select(func.count()).select_from(LedgerEntry)) == 1


async def test_double_click_at_the_same_moment_awards_points_once(chat, app, gateway):
    await add(chat)
    await chat.text(ADMIN, "digest now")
    content_id = (await posted_content_ids(gateway))[0]
    await chat.say(OLA, "join")
    replies = await asyncio.gather(*(chat.click(OLA, "share", content_id) for _ in range(5)))
    assert all(r is not None for r in replies)
    async with app.db.transaction() as s:
        assert await s.scalar(select(func.sum(LedgerEntry.points))) == 10
        assert await s.scalar(select(func.count()).select_from(Share)) == 1


async def test_a_redelivered_event_is_handled_once(chat, app, gateway):
    await ready(chat, OLA)
    content_id = (await posted_content_ids(gateway))[0]
    assert await chat.click(OLA, "share", content_id, event_id="Ev1") is not None
    assert await chat.click(OLA, "share", content_id, event_id="Ev1") is None
    assert "10 points" in await chat.text(OLA, "points")


async def test_share_count_on_the_channel_message_is_updated(chat, gateway):
    await ready(chat, OLA, PIOTR)
    content_id = (await posted_content_ids(gateway))[0]
    await chat.click(OLA, "share", content_id)
    await chat.click(PIOTR, "share", content_id)
    updates = gateway.updates()
    assert [u.ref for u in updates] == [gateway.posts()[0].ref] * 2
    assert "shared by 2 people" in updates[-1].message.cards[0].footer


async def test_a_burst_of_shares_edits_the_channel_message_once_with_the_true_count(chat, app, gateway):
    await add(chat)
    await chat.text(ADMIN, "digest now")
    content_id = (await posted_content_ids(gateway))[0]
    people = [f"U_P{n}" for n in range(8)]
    for person in people:
        await chat.say(person, "join")
    await asyncio.gather(*(app.core.handle(Incoming(chat.actor(p), chat.where("C_GENERAL"),
                                                    action=Action("share", content_id))) for p in people))
    await app.dispatcher.drain()
    updates = gateway.updates()
    assert len(updates) == 1
    assert "shared by 8 people" in updates[0].message.cards[0].footer


async def test_link_to_the_post_adds_the_bonus_once(chat):
    await ready(chat, OLA)
    reply = await chat.say(OLA, "shared 1")
    assert reply.cards and reply.cards[0].buttons[0].verb == "link"
    assert "+5 points" in (await chat.click(OLA, "link", "1", {"link": "https://www.linkedin.com/posts/ola-1"})).text
    again = await chat.click(OLA, "link", "1", {"link": "https://www.linkedin.com/posts/ola-1"})
    assert "counted once" in again.text
    assert "15 points" in await chat.text(OLA, "points")


async def test_claim_then_share(chat):
    await ready(chat, OLA)
    assert "Saved for later" in await chat.text(OLA, "claim 1")
    assert "already saved for later" in await chat.text(OLA, "claim 1")
    assert "+10 points" in await chat.text(OLA, "shared 1")


async def test_withdrawing_a_share_reverses_points_with_a_ledger_entry(chat, app):
    await ready(chat, OLA)
    await chat.text(OLA, "shared 1 https://www.linkedin.com/posts/ola-1")
    reply = await chat.click(OLA, "unshare", "1")
    assert "You now have 0 points" in reply.text
    async with app.db.transaction() as s:
        points = list(await s.scalars(select(LedgerEntry.points).order_by(LedgerEntry.id)))
    assert points == [10, 5, -10, -5]
    assert "+15 points" in await chat.text(OLA, "shared 1 https://www.linkedin.com/posts/ola-1")


async def test_unknown_content_and_unknown_buttons_get_clear_answers(chat):
    await chat.say(OLA, "join")
    assert "no content #99" in (await chat.click(OLA, "share", "99")).text
    assert "no content #abc" in (await chat.click(OLA, "share", "abc")).text
    assert "no longer valid" in (await chat.click(OLA, "explode", "1")).text


async def test_leaderboard_shows_points_and_hidden_members_are_left_out(chat):
    await ready(chat, OLA, PIOTR)
    await chat.text(OLA, "shared 1")
    await chat.text(PIOTR, "shared 1 https://www.linkedin.com/posts/p")
    board = await chat.text(OLA, "leaderboard")
    assert board.index("Piotr: 15 points") < board.index("Ola: 10 points")
    await chat.text(PIOTR, "leaderboard hide")
    board = await chat.text(OLA, "leaderboard")
    assert "Piotr" not in board and "Ola: 10 points" in board


async def test_use_this_channel_moves_the_digest(chat, gateway):
    await add(chat)
    assert "Only program admins" in await chat.text(OLA, "use this channel", channel="C_NEWS")
    assert "direct message" in await chat.text(ADMIN, "use this channel", channel=None)
    assert "#c_news" in await chat.text(ADMIN, "use this channel", channel="C_NEWS")
    await chat.text(ADMIN, "digest now")
    assert gateway.posts()[0].address.conversation_id == "C_NEWS"


async def test_stats_for_admins(chat):
    await ready(chat, OLA)
    await chat.text(OLA, "shared 1")
    stats = await chat.text(ADMIN, "stats")
    assert "1 joined of" in stats and "1 this week" in stats
    assert "Only program admins" in await chat.text(OLA, "stats")


async def test_polish_member_gets_polish_replies(chat):
    chat.locales[OLA] = "pl-PL"
    await ready(chat)
    assert "Witaj w programie" in await chat.text(OLA, "dołącz")
    assert "Masz teraz 10 punktów" in await chat.text(OLA, "shared 1")
    assert "Tylko administratorzy" in await chat.text(OLA, "digest now")


async def test_editor_can_add_content_but_not_choose_the_channel(chat):
    assert "Added #" in await chat.text("U_EDITOR", "add https://example.com/e")
    assert "Only program admins" in await chat.text("U_EDITOR", "use this channel")


async def test_help_lists_admin_commands_only_for_admins(chat):
    assert "digest now" not in await chat.text(OLA, "help")
    assert "digest now" in await chat.text(ADMIN, "help")


async def test_after_the_database_drops_every_connection_the_next_message_is_answered(chat, app):
    if app.db.is_sqlite:
        pytest.skip("PostgreSQL: connections that the server closed")
    assert "0 points" in await chat.text(OLA, "points")  # the pool now holds a live connection
    name = app.db.engine.url.database
    server = create_async_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    async with server.connect() as admin:
        killed = await admin.scalar(text(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = :name"), {"name": name})
    await server.dispose()
    assert killed >= 1
    assert "0 points" in await chat.text(OLA, "points")


async def test_snooze_never_overrides_a_stop(chat, app):
    await chat.say(OLA, "join")
    await chat.say(OLA, "nudges off")
    assert "stay off" in await chat.text(OLA, "snooze off")
    assert "stay off" in await chat.text(OLA, "snooze 2w")
    async with app.db.transaction() as s:
        stopped = await s.scalar(select(Member.nudges_stopped).where(Member.platform_user_id == OLA))
    assert stopped is True
    assert "on again" in await chat.text(OLA, "nudges on")


async def test_a_member_who_left_is_off_the_leaderboard_and_earns_nothing(chat, app):
    await ready(chat, OLA, PIOTR)
    await chat.say(OLA, "shared 1")
    await chat.say(PIOTR, "shared 1")
    await chat.say(OLA, "leave")
    board = await chat.text(PIOTR, "leaderboard")
    assert "Piotr: 10 points" in board and "Ola" not in board
    await add(chat, "https://example.com/second")
    await chat.say(ADMIN, "digest now")
    assert "`join`" in await chat.text(OLA, "shared 2")
    assert "`join`" in await chat.text(OLA, "claim 2")
    await chat.say(OLA, "join")
    assert "Ola: 10 points" in await chat.text(PIOTR, "leaderboard")
    assert "+10 points" in await chat.text(OLA, "shared 2")


async def test_someone_who_never_joined_earns_nothing_and_is_told_how_to_join(chat, app):
    await ready(chat)
    reply = await chat.text(OLA, "shared 1")
    assert "Type `join`" in reply
    async with app.db.transaction() as s:
        assert await s.scalar(select(func.count()).select_from(LedgerEntry)) == 0


async def test_sharing_content_never_offered_earns_nothing(chat, app):
    await chat.say(OLA, "join")
    for n in range(3):
        await add(chat, f"https://example.com/post-{n}")
    assert "was not suggested to you" in await chat.text(OLA, "shared 1")
    assert "was not suggested to you" in await chat.text(OLA, "claim 2")
    async with app.db.transaction() as s:
        assert await s.scalar(select(func.count()).select_from(LedgerEntry)) == 0


async def test_content_shown_by_list_or_the_digest_can_be_shared(chat):
    await chat.say(OLA, "join")
    await chat.say(PIOTR, "join")
    await add(chat, "https://example.com/listed")
    await chat.say(OLA, "list")
    assert "+10 points" in await chat.text(OLA, "shared 1")
    assert "was not suggested to you" in await chat.text(PIOTR, "shared 1")
    await chat.say(ADMIN, "digest now")
    assert "+10 points" in await chat.text(PIOTR, "shared 1")


async def test_stats_count_only_ambassadors_and_say_share_in_the_singular(chat):
    await ready(chat, OLA)
    await chat.say(OLA, "shared 1")
    await chat.say(PIOTR, "join")
    await chat.say(PIOTR, "leave")
    stats = await chat.text(ADMIN, "stats")
    assert "1 joined of 3 people" in stats and "Active this week: 1 of 1 ambassador\n" in stats + "\n"
    assert await chat.text(OLA, "points") == "You have 10 points from 1 share."
    await chat.say(OLA, "leave")
    assert "Active this week: 0 of 0 ambassadors" in await chat.text(ADMIN, "stats")


async def test_thumbs_down_promises_nothing_nobody_will_see(chat):
    reply = await chat.click(OLA, "unhelpful", "1")
    assert "will see" not in reply.text and "communications team" in reply.text
