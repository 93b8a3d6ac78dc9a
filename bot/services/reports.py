"""The monthly look back, and the warning that the library will not fill the next digest."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from bot.i18n import Translator, dates
from bot.models import Message
from bot.services.delivery import notify_admins
from bot.services.digest import candidates_for, program_channel
from bot.services.turn import Context
from storage.models import Content, Member


def _start(day: date, ctx: Context) -> datetime:
    return datetime.combine(day, time(0), tzinfo=ctx.settings.timezone)


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


@dataclass(frozen=True)
class MonthFigures:
    shares: int
    previous: int  # shares the month before
    active: int
    joined: int
    top_content: list[tuple[Content, int]]
    top_members: list[tuple[Member, int]]


async def month_figures(ctx: Context, month: date) -> MonthFigures:
    since, until = _start(month, ctx), _start(_next_month(month), ctx)
    shares = ctx.repo.shares
    previous = (month - timedelta(days=1)).replace(day=1)
    return MonthFigures(
        shares=await shares.count_between(since, until),
        previous=await shares.count_between(_start(previous, ctx), since),
        active=await shares.active_between(since, until),
        joined=(await ctx.repo.members.counts())[1],
        top_content=await shares.top_content_between(since, until),
        top_members=await shares.top_members(since, until),
    )


def _change(t: Translator, now: int, before: int) -> str:
    if before == 0:
        return t("monthly.change_new") if now else t("monthly.change_none")
    percent = round((now - before) * 100 / before)
    return t("monthly.change", sign="+" if percent >= 0 else "", percent=percent)


def summary_text(t: Translator, month: date, figures: MonthFigures) -> str:
    lines = [
        t("monthly.header", month=dates.month_and_year(month, t.lang)),
        t("monthly.shares", n=figures.shares, change=_change(t, figures.shares, figures.previous)),
        t("monthly.active", active=figures.active, joined=figures.joined),
    ]
    if figures.top_content:
        lines.append(t("monthly.top_content"))
        lines += [t.n("stats.top_line", n, title=c.title) for c, n in figures.top_content]
    if figures.top_members:
        lines.append(t("monthly.top_members"))
        lines += [t.n("stats.top_line", n, title=m.display_name) for m, n in figures.top_members]
    return "\n".join(lines)


async def monthly_summary(ctx: Context, month: date, platforms: list[str]) -> int:
    """Figures for `month` to every admin; a short wins post in each program channel if enabled."""
    figures = await month_figures(ctx, month)
    queued = 0
    for admin in await ctx.repo.members.admins():
        if admin.platform in platforms and admin.reachable:
            text = summary_text(ctx.translator_for(admin), month, figures)
            queued += await ctx.outbox.post(ctx.dm(admin), Message(text), key=f"monthly:{month}:{admin.id}",
                                            subject="monthly")
    if ctx.settings.schedule.monthly_wins and figures.shares:
        t = Translator(ctx.settings.language)
        names = ", ".join(m.display_name for m, _ in figures.top_members)
        text = t("monthly.wins", times=t.n("monthly.times", figures.shares),
                 people=t.n("monthly.people", figures.active)) + (
            "\n" + t("monthly.wins_thanks", names=names) if names else "")
        for platform in platforms:
            channel = await program_channel(ctx, platform)
            if channel is not None:
                queued += await ctx.outbox.post(channel, Message(text), key=f"wins:{month}:{platform}",
                                                subject="wins")
    return queued


async def library_warning(ctx: Context, platform: str, next_week: date) -> int:
    """Tell admins when the library cannot fill the next digest."""
    channel = await program_channel(ctx, platform)
    if channel is None:
        return 0
    available = len(await candidates_for(ctx, channel, next_week))
    if available >= ctx.settings.digest_size:
        return 0
    return await notify_admins(ctx, platform, f"library:{next_week}", "library.low", n=available,
                               needed=ctx.settings.digest_size, channel=channel.label())
