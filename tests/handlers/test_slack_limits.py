"""Slack's limits through the real outbox, the real paced client and a fake Slack over HTTP:
Retry-After holds the whole queue for its scope, channels are paced, a timed-out post is looked up."""
from __future__ import annotations

import itertools

import pytest
from sqlalchemy import select

from bot.models import Address, ConversationKind, Message
from bot.outbox import CHECK_AFTER, Dispatcher
from bot.unit_of_work import unit_of_work
from bot.pacing import Pacer
from handlers.slack.client import PacedWebClient, retry_handlers
from handlers.slack.gateway import SlackGateway
from storage.models import OutboxMessage
from tests.fakes.slack_api import FakeSlack

TOKEN = "xoxb-limits"
IN_FLIGHT = 0.05  # seconds: a call arriving this soon after a 429 was sent before the 429 came back


@pytest.fixture
async def fake():
    async with FakeSlack(bot_token=TOKEN) as slack:
        yield slack


def slack_dispatcher(app, fake, clock, *, timeout: float = 30) -> Dispatcher:
    client = PacedWebClient(token=TOKEN, base_url=fake.api_url, timeout=timeout, retry_handlers=retry_handlers(),
                            pacer=Pacer(), messages_per_second=20)
    return Dispatcher(app.db, {"slack": SlackGateway(client, responder=None)}, clock)


async def queue(app, clock, *targets: str) -> None:
    async with unit_of_work(app) as uow:
        for i, target in enumerate(targets):
            kind = ConversationKind.DIRECT if target.startswith("U") else ConversationKind.CHANNEL
            await uow.outbox.post(Address("slack", target, kind), Message(f"post {i}"), key=f"k{i}")


def third_post_to(channel: str):
    seen = itertools.count(1)
    return lambda p: p.get("channel") == channel and next(seen) == 3


async def test_no_post_to_a_channel_inside_its_retry_after_window_while_other_channels_proceed(app, fake, clock):
    dispatcher = slack_dispatcher(app, fake, clock)
    await queue(app, clock, *["C_ONE"] * 4, *["C_TWO"] * 5)
    fake.fail("chat.postMessage", status=429, retry_after=2, when=third_post_to("C_ONE"))
    await dispatcher.drain()
    clock.advance(seconds=3)
    await dispatcher.drain()
    posts = fake.of("chat.postMessage")
    limited = next(c for c in posts if c.status == 429)
    after = [c for c in posts if c.params["channel"] == "C_ONE" and c.at > limited.at]
    assert len(after) == 2 and all(c.at >= limited.at + 1.95 for c in after)
    assert any(limited.at < c.at < limited.at + 2 for c in posts if c.params["channel"] == "C_TWO")
    assert len(fake.of("chat.postMessage", ok=True)) == 9


async def test_posts_to_one_channel_go_about_one_a_second_after_a_burst_of_two(app, fake, clock):
    dispatcher = slack_dispatcher(app, fake, clock)
    await queue(app, clock, "C_ONE", "C_ONE", "C_ONE", "C_ONE")
    await dispatcher.drain()
    at = [c.at for c in fake.of("chat.postMessage", ok=True)]
    assert len(at) == 4
    assert at[1] - at[0] < 0.2
    assert at[2] - at[0] >= 0.95 and at[3] - at[0] >= 1.95


async def test_a_workspace_wide_429_holds_every_post_until_retry_after(app, fake, clock):
    dispatcher = slack_dispatcher(app, fake, clock)
    await queue(app, clock, *[f"U{i}" for i in range(12)])
    fake.fail("chat.postMessage", status=429, retry_after=1)
    await dispatcher.drain()
    posts = fake.of("chat.postMessage")
    limited = posts[0]
    assert limited.status == 429
    in_flight = [c for c in posts[1:] if c.at < limited.at + IN_FLIGHT]  # the burst, sent with it
    assert len(in_flight) <= 4
    assert all(c.at >= limited.at + 0.95 for c in posts[1 + len(in_flight):])
    clock.advance(seconds=1)
    await dispatcher.drain()
    assert len(fake.of("chat.postMessage", ok=True)) == 12


async def status_of(app, key: str) -> OutboxMessage:
    async with app.db.transaction() as s:
        return (await s.scalars(select(OutboxMessage).where(OutboxMessage.key == key))).one()


async def test_a_post_that_times_out_after_slack_took_it_is_not_posted_twice(app, fake, clock):
    dispatcher = slack_dispatcher(app, fake, clock, timeout=0.5)
    fake.delay("chat.postMessage", 1.5)
    await queue(app, clock, "C_ONE")
    await dispatcher.drain()
    assert (await status_of(app, "k0")).status == "unsure"
    clock.advance(seconds=CHECK_AFTER / 2)
    assert await dispatcher.drain() == 0  # not looked up, let alone sent, before CHECK_AFTER
    clock.advance(seconds=CHECK_AFTER / 2)
    await dispatcher.drain()
    row = await status_of(app, "k0")
    assert row.status == "sent" and row.message_ref
    assert len(fake.of("chat.postMessage")) == 1
    assert fake.of("conversations.history")


async def test_a_timed_out_post_that_slack_never_took_is_sent_again_once(app, fake, clock):
    dispatcher = slack_dispatcher(app, fake, clock, timeout=0.5)
    fake.delay("chat.postMessage", 1.5)
    await queue(app, clock, "C_ONE")
    await dispatcher.drain()
    fake.messages.clear()  # as if Slack had dropped it
    clock.advance(seconds=CHECK_AFTER)
    await dispatcher.drain()
    assert (await status_of(app, "k0")).status == "sent"
    assert len(fake.of("chat.postMessage")) == 2
    clock.advance(seconds=CHECK_AFTER)
    assert await dispatcher.drain() == 0
