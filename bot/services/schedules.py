"""Admins see and change when things happen; `nudge now` sends reminders at once."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TypeVar

from bot.clock import week_start
from bot.commands import choice_of, choice_words
from bot.config import Settings
from bot.errors import UserFacingError
from bot.i18n import dates
from bot.models import Message
from bot.permissions import Right
from bot.registry import ADMIN, CHANNEL, MissingArgs, command
from bot.schedule import BadSpec, Weekly, parse_time
from bot.services import nudges
from bot.services.turn import Turn
from storage.models import ScheduleSetting

S = TypeVar("S")

NAMES = ("digest", "nudges", "monthly")


@dataclass(frozen=True)
class Effective:
    digest: Weekly
    nudge_at: time
    monthly_at: time
    paused: frozenset[str]

    def spec(self, name: str) -> str:
        """As stored and logged: "mon 09:00", "10:00"."""
        return {"digest": str(self.digest), "nudges": f"{self.nudge_at:%H:%M}",
                "monthly": f"{self.monthly_at:%H:%M}"}[name]

    def shown(self, name: str, lang: str) -> str:
        """When it runs, as the reader says it: "w poniedziałek o 9:00", "10:00"."""
        if name == "digest":
            return dates.weekday_at(self.digest.day, self.digest.at, lang)
        return dates.clock_time(self.nudge_at if name == "nudges" else self.monthly_at, lang)


def effective(settings: Settings, overrides: dict[str, ScheduleSetting]) -> Effective:
    """Environment defaults, overridden by what admins set with `schedule set` / `pause`."""
    base = settings.schedule

    def spec(name: str, parse: Callable[[str], S], default: S) -> S:
        row = overrides.get(name)
        if row is None or not row.spec:
            return default
        try:
            return parse(row.spec)
        except BadSpec:
            return default

    return Effective(
        digest=spec("digest", Weekly.parse, base.digest),
        nudge_at=spec("nudges", parse_time, base.nudge_at),
        monthly_at=spec("monthly", parse_time, base.monthly_at),
        paused=frozenset(name for name, row in overrides.items() if row.paused),
    )


def digest_due(eff: Effective, settings: Settings, week: date) -> datetime | None:
    """When the week's digest is due: its day, or the next working day of that week if the day is a
    public holiday (None if no working day is left)."""
    return eff.digest.occurrence(week, settings.timezone, settings.workdays)


def next_digest(eff: Effective, settings: Settings, now: datetime) -> datetime:
    week = week_start(now, settings.timezone)
    for _ in range(53):
        at = digest_due(eff, settings, week)
        if at is not None and at > now:
            return at
        week += timedelta(weeks=1)
    raise ValueError("no working day for the digest within a year")


def monthly_due(eff: Effective, settings: Settings, year: int, month: int) -> datetime:
    """The first working day of the month (no weekend, no public holiday), at the monthly time."""
    day = settings.workdays.first_of_month(year, month)
    return datetime.combine(day, eff.monthly_at, tzinfo=settings.timezone)


def next_monthly(eff: Effective, settings: Settings, now: datetime) -> datetime:
    local = now.astimezone(settings.timezone)
    at = monthly_due(eff, settings, local.year, local.month)
    if at <= now:
        following = (local.date().replace(day=28) + timedelta(days=4)).replace(day=1)
        at = monthly_due(eff, settings, following.year, following.month)
    return at


@command("schedule.show", right=Right.CONFIGURE, help=ADMIN, menu=(CHANNEL,))
async def show(turn: Turn) -> Message:
    eff = effective(turn.settings, await turn.repo.jobs.settings())
    tz, lang, hours = turn.settings.timezone, turn.t.lang, turn.settings.schedule.working_hours

    def state(name: str) -> str:
        return turn.t("schedule.paused") if name in eff.paused else turn.t("schedule.active")

    def when(at: datetime) -> str:
        return dates.moment(at.astimezone(tz), turn.now, lang)

    lines = [
        turn.t("schedule.header", tz=tz.key),
        turn.t("schedule.digest", spec=eff.shown("digest", lang), state=state("digest"),
               next=when(next_digest(eff, turn.settings, turn.now))),
        turn.t("schedule.nudges", spec=eff.shown("nudges", lang), state=state("nudges"),
               hours=f"{dates.clock_time(hours.start, lang)}–{dates.clock_time(hours.end, lang)}",
               cap=turn.settings.schedule.nudges_per_week),
        turn.t("schedule.monthly", spec=eff.shown("monthly", lang), state=state("monthly"),
               next=when(next_monthly(eff, turn.settings, turn.now))),
    ]
    return Message("\n".join(lines), private=True)


def _name(raw: str | None, lang: str) -> str:
    """A schedule's name in either language (`zestawienie` is `digest`)."""
    name = choice_of("schedule.set", raw or "")
    if name not in NAMES:
        raise UserFacingError("schedule.unknown", name=(raw or "")[:30],
                              names=", ".join(choice_words("schedule.set", each, lang) for each in NAMES))
    return name


def parse_set(rest: str) -> dict[str, str]:
    """`digest "mon 09:00"`: a schedule's name, then its spec (quotes optional)."""
    name, _, spec = rest.partition(" ")
    spec = spec.strip().strip('"').strip("'").strip("“”")
    if not name or not spec:
        raise MissingArgs()
    return {"name": name.lower(), "spec": spec}


@command("schedule.set", parse_set, right=Right.CONFIGURE, help=ADMIN)
async def set_spec(turn: Turn, name: str, spec: str) -> Message:
    name = _name(name, turn.t.lang)
    try:
        parsed = Weekly.parse(spec) if name == "digest" else parse_time(spec)
    except BadSpec:
        if name == "digest":
            raise UserFacingError("schedule.bad_day_time", spec=spec[:40], days=dates.short_day_names(turn.t.lang)) from None
        raise UserFacingError("schedule.bad_time", spec=spec[:40], name=choice_words("schedule.set", name, turn.t.lang)) from None
    text = str(parsed) if name == "digest" else f"{parsed:%H:%M}"
    await turn.repo.jobs.save_setting(name, turn.now, spec=text)
    await turn.audit("schedule.set", name, spec=text)
    return await show(turn)


@command("schedule.pause", "[name:lower...]", right=Right.CONFIGURE, help=ADMIN, paused=True)
@command("schedule.resume", "[name:lower...]", right=Right.CONFIGURE, help=ADMIN, paused=False)
async def pause(turn: Turn, name: str | None, paused: bool) -> Message:
    names = NAMES if name is None else (_name(name, turn.t.lang),)
    for each in names:
        await turn.repo.jobs.save_setting(each, turn.now, paused=paused)
    await turn.audit("schedule.pause" if paused else "schedule.resume", ",".join(names))
    return await show(turn)


@command("nudge.now", right=Right.CONFIGURE, help=ADMIN)
async def nudge_now(turn: Turn) -> Message:
    queued = await nudges.plan_in(turn, force=True)
    await turn.audit("nudge.now", None, queued=queued)
    return Message(turn.t.n("nudge.queued", queued), private=True)
