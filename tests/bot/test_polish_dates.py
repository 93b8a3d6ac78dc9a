"""Durations, days and dates read and written in either language: `wstrzymaj 2 tygodnie`, a schedule of
`pon 9:00`, "w poniedziałek o 9:00", "za 2 tygodnie"; what cannot be read gets the forms that can."""
import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.i18n import Translator, dates
from bot.schedule import BadSpec, Weekly, parse_time
from bot.services.reports import MonthFigures, summary_text

ADMIN, OLA = "U_ADMIN", "U_OLA"
WARSAW = ZoneInfo("Europe/Warsaw")


@pytest.mark.parametrize(("typed", "days"), [
    ("2 tygodnie", 14), ("3 dni", 3), ("2t", 14), ("2 tyg.", 14), ("2 TYG", 14), ("dwa tygodnie", 14),
    ("1 tydzień", 7), ("1 tydzien", 7), ("jeden dzień", 1), ("cztery dni", 4), ("trzy tygodnie", 21),
    ("dwie doby", None), ("2w", 14), ("5d", 5), ("two weeks", 14), ("a week", 7), ("four days", 4), ("10", 10),
    ("pięć dni", None), ("five days", None), ("2 miesiące", None), ("jutro", None), ("2 3 dni", None),
])
def test_durations_in_digits_or_words_one_to_four_in_either_language(typed, days):
    read = dates.read_duration(typed)
    assert (read.days if read else None) == days


def test_a_date_is_the_next_such_day_and_one_that_does_not_exist_is_named():
    today = date(2026, 11, 23)
    assert dates.read_date("do 15 grudnia", today) == date(2026, 12, 15)
    assert dates.read_date("until 15 Dec", today) == date(2026, 12, 15)
    assert dates.read_date("stycznia 5", today) == date(2027, 1, 5)
    assert dates.read_date("2 tygodnie", today) is None
    for impossible in ("31 lutego", "do 30 lutego", "31 listopada", "2026-02-30"):
        with pytest.raises(dates.NoSuchDate):
            dates.read_date(impossible, today)


async def test_snooze_in_polish_confirms_in_polish_words(chat):
    chat.locales[OLA] = "pl-PL"
    await chat.say(OLA, "dołącz", channel=None)
    assert await chat.text(OLA, "wstrzymaj 2 tygodnie", channel=None) == \
        "Przypomnienia wstrzymane do 7 grudnia (za 2 tygodnie)."
    assert "do 26 listopada (za 3 dni)" in await chat.text(OLA, "WSTRZYMAJ trzy dni", channel=None)
    assert "do 15 grudnia" in await chat.text(OLA, "wstrzymaj do 15 grudnia", channel=None)
    assert await chat.text(OLA, "wstrzymaj wylacz", channel=None) == "Przypomnienia są znów włączone."


@pytest.mark.parametrize("typed", ["pięć tygodni", "2 miesiące", "jutro", "0 dni", "100 dni", "14 tyg"])
async def test_a_snooze_that_cannot_be_read_lists_the_forms_that_can_in_the_readers_language(chat, typed):
    chat.locales[OLA] = "pl"
    reply = await chat.text(OLA, f"wstrzymaj {typed}", channel=None)
    assert reply.startswith(f"„{typed}” nie pasuje do wstrzymania.")
    for form in ("`wstrzymaj 2 tygodnie`", "`wstrzymaj 3 dni`", "`wstrzymaj 2t`", "`2 tyg.`",
                 "`wstrzymaj dwa tygodnie`", "`wstrzymaj do 15 grudnia`", "`wstrzymaj wyłącz`"):
        assert form in reply
    english = await chat.text("U_JOHN", f"snooze {typed}", channel=None)
    assert "`snooze 2 weeks`" in english and "`snooze two weeks`" in english and "`snooze off`" in english


async def test_a_date_that_does_not_exist_is_named_in_the_readers_language(chat):
    chat.locales[OLA] = "pl"
    assert await chat.text(OLA, "wstrzymaj do 31 lutego", channel=None) == \
        "Nie ma takiego dnia jak „do 31 lutego”. Podaj prawdziwą datę, np. `wstrzymaj do 15 grudnia`."
    assert "no such day as “until 31 February”" in await chat.text("U_JOHN", "snooze until 31 February", channel=None)


@pytest.mark.parametrize(("typed", "stored"), [
    ("pon 09:00", "mon 09:00"), ("poniedziałek 9:00", "mon 09:00"), ("pn 9:00", "mon 09:00"),
    ("PONIEDZIALEK 9.00", "mon 09:00"), ("wt. 8:30", "tue 08:30"), ("śr 10:00", "wed 10:00"),
    ("sr 10:00", "wed 10:00"), ("czwartek 7:05", "thu 07:05"), ("pt 16:00", "fri 16:00"), ("piatek 16:00", "fri 16:00"),
    ("sob 9:00", "sat 09:00"), ("niedziela 9:00", "sun 09:00"), ("nd 9:00", "sun 09:00"),
    ("Tue 08:30", "tue 08:30"), ("friday 16:00", "fri 16:00"),
])
def test_a_weekly_schedule_reads_day_names_in_either_language(typed, stored):
    assert str(Weekly.parse(typed)) == stored


@pytest.mark.parametrize("typed", ["pon 25:00", "pon 9:60", "pon 9", "someday 9:00", "pon", "31 lutego", "pon 9:00 10:00"])
def test_a_weekly_schedule_that_cannot_be_read_is_refused(typed):
    with pytest.raises(BadSpec):
        Weekly.parse(typed)


async def test_a_polish_admin_sets_and_reads_schedules_in_polish(chat):
    chat.locales[ADMIN] = "pl-PL"
    shown = await chat.text(ADMIN, "harmonogram ustaw zestawienie poniedziałek 9:00")
    assert "• Cotygodniowe zestawienie: w poniedziałek o 9:00 (aktywne), następne w poniedziałek 30 listopada o 9:00 " \
           "(za 7 dni)" in shown
    assert "we wtorek o 8:30" in await chat.text(ADMIN, 'harmonogram ustaw zestawienie "wt 8:30"')
    assert "w środę o 10:00" in await chat.text(ADMIN, "harmonogram ustaw zestawienie sr 10:00")
    assert "Przypomnienia: od 11:00" in await chat.text(ADMIN, "harmonogram ustaw przypomnienia 11:00")
    assert not re.search(r"\b(mon|tue|wed|next|on|at)\b", shown, re.IGNORECASE)
    refused = await chat.text(ADMIN, "harmonogram ustaw zestawienie pon 25:00")
    assert refused == ("Nie rozumiem dnia i godziny „pon 25:00”. Podaj dzień (pon., wt., śr., czw., pt., sob., niedz. "
                       "albo pełną nazwę) i godzinę od 0:00 do 23:59, np. `harmonogram ustaw zestawienie pon 9:00`.")
    assert await chat.text(ADMIN, "harmonogram ustaw podsumowanie 25:00") == (
        "Nie rozumiem godziny „25:00”. Podaj godzinę od 0:00 do 23:59, np. `harmonogram ustaw podsumowanie 10:00`.")


def test_days_and_times_are_written_in_the_readers_language_from_babel():
    on = [dates.weekday_at(day, time(9), "pl") for day in range(7)]
    assert on == ["w poniedziałek o 9:00", "we wtorek o 9:00", "w środę o 9:00", "w czwartek o 9:00",
                  "w piątek o 9:00", "w sobotę o 9:00", "w niedzielę o 9:00"]
    assert dates.weekday_at(0, time(9), "en") == "on Monday at 09:00"
    assert dates.weekday_at(4, time(17, 30), "en") == "on Friday at 17:30"
    now = datetime(2026, 11, 23, 10, 0, tzinfo=WARSAW)
    assert dates.moment(now + timedelta(days=2), now, "pl") == "w środę 25 listopada o 10:00 (za 2 dni)"
    assert dates.moment(now + timedelta(days=2), now, "en") == "on Wednesday 25 November at 10:00 (in 2 days)"
    assert dates.moment(datetime(2027, 1, 4, 9, tzinfo=WARSAW), now, "pl").startswith("w poniedziałek 4 stycznia 2027")
    assert [dates.relative(now + timedelta(days=days), now, "pl") for days in (1, 2, 10, 14, 21)] == \
        ["za 1 dzień", "za 2 dni", "za 10 dni", "za 2 tygodnie", "za 3 tygodnie"]
    assert dates.relative(now + timedelta(hours=22), now, "en") == "in 22 hours"
    assert dates.relative(now - timedelta(days=3, hours=1), now, "en") == "3 days ago"
    assert parse_time("9.30") == time(9, 30)


def test_the_monthly_summary_names_the_month_in_the_readers_language():
    figures = MonthFigures(shares=0, previous=0, active=0, joined=0, top_content=[], top_members=[])
    assert summary_text(Translator("pl"), date(2026, 11, 1), figures).startswith("*Program ambasadorski, listopad 2026*")
    assert summary_text(Translator("en"), date(2026, 11, 1), figures).startswith("*Advocacy program, November 2026*")
