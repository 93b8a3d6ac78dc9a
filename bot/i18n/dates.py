"""Dates, times and durations in the reader's language, written and read, from Babel's locale data.

Written: `weekday_at(0, time(9), "pl")` → "w poniedziałek o 9:00", "on Monday at 09:00" in English;
`moment` adds the date and how far away it is ("za 7 dni"); times are always 24-hour.
Read: day names (`pon`, `poniedziałek`, `pn`, `Mon`), month names (`lutego`, `Feb`) and duration units
(`tygodnie`, `tyg.`, `2t`, `days`, `2w`) in either language, in any case, diacritics optional.
"""
from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from functools import cache

from babel import Locale
from babel.dates import format_date, format_time, format_timedelta

from bot.i18n import LANGUAGES, Translator, fold

TIME_PATTERN = {"pl": "H:mm", "en": "HH:mm"}  # 24-hour in both: "9:00" reads naturally in Polish
# Common Polish abbreviations CLDR does not list (it has pon., wt., śr., czw., pt., sob., niedz.).
EXTRA_DAY_WORDS = {"pn": 0, "sb": 5, "nd": 6, "ndz": 6, "tues": 1, "thur": 3, "thurs": 3}
# Numbers written as words, one to four, in both languages ("dwa tygodnie", "two weeks").
NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "a": 1, "an": 1,
                "jeden": 1, "jedna": 1, "jedno": 1, "dwa": 2, "dwie": 2, "trzy": 3, "cztery": 4}


@cache
def _locale(lang: str) -> Locale:
    return Locale.parse(lang)


def _word(text: str) -> str:
    return fold(text).strip().rstrip(".")


@cache
def day_words() -> dict[str, int]:
    """Every way a day of the week is written in either language → 0 (Monday) … 6."""
    found: dict[str, int] = {}
    for lang in LANGUAGES:
        days = _locale(lang).days
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated", "short"):
                for day, name in days[context][width].items():
                    found.setdefault(_word(name), day)
    return found | EXTRA_DAY_WORDS


@cache
def month_words() -> dict[str, int]:
    """Every way a month is written in either language (`lutego`, `luty`, `lut`, `February`) → 1 … 12."""
    found: dict[str, int] = {}
    for lang in LANGUAGES:
        months = _locale(lang).months
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for month, name in months[context][width].items():
                    found.setdefault(_word(name), month)
    return found


@cache
def unit_words() -> dict[str, int]:
    """Every way "day" and "week" are written in either language (`dni`, `tyg.`, `t`, `weeks`, `d`) →
    its length in days; from Babel's duration units, every plural form and width."""
    found: dict[str, int] = {}
    for lang in LANGUAGES:
        units = _locale(lang)._data["unit_patterns"]
        for unit, days in (("duration-day", 1), ("duration-week", 7)):
            for width in ("long", "short", "narrow"):
                for form, pattern in units[unit][width].items():
                    if form != "per":
                        found.setdefault(_word(pattern.replace("{0}", "")), days)
    return found


def parse_day(word: str) -> int | None:
    return day_words().get(_word(word))


def parse_month(word: str) -> int | None:
    return month_words().get(_word(word))


def parse_number(word: str) -> int | None:
    word = _word(word)
    return int(word) if word.isdigit() else NUMBER_WORDS.get(word)


def day_name(day: int, lang: str) -> str:
    name: str = _locale(lang).days["format"]["wide"][day]  # Babel's locale data is untyped
    return name


def short_day_names(lang: str) -> str:
    """"pon., wt., śr., czw., pt., sob., niedz." (how help and errors list the days)."""
    return ", ".join(_locale(lang).days["format"]["abbreviated"][day] for day in range(7))


def clock_time(at: time | datetime, lang: str) -> str:
    return format_time(at, TIME_PATTERN.get(lang, "HH:mm"), locale=lang)


def on_day(day: int, lang: str) -> str:
    """"on Monday"; in Polish "w" with the accusative: w poniedziałek, we wtorek, w środę."""
    name = day_name(day, lang)
    if lang == "pl":
        name = name[:-1] + "ę" if name.endswith("a") else name
        return ("we " if name.startswith("w") else "w ") + name
    return f"on {name}"


def weekday_at(day: int, at: time, lang: str) -> str:
    return Translator(lang)("date.day_at", day=on_day(day, lang), time=clock_time(at, lang))


def day_and_month(day: date, lang: str, today: date | None = None) -> str:
    """"7 grudnia", "7 December"; with the year when it is not the year of `today`."""
    return format_date(day, "d MMMM" if today is None or today.year == day.year else "d MMMM y", locale=lang)


def relative(moment: datetime, now: datetime, lang: str) -> str:
    """"za 2 dni", "in 2 days", "2 dni temu"; weeks from two weeks on ("za 10 dni", "za 2 tygodnie"),
    days from one day on ("za 1 dzień", not "za 24 godziny")."""
    delta = timedelta(minutes=round((moment - now).total_seconds() / 60))  # a clock read twice differs
    return format_timedelta(delta, "day" if abs(delta) >= timedelta(days=1) else "second",
                            add_direction=True, threshold=2, locale=lang)


def moment(at: datetime, now: datetime, lang: str) -> str:
    """"w poniedziałek 30 listopada o 9:00 (za 7 dni)", "on Monday 30 November at 09:00 (in 7 days)"."""
    day = f"{on_day(at.weekday(), lang)} {day_and_month(at.date(), lang, now.astimezone(at.tzinfo).date())}"
    return Translator(lang)("date.moment", day=day, time=clock_time(at, lang), relative=relative(at, now, lang))


def month_and_year(day: date, lang: str) -> str:
    """"listopad 2026", "November 2026"."""
    return format_date(day, "LLLL yyyy", locale=lang)


class NoSuchDate(ValueError):
    """A day and month that read as a date but do not exist (`31 lutego`)."""


_GLUED = re.compile(r"^(\d+)\s*([^\d\s]+)$")
UNTIL_WORDS = {"do", "until", "till"}


def read_duration(text: str) -> timedelta | None:
    """`2 tygodnie`, `dwa tygodnie`, `2t`, `2 tyg.`, `3 dni`, `1 tydzień`, `2w`, `two weeks`, `5` (days);
    None when it is not a duration."""
    words = text.split()
    if len(words) == 1 and (glued := _GLUED.match(_word(words[0]))):
        words = [glued[1], glued[2]]
    if len(words) == 1:
        amount = parse_number(words[0])
        return timedelta(days=amount) if amount is not None and words[0].isdigit() else None
    if len(words) != 2:
        return None
    amount, unit = parse_number(words[0]), unit_words().get(_word(words[1]))
    return timedelta(days=amount * unit) if amount is not None and unit is not None else None


def read_date(text: str, today: date) -> date | None:
    """`15 grudnia`, `do 15 grudnia`, `until 15 Dec`, `December 15`, `2026-12-15`: the next such day
    from `today` on; None when it is not a date; `NoSuchDate` when it names one that does not exist."""
    words = [w for w in text.replace(",", " ").split() if _word(w) not in UNTIL_WORDS]
    if len(words) == 1 and re.fullmatch(r"\d{4}-\d{2}-\d{2}", words[0]):
        try:
            return date.fromisoformat(words[0])
        except ValueError:
            raise NoSuchDate(words[0]) from None
    if len(words) != 2:
        return None
    first, second = (_word(w) for w in words)
    day, month = (first, parse_month(second)) if first.isdigit() else (second, parse_month(first))
    if month is None or not day.isdigit():
        return None
    for year in (today.year, today.year + 1):
        try:
            found = date(year, month, int(day))
        except ValueError:
            if int(day) > 29 or month != 2:
                raise NoSuchDate(text) from None
            continue  # 29 February: the next leap year is too far to matter here
        if found >= today:
            return found
    raise NoSuchDate(text)
