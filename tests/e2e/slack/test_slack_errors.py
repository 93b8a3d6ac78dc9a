"""When Slack pushes back: 429 with Retry-After and 5xx are retried and nothing is lost or doubled;
a channel the bot is not in, or a person it cannot reach, reaches the admins as a clear message."""
from tests.e2e.slack.conftest import ADMIN, CHANNEL, OLA


async def _digest(slack, title="Retry me"):
    assert "Added #" in await slack.say(ADMIN, f"add https://example.com/blog/{title.lower().replace(' ', '-')} {title}")
    return await slack.say(ADMIN, "digest now")


async def test_a_429_is_retried_after_retry_after_and_the_suggestion_is_posted_once(slack):
    slack.api.fail("chat.postMessage", status=429, retry_after=0, times=3,
                   when=lambda p: p.get("channel") == CHANNEL)
    await _digest(slack)
    await slack.api.wait_for("chat.postMessage", where=lambda c: c.ok and c.params.get("channel") == CHANNEL,
                             timeout=20)
    attempts = slack.api.of("chat.postMessage", channel=CHANNEL)
    assert [c.status for c in attempts] == [429, 429, 429, 200]
    await slack.api.quiet(0.5)
    assert len(slack.api.of("chat.postMessage", channel=CHANNEL, ok=True)) == 1


async def test_server_errors_are_retried_by_the_client_and_then_by_the_outbox(slack):
    slack.api.fail("chat.postMessage", status=503, times=2, when=lambda p: p.get("channel") == CHANNEL)
    slack.api.fail("chat.postMessage", status=502, times=1, when=lambda p: p.get("channel") == CHANNEL)
    await _digest(slack)
    await slack.api.wait_for("chat.postMessage", where=lambda c: c.ok and c.params.get("channel") == CHANNEL,
                             timeout=20)
    assert [c.status for c in slack.api.of("chat.postMessage", channel=CHANNEL)] == [503, 503, 502, 200]
    assert "Retry me" in slack.api.of("chat.postMessage", channel=CHANNEL, ok=True)[0].text_of()


async def test_a_failed_share_count_update_is_retried(slack):
    await slack.join(OLA)
    await _digest(slack)
    (channel, ts, _), = await slack.posted_suggestions(1)
    slack.api.fail("chat.update", status=429, retry_after=0, times=2)
    await slack.send_event(slack.event("event_reaction_added", user=OLA, item={"type": "message", "channel": channel,
                                                                               "ts": ts}))
    done, = await slack.api.wait_for("chat.update", where=lambda c: c.ok, timeout=20)
    assert "shared by 1 person" in done.text_of()


async def test_a_channel_the_bot_is_not_in_makes_the_admins_invite_it(start_slack):
    slack = await start_slack(ADVOCACY_CHANNEL="C_SECRET")
    await slack.say(ADMIN, "help")  # the admin is known (and reachable) before anything fails
    slack.api.fail("chat.postMessage", error="not_in_channel", times=5, when=lambda p: p.get("channel") == "C_SECRET")
    await _digest(slack)
    notice, = await slack.api.wait_for("chat.postMessage", where=lambda c: c.params.get("channel") == ADMIN)
    assert "invite @advocacy-bot to C_SECRET" in notice.text_of()
    await slack.api.quiet(0.5)
    assert len(slack.api.of("chat.postMessage", channel="C_SECRET")) == 1, "a permanent error is not retried"


async def test_a_member_who_cannot_be_messaged_is_reported_once(slack):
    await slack.say(ADMIN, "help")
    await slack.dm(OLA, "join")
    await slack.api.wait_for("chat.postMessage", where=lambda c: c.params.get("channel") == "D_OLA")
    slack.api.fail("chat.postMessage", error="cannot_dm_bot", times=5, when=lambda p: p.get("channel") == OLA)
    await _digest(slack)
    await slack.posted_suggestions(1)
    assert "Queued" in await slack.say(ADMIN, "nudge now")  # (or the schedule's own nudge got there first)
    def notice(call):
        return call.params.get("channel") == ADMIN and "can't send messages to Ola Nowak" in call.text_of()

    await slack.api.wait_for("chat.postMessage", where=notice)
    await slack.api.quiet(0.5)
    assert len([c for c in slack.api.of("chat.postMessage") if notice(c)]) == 1


async def test_users_info_failing_does_not_stop_the_answer(slack):
    slack.api.fail("users.info", status=500, times=10)
    assert "You have 0 points" in await slack.say(OLA, "points")
