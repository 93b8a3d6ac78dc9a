"""Schedules driven by the clock: digests, nudges, summaries happen once, on time, politely."""
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from scheduler import jobs
from storage.models import InboundEvent, OutboxMessage

WARSAW = ZoneInfo("Europe/Warsaw")
NEW_YORK = ZoneInfo("America/New_York")
ADMIN, OLA, JOHN = "U_ADMIN", "U_OLA", "U_JOHN"


def at(clock, *args, tz=WARSAW):
    clock.set(datetime(*args, tzinfo=tz))


async def library(chat, n=6, prefix="post"):
    for i in range(n):
        await chat.say(ADMIN, f"add https://example.com/{prefix}-{i} {prefix.title()} {i}")


async def test_weekly_digest_runs_once_when_due(chat, app, clock, gateway):
    await library(chat)
    at(clock, 2026, 11, 23, 8, 59)  # Monday
    assert await jobs.weekly_digest(app) == 0
    at(clock, 2026, 11, 23, 9, 0)
    assert await jobs.weekly_digest(app) == 3
    assert await jobs.weekly_digest(app) == 0
    await app.dispatcher.drain()
    assert len(gateway.posts("C_GENERAL")) == 3
    at(clock, 2026, 11, 30, 9, 5)
    assert await jobs.weekly_digest(app) == 3


async def test_after_downtime_the_missed_digest_runs_once_and_past_weeks_never(chat, app, clock, gateway):
    await library(chat, 9)
    at(clock, 2026, 11, 23, 9, 0)
    await jobs.weekly_digest(app)
    at(clock, 2026, 12, 9, 14, 0)  # down for two Mondays: back on a Wednesday
    await jobs.catch_up(app)
    await jobs.catch_up(app)
    await app.dispatcher.drain()
    assert len(gateway.posts("C_GENERAL")) == 6


async def test_a_paused_digest_does_not_run_and_resumes(chat, app, clock):
    await library(chat)
    await chat.say(ADMIN, "schedule pause digest")
    at(clock, 2026, 11, 23, 9, 0)
    assert await jobs.weekly_digest(app) == 0
    await chat.say(ADMIN, "schedule resume digest")
    assert await jobs.weekly_digest(app) == 3


async def test_schedule_set_moves_the_digest(chat, app, clock):
    await library(chat)
    reply = await chat.text(ADMIN, 'schedule set digest "tue 08:30"')
    assert "digest: on Tuesday at 08:30" in reply and "next on Tuesday 24 November at 08:30 (in 22 hours)" in reply
    at(clock, 2026, 11, 23, 9, 0)
    assert await jobs.weekly_digest(app) == 0
    at(clock, 2026, 11, 24, 8, 30)
    assert await jobs.weekly_digest(app) == 3


async def test_schedule_commands_are_for_admins_and_validate(chat):
    assert "Only program admins" in await chat.text(OLA, "schedule pause")
    assert "not a day and time I understand" in await chat.text(ADMIN, 'schedule set digest "someday"')
    assert "no schedule `lunch`" in await chat.text(ADMIN, "schedule set lunch 12:00")
    assert "Weekly digest: on Monday at 09:00 (active)" in await chat.text(ADMIN, "schedule show")


async def _suggestions_this_week(chat, app, clock):
    await library(chat)
    at(clock, 2026, 11, 23, 9, 0)
    await jobs.weekly_digest(app)
    await app.dispatcher.drain()


async def shown(chat, *users):
    """`users` join and see the library with `list`: what they may share."""
    for user in users:
        await chat.say(user, "join", channel=None)
        await chat.say(user, "list", channel=None)


async def _join(chat, user, zone):
    chat.zones[user] = zone
    await chat.say(user, "join", channel=None)


async def test_nudges_arrive_at_ten_in_each_members_own_time_zone(chat, app, clock, gateway):
    await _join(chat, OLA, "Europe/Warsaw")
    await _join(chat, JOHN, "America/New_York")
    await _suggestions_this_week(chat, app, clock)
    at(clock, 2026, 11, 23, 9, 45)
    assert await jobs.nudge_check(app) == 0
    at(clock, 2026, 11, 23, 10, 0)
    assert await jobs.nudge_check(app) == 1
    at(clock, 2026, 11, 23, 9, 59, tz=NEW_YORK)
    assert await jobs.nudge_check(app) == 0
    at(clock, 2026, 11, 23, 10, 0, tz=NEW_YORK)
    assert await jobs.nudge_check(app) == 1
    await app.dispatcher.drain()
    assert len(gateway.posts(OLA)) == 1 and len(gateway.posts(JOHN)) == 1
    nudge = gateway.posts(OLA)[0].message
    assert nudge.cards[-1].buttons[0].verb == "stop_nudges"
    assert len(nudge.cards) == 4


async def test_no_nudges_on_weekends_or_after_working_hours(chat, app, clock):
    await _join(chat, OLA, "Europe/Warsaw")
    await _suggestions_this_week(chat, app, clock)
    at(clock, 2026, 11, 23, 18, 0)
    assert await jobs.nudge_check(app) == 0
    at(clock, 2026, 11, 28, 11, 0)  # Saturday
    assert await jobs.nudge_check(app) == 0


async def test_at_most_one_nudge_a_week(chat, app, clock):
    await _join(chat, OLA, "Europe/Warsaw")
    await _suggestions_this_week(chat, app, clock)
    at(clock, 2026, 11, 23, 10, 0)
    assert await jobs.nudge_check(app) == 1
    assert "Saved for later" in await chat.text(OLA, "claim 6", channel=None)
    at(clock, 2026, 11, 27, 10, 0)
    assert await jobs.nudge_check(app) == 0


async def test_only_joined_members_who_have_not_shared_lately_are_nudged(chat, app, clock):
    await _join(chat, OLA, "Europe/Warsaw")
    await chat.say(JOHN, "help")
    await library(chat, 1, "old")
    await shown(chat, OLA)
    await chat.say(OLA, "shared 1", channel=None)
    at(clock, 2026, 11, 30, 9, 0)
    await library(chat, 3, "new")
    await jobs.weekly_digest(app)
    at(clock, 2026, 11, 30, 10, 0)
    assert await jobs.nudge_check(app) == 0  # shared a week ago: no need
    at(clock, 2026, 12, 7, 9, 0)
    await library(chat, 3, "newer")
    await jobs.weekly_digest(app)
    at(clock, 2026, 12, 7, 10, 0)
    assert await jobs.nudge_check(app) == 1  # two weeks quiet: one gentle nudge


async def test_a_claim_not_shared_after_three_days_gets_one_reminder(chat, app, clock, gateway):
    await _join(chat, OLA, "Europe/Warsaw")
    await _suggestions_this_week(chat, app, clock)
    await chat.say(OLA, "shared 5", channel=None)  # the digest suggested 6, 5 and 4
    await chat.say(OLA, "claim 6", channel=None)
    at(clock, 2026, 11, 25, 10, 0)
    assert await jobs.nudge_check(app) == 0
    at(clock, 2026, 11, 26, 10, 30)
    assert await jobs.nudge_check(app) == 1
    await app.dispatcher.drain()
    assert "you saved “Post 5” for later 3 days ago." in gateway.posts(OLA)[-1].message.text
    at(clock, 2026, 12, 1, 10, 30)
    assert await jobs.nudge_check(app) == 0


async def test_a_claim_reminder_says_how_long_ago_in_the_members_language(chat, app, clock, gateway):
    chat.locales[OLA] = "pl-PL"
    await _join(chat, OLA, "Europe/Warsaw")
    await _suggestions_this_week(chat, app, clock)
    await chat.say(OLA, "udostępnione 5", channel=None)
    await chat.say(OLA, "biorę 6", channel=None)
    at(clock, 2026, 11, 26, 10, 30)
    assert await jobs.nudge_check(app) == 1
    await app.dispatcher.drain()
    assert "„Post 5”, zapisane na później 3 dni temu, wciąż czeka." in gateway.posts(OLA)[-1].message.text


async def test_stop_nudging_me_snooze_and_leave_are_honoured(chat, app, clock):
    await _join(chat, OLA, "Europe/Warsaw")
    await _join(chat, JOHN, "Europe/Warsaw")
    await chat.say("U_ANNA", "join", channel=None)
    await _suggestions_this_week(chat, app, clock)
    assert "no more reminders" in (await chat.click(OLA, "stop_nudges")).text
    assert "paused until 7 December (in 2 weeks)" in await chat.text(JOHN, "snooze 2w", channel=None)
    await chat.say("U_ANNA", "leave", channel=None)
    at(clock, 2026, 11, 23, 10, 0)
    assert await jobs.nudge_check(app) == 0
    at(clock, 2026, 12, 7, 10, 0)
    await library(chat, 3, "later")
    await jobs.weekly_digest(app)
    assert await jobs.nudge_check(app) == 1  # John's snooze is over; Ola stopped; Anna left


async def test_nudge_now_sends_at_once_but_honours_opt_outs_and_the_cap(chat, app, clock, gateway):
    await _join(chat, OLA, "Europe/Warsaw")
    await _join(chat, JOHN, "Europe/Warsaw")
    await _suggestions_this_week(chat, app, clock)
    await chat.click(JOHN, "stop_nudges")
    at(clock, 2026, 11, 23, 21, 0)
    assert "Queued 1 reminder " in await chat.text(ADMIN, "nudge now")
    assert "Queued 0 reminders" in await chat.text(ADMIN, "nudge now")
    assert len(gateway.posts(OLA)) == 1 and gateway.posts(JOHN) == []
    assert "Only program admins" in await chat.text(OLA, "nudge now")


async def test_nudge_cards_show_the_same_share_count_as_list(chat, app, clock, gateway):
    await _join(chat, OLA, "Europe/Warsaw")
    await _join(chat, JOHN, "Europe/Warsaw")
    await _suggestions_this_week(chat, app, clock)
    first = gateway.posts("C_GENERAL")[0].message.cards[0].buttons[1].target
    await chat.say(OLA, f"shared {first}", channel=None)
    at(clock, 2026, 11, 23, 10, 0)
    assert await jobs.nudge_check(app) == 1  # John: Ola shared this week, she is not nudged
    await app.dispatcher.drain()
    nudge = gateway.posts(JOHN)[0].message
    footers = {card.key: card.footer for card in nudge.cards}
    assert "shared by 1 person" in footers[f"content:{first}"]
    listed = {card.key: card.footer for card in (await chat.say(JOHN, "list", channel=None)).cards}
    assert listed[f"content:{first}"] == footers[f"content:{first}"]


async def test_bad_snooze_gets_an_example(chat):
    assert "snooze 2w" in await chat.text(OLA, "snooze forever", channel=None)


async def test_monthly_summary_goes_to_admins_on_the_first_working_day(chat, app, clock, gateway, settings):
    await chat.say(ADMIN, "help", channel=None)
    await library(chat, 2)
    await shown(chat, OLA, JOHN)
    at(clock, 2026, 11, 10, 12, 0)
    await chat.say(OLA, "shared 1")
    await chat.say(JOHN, "shared 1")
    await chat.say(JOHN, "shared 2")
    await chat.say(JOHN, "leaderboard hide")
    at(clock, 2026, 12, 1, 8, 59)  # Tuesday the 1st
    assert await jobs.monthly_summary(app) == 0
    at(clock, 2026, 12, 1, 9, 0)
    assert await jobs.monthly_summary(app) == 1
    assert await jobs.monthly_summary(app) == 0
    await app.dispatcher.drain()
    summary = gateway.posts(ADMIN)[-1].message.text
    assert "November 2026" in summary and "Shares: 3" in summary and "Active ambassadors: 2" in summary
    assert "Ola" in summary and "John" not in summary


async def test_monthly_wins_post_when_enabled(chat, app, clock, gateway):
    from dataclasses import replace

    app.settings = replace(app.settings, schedule=replace(app.settings.schedule, monthly_wins=True))
    await library(chat, 1)
    await shown(chat, OLA)
    at(clock, 2026, 11, 10, 12, 0)
    await chat.say(OLA, "shared 1")
    at(clock, 2026, 12, 1, 9, 0)
    await jobs.monthly_summary(app)
    await app.dispatcher.drain()
    assert "1 of you shared our stories once" in gateway.posts("C_GENERAL")[-1].message.text


async def test_admins_hear_two_days_before_when_the_library_runs_dry(chat, app, clock, gateway):
    await chat.say(ADMIN, "help", channel=None)
    await library(chat, 2)
    at(clock, 2026, 11, 27, 9, 0)  # Friday: too early
    assert await jobs.library_check(app) == 0
    at(clock, 2026, 11, 28, 9, 0)  # Saturday, two days before Monday's digest
    assert await jobs.library_check(app) == 1
    assert await jobs.library_check(app) == 0
    await app.dispatcher.drain()
    assert "only 2 new items" in gateway.posts(ADMIN)[-1].message.text


async def test_housekeeping_forgets_old_delivery_ids_and_old_sends_but_keeps_what_still_guards(
        chat, app, clock, gateway):
    at(clock, 2026, 11, 2, 10, 0)
    await chat.say(ADMIN, "add https://example.com/old Old post", event_id="Ev-old")
    await chat.say(ADMIN, "digest now")
    at(clock, 2026, 12, 7, 10, 0)  # five weeks on
    await chat.say(ADMIN, "add https://example.com/new New post", event_id="Ev-new")
    await chat.say(ADMIN, "digest now")
    assert await jobs.housekeeping(app) == (1, 1)
    assert await jobs.housekeeping(app) == (0, 0)
    async with app.db.transaction() as s:
        assert list(await s.scalars(select(InboundEvent.event_id))) == ["Ev-new"]
        assert await s.scalar(select(func.count()).select_from(OutboxMessage)) == 1
    # the id still kept still stops a redelivery
    assert await chat.say(ADMIN, "add https://example.com/new New post", event_id="Ev-new") is None


async def _first_start_at(app, when):
    from sqlalchemy import update

    from storage.models import ProgramState

    async with app.db.transaction() as session:
        await session.execute(update(ProgramState).values(first_start_at=when))


async def test_the_very_first_start_catches_up_on_nothing_from_before_it(chat, app, clock, gateway):
    await chat.say(ADMIN, "help", channel=None)
    await library(chat, 1)  # a library too small for the digest: the dry-library warning would be due too
    at(clock, 2026, 12, 2, 10, 0)  # Wednesday, after Monday's digest, the 1st's monthly summary, Monday's warning
    await _first_start_at(app, clock.now())
    sent_before = len(gateway.sent)
    await jobs.catch_up(app)
    await app.dispatcher.drain()
    assert len(gateway.sent) == sent_before
    at(clock, 2026, 12, 5, 9, 0)  # Saturday: the warning for Monday's digest, the first period after the start
    assert await jobs.library_check(app) == 1


async def test_a_monthly_summary_never_covers_a_month_before_the_first_start(chat, app, clock):
    await chat.say(ADMIN, "help", channel=None)
    await _first_start_at(app, datetime(2026, 12, 1, 8, 0, tzinfo=WARSAW))  # an hour before it was due
    at(clock, 2026, 12, 1, 9, 0)
    assert await jobs.monthly_summary(app) == 0  # November: the program did not exist
    at(clock, 2027, 1, 4, 9, 0)  # first working day of January
    assert await jobs.monthly_summary(app) == 1  # December: it did


async def test_a_digest_due_after_the_first_start_still_goes_out_that_day(chat, app, clock):
    await library(chat)
    await _first_start_at(app, datetime(2026, 11, 23, 8, 0, tzinfo=WARSAW))  # installed Monday morning
    at(clock, 2026, 11, 23, 9, 0)
    assert await jobs.weekly_digest(app) == 3


def test_the_polish_calendar_skips_new_year_and_easter_monday():
    from datetime import date

    from bot.schedule import Workdays, country_of_zone

    days = Workdays(country_of_zone("Europe/Warsaw"))
    assert days.first_of_month(2027, 1) == date(2027, 1, 4)  # 1 Jan a holiday, then the weekend
    assert date(2027, 3, 29) not in days and date(2027, 3, 30) in days  # Easter Monday
    assert days.this_or_next_in_week(date(2027, 3, 29)) == date(2027, 3, 30)
    assert Workdays(None).first_of_month(2027, 1) == date(2027, 1, 1)


async def test_the_monthly_summary_waits_for_the_first_working_day_after_new_year(chat, app, clock, gateway):
    await chat.say(ADMIN, "help", channel=None)
    at(clock, 2027, 1, 1, 9, 0)  # a Friday, and a public holiday in Poland
    assert await jobs.monthly_summary(app) == 0
    assert "next on Monday 4 January at 09:00 (in 3 days)" in await chat.text(ADMIN, "schedule show")
    at(clock, 2027, 1, 4, 9, 0)
    assert await jobs.monthly_summary(app) == 1


async def test_a_digest_due_on_easter_monday_goes_out_on_tuesday_and_nobody_is_nudged(chat, app, clock):
    await _join(chat, OLA, "Europe/Warsaw")
    await library(chat)
    at(clock, 2027, 3, 29, 9, 0)  # Easter Monday
    assert await jobs.weekly_digest(app) == 0
    assert "next on Tuesday 30 March at 09:00" in await chat.text(ADMIN, "schedule show")
    assert "Posted 3" in await chat.text(ADMIN, "digest now")  # an admin may post on a holiday
    at(clock, 2027, 3, 29, 10, 0)
    assert await jobs.nudge_check(app) == 0  # but nobody is reminded on one
    at(clock, 2027, 3, 30, 9, 0)
    assert await jobs.weekly_digest(app) == 3
    assert await jobs.weekly_digest(app) == 0
    at(clock, 2027, 3, 30, 10, 0)
    assert await jobs.nudge_check(app) == 1
