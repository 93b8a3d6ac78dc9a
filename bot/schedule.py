"""Schedule specs as people write them ("mon 09:00", "poniedziałek 9:00", "10:00", "09:00-18:00")
and the periods that make each scheduled job happen once. Specs are stored in English ("mon 09:00");
day names are read in either language (bot/i18n/dates.py)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays
from babel.core import get_global

from bot.i18n.dates import parse_day

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # how a stored spec writes the day


class BadSpec(ValueError):
    pass


def parse_time(raw: str) -> time:
    try:
        hour, minute = raw.strip().replace(".", ":").split(":")
        if not (hour.isdigit() and len(minute) == 2 and minute.isdigit()):
            raise ValueError(raw)
        return time(int(hour), int(minute))
    except ValueError:
        raise BadSpec(f"expected a time such as 09:00, got {raw!r}") from None


@dataclass(frozen=True)
class Weekly:
    """A day of the week and a time, e.g. `mon 09:00`."""

    day: int
    at: time

    @classmethod
    def parse(cls, raw: str) -> Weekly:
        parts = raw.strip().strip('"').split()
        day = parse_day(parts[0]) if len(parts) == 2 else None
        if day is None:
            raise BadSpec(f'expected a day and a time such as "mon 09:00", got {raw!r}')
        return cls(day, parse_time(parts[1]))

    def __str__(self) -> str:
        return f"{DAYS[self.day]} {self.at:%H:%M}"

    def occurrence(self, week_monday: date, tz: ZoneInfo, days: Workdays | None = None) -> datetime | None:
        """This week's time; with `days`, moved off a holiday to the next working day of the week
        (None when no working day is left in it)."""
        day = week_monday + timedelta(days=self.day)
        working = day if days is None else days.this_or_next_in_week(day)
        if working is None:
            return None
        return datetime.combine(working, self.at, tzinfo=tz)


@dataclass(frozen=True)
class Window:
    """Working hours, e.g. `09:00-18:00`: nudges are only delivered inside them."""

    start: time
    end: time

    @classmethod
    def parse(cls, raw: str) -> Window:
        try:
            start, end = raw.strip().split("-")
        except ValueError:
            raise BadSpec(f"expected hours such as 09:00-18:00, got {raw!r}") from None
        window = cls(parse_time(start), parse_time(end))
        if window.start >= window.end:
            raise BadSpec(f"the end of {raw!r} must come after its start")
        return window

    def __contains__(self, moment: time) -> bool:
        return self.start <= moment < self.end

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


@dataclass(frozen=True)
class ScheduleConfig:
    digest: Weekly = Weekly(0, time(9, 0))
    nudge_at: time = time(10, 0)
    working_hours: Window = Window(time(9, 0), time(18, 0))
    nudges_per_week: int = 1
    monthly_at: time = time(9, 0)
    monthly_wins: bool = False
    library_warning_days: int = 2
    enabled: bool = True


def country_of_zone(zone: str) -> str | None:
    """The country of an IANA zone (`Europe/Warsaw` -> `PL`) when its holidays are known, else None."""
    territory = get_global("zone_territories").get(zone)
    return territory if territory in holidays.list_supported_countries() else None


class Workdays:
    """Monday to Friday, except the public holidays of the program's country (none: weekends only)."""

    def __init__(self, country: str | None):
        self.country = country
        self._holidays = holidays.country_holidays(country) if country else None

    def __contains__(self, day: date) -> bool:
        return day.weekday() < 5 and (self._holidays is None or day not in self._holidays)

    def first_of_month(self, year: int, month: int) -> date:
        day = date(year, month, 1)
        while day not in self:
            day += timedelta(days=1)
        return day

    def this_or_next_in_week(self, day: date) -> date | None:
        """`day` if it is a working day, else the next working day of its week (None if none is left)."""
        while day not in self:
            day += timedelta(days=1)
            if day.weekday() == 0:
                return None
        return day


@cache
def workdays(country: str | None) -> Workdays:
    return Workdays(country)



def month_key(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def previous_month(day: date) -> date:
    return (day.replace(day=1) - timedelta(days=1)).replace(day=1)
