"""Gentle reminders: only for members who joined, in their own working hours, capped per week,
each with a one-click stop. Planned in batches, each batch one transaction with its outbox rows."""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import partial
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.cards import suggestion_card
from bot.commands import choice_of
from bot.clock import week_start
from bot.config import Settings
from bot.errors import UserFacingError
from bot.i18n import dates
from bot.models import Button, Card, Message
from bot.registry import DIRECT, MEMBER, action, command
from bot.services.turn import Context, Turn
from bot.unit_of_work import UnitOfWork, UnitsOfWork
from storage.models import Content, Member, Share
from storage.repositories import Repositories

log = logging.getLogger(__name__)

QUIET_DAYS = 14
CLAIM_REMINDER_DAYS = 3
BATCH = 500
NEW_SUGGESTIONS = "new_suggestions"
CLAIM_REMINDER = "claim_reminder"
MAX_SNOOZE_DAYS = 90


def member_zone(member: Member, settings: Settings) -> ZoneInfo:
    if member.timezone:
        try:
            return ZoneInfo(member.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return settings.timezone


def in_nudge_hours(member: Member, settings: Settings, now: datetime) -> bool:
    """A working day (no weekend, no public holiday of the program's country), at or after the nudge
    time and inside working hours, in the member's own zone."""
    local = now.astimezone(member_zone(member, settings))
    moment = local.time()
    schedule = settings.schedule
    return local.date() in settings.workdays and moment >= schedule.nudge_at and moment in schedule.working_hours


def nudge_message(ctx: Context, member: Member, key: str, contents: list[Content], shared_by: dict[int, int],
                  **params: str | datetime) -> Message:
    """`shared_by`: how many members shared each content, as `list` shows it; `saved_at` becomes
    `when`, how long ago in the member's language ("3 dni temu")."""
    t = ctx.translator_for(member)
    saved_at = params.pop("saved_at", None)
    if isinstance(saved_at, datetime):
        params["when"] = dates.relative(saved_at, ctx.now, t.lang)
    cards = [suggestion_card(t, c, shared_by.get(c.id, 0)) for c in contents[:3]]
    cards.append(Card(title=t("nudge.why"), buttons=(
        Button(t("button.stop_nudges"), verb="stop_nudges"),
        Button(t("button.snooze"), verb="snooze", target="14"),
    ), key="nudge:controls"))
    return Message(t(key, name=member.display_name, button=t("button.shared"), **params), cards=tuple(cards))


async def _plan_batch(ctx: Context, members: list[Member], week: date, force: bool, counts: dict[int, int],
                      reminded: set[str], suggestions: dict[str, list[Content]]) -> int:
    now = ctx.now
    cap = ctx.settings.schedule.nudges_per_week
    ids = [m.id for m in members]
    all_content = sorted({c.id for items in suggestions.values() for c in items})
    shared = await ctx.repo.shares.shared_content(ids, all_content) if all_content else set()
    last_shared = await ctx.repo.shares.last_shared_at(ids)
    claims: dict[int, list[Share]] = {}
    for share in await ctx.repo.shares.stale_claims(ids, now - timedelta(days=CLAIM_REMINDER_DAYS)):
        claims.setdefault(share.member_id, []).append(share)
    queued = 0
    shared_by: dict[int, int] | None = None
    for member in members:
        sent = counts.get(member.id, 0)
        if sent >= cap or (not force and not in_nudge_hours(member, ctx.settings, now)):
            continue
        plan: tuple[str, str, str, list[Content], dict[str, str | datetime]] | None = None
        for share in claims.get(member.id, []):
            reference = f"share:{share.id}"
            if reference not in reminded and not force:
                content = await ctx.repo.contents.get(share.content_id)
                if content is not None:
                    plan = (CLAIM_REMINDER, reference, "nudge.claim", [content],
                            {"title": content.title, "saved_at": share.claimed_at or now})
                    break
        if plan is None:
            unshared = [c for c in suggestions.get(member.platform, []) if (member.id, c.id) not in shared]
            quiet = last_shared.get(member.id) is None or last_shared[member.id] <= now - timedelta(days=QUIET_DAYS)
            if unshared and (force or quiet):
                plan = (NEW_SUGGESTIONS, f"{member.id}:{week.isoformat()}", "nudge.new", unshared, {})
        if plan is None:
            continue
        reason, reference, text_key, contents, params = plan
        log_id = await ctx.repo.nudges.record(member.id, week, sent + 1, reason, reference, now)
        if log_id is None:
            continue
        shared_by = await _shared_by(ctx, shared_by, all_content, contents)
        await ctx.outbox.post(ctx.dm(member), nudge_message(ctx, member, text_key, contents, shared_by, **params),
                              key=f"nudge:{log_id}", subject=f"nudge:{member.id}")
        counts[member.id] = sent + 1
        queued += 1
    return queued


async def _shared_by(ctx: Context, known: dict[int, int] | None, week_content: list[int],
                     contents: list[Content]) -> dict[int, int]:
    """Share counts for the cards of a nudge: the week's content counted once per batch."""
    if known is None:
        known = dict.fromkeys(week_content, 0) | await ctx.repo.shares.counts_shared(week_content)
    missing = [c.id for c in contents if c.id not in known]
    if missing:
        known |= dict.fromkeys(missing, 0) | await ctx.repo.shares.counts_shared(missing)
    return known


async def _prepare(repo: Repositories, settings: Settings,
                   now: datetime) -> tuple[date, dict[int, int], set[str], dict[str, list[Content]]]:
    week = week_start(now, settings.timezone)
    suggestions: dict[str, list[Content]] = {}
    for platform in await _platforms(repo):
        items: dict[int, Content] = {}
        for suggestion in await repo.suggestions.of_week(platform, week):
            content = await repo.contents.get(suggestion.content_id)
            if content is not None:
                items.setdefault(content.id, content)
        suggestions[platform] = list(items.values())
    return week, await repo.nudges.counts_in_week(week), await repo.nudges.references(CLAIM_REMINDER), suggestions


async def plan_in(ctx: Context, *, force: bool = False) -> int:
    """Plan every member's nudge inside the caller's transaction (an admin's `nudge now`)."""
    week, counts, reminded, suggestions = await _prepare(ctx.repo, ctx.settings, ctx.now)
    queued, after = 0, 0
    while members := await ctx.repo.members.nudgeable(ctx.now, after, BATCH):
        queued += await _plan_batch(ctx, members, week, force, counts, reminded, suggestions)
        after = members[-1].id
    return queued


@dataclass
class _Pass:
    """What a scheduled pass knows between its batches."""

    settings: Settings
    now: datetime
    force: bool
    week: date
    counts: dict[int, int]  # nudges per member this week, as of the last committed batch
    reminded: set[str]
    suggestions: dict[str, list[Content]]

    async def batch(self, after: int, uow: UnitOfWork) -> tuple[list[int], int, dict[int, int]]:
        """(the members seen, nudges queued, the week's counts after them). The counts become the
        pass's only once the batch commits, so a batch run again starts from the same ones."""
        members = await uow.repo.members.nudgeable(self.now, after, BATCH)
        counts = dict(self.counts)
        queued = await _plan_batch(Context(uow, self.settings), members, self.week, self.force, counts,
                                   self.reminded, self.suggestions)
        return [m.id for m in members], queued, counts


async def plan_nudges(units: UnitsOfWork, settings: Settings, *, force: bool = False,
                      progress: Callable[[int, int], None] | None = None) -> int:
    """One scheduled pass over joined members, a batch per unit of work (its nudges go out as
    soon as it commits); safe to repeat after a crash (the nudge log's unique keys guard it)."""
    now = units.clock.now()

    async def prepare(uow: UnitOfWork) -> tuple[_Pass, int]:
        prepared = await _prepare(uow.repo, settings, now)
        return _Pass(settings, now, force, *prepared), (await uow.repo.members.counts())[1]

    plan, total = await units.run(prepare)
    queued = seen = after = 0
    while True:
        ids, n, plan.counts = await units.run(partial(plan.batch, after))
        if not ids:
            break
        queued += n
        after = ids[-1]
        seen += len(ids)
        if progress:
            progress(seen, total)
    return queued


async def _platforms(repo: Repositories) -> list[str]:
    return await repo.suggestions.platforms()


@action("stop_nudges")
async def stop_nudges(turn: Turn) -> Message:
    turn.member.nudges_stopped = True
    return Message(turn.t("nudge.stopped"), private=True)


async def resume_nudges(turn: Turn) -> Message:
    turn.member.nudges_stopped = False
    turn.member.snoozed_until = None
    return Message(turn.t("nudge.resumed"), private=True)


def snooze_until(raw: str, now: datetime, zone: ZoneInfo) -> datetime:
    """When a snooze written as a duration (`2 tygodnie`, `dwa tygodnie`, `2t`, `3 dni`, `2w`) or a
    date (`do 15 grudnia`, `until 15 December`) ends: at most `MAX_SNOOZE_DAYS` ahead."""
    local = now.astimezone(zone)
    try:
        day = dates.read_date(raw, local.date())
    except dates.NoSuchDate:
        raise UserFacingError("nudge.no_such_date", date=raw[:40]) from None
    if day is not None:
        until = datetime.combine(day, time(0), tzinfo=zone)
        delta = until - local
    else:
        delta = dates.read_duration(raw) or timedelta(0)
        until = now + delta
    if not timedelta(0) < delta <= timedelta(days=MAX_SNOOZE_DAYS):
        raise UserFacingError("nudge.bad_snooze", raw=raw[:40], max=MAX_SNOOZE_DAYS)
    return until


@command("snooze", "<raw...>", help=MEMBER, menu=(DIRECT,))
async def snooze(turn: Turn, raw: str) -> Message:
    """Pause reminders for a while. A snooze never overrides `nudges off`: only `nudges on` does."""
    if choice_of("snooze", raw.strip()) == "off":
        turn.member.snoozed_until = None
        if turn.member.nudges_stopped:
            return Message(turn.t("nudge.still_stopped"), private=True)
        return Message(turn.t("nudge.resumed"), private=True)
    zone = member_zone(turn.member, turn.settings)
    until = snooze_until(raw, turn.now, zone)
    turn.member.snoozed_until = until
    if turn.member.nudges_stopped:
        return Message(turn.t("nudge.still_stopped"), private=True)
    local = until.astimezone(zone)
    return Message(turn.t("nudge.snoozed", until=dates.day_and_month(local.date(), turn.t.lang, turn.now.astimezone(zone).date()),
                          relative=dates.relative(until, turn.now, turn.t.lang)), private=True)


@action("snooze")
async def snooze_days(turn: Turn, target: str) -> Message:
    """The "snooze" button: its target is a number of days (two weeks without one)."""
    return await snooze(turn, f"{target or 14}d")


@command("nudges", "<state:on|off>", help=MEMBER, menu=(DIRECT,))
async def nudges_on_off(turn: Turn, state: str) -> Message:
    return await resume_nudges(turn) if state == "on" else await stop_nudges(turn)
