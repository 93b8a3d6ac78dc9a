"""The scheduled jobs: plain functions of the app. Each is safe to call at any time: it does
its work only when its period is due, and claims the period so it happens once."""
from __future__ import annotations

import logging
from datetime import datetime, timedelta
from functools import partial

from bot.app import App
from bot.clock import week_start
from bot.schedule import month_key, previous_month
from bot.services import nudges, reports
from bot.services.digest import post_digest, program_channel
from bot.services.schedules import Effective, digest_due, effective, monthly_due, next_digest
from bot.services.turn import Context
from bot.unit_of_work import UnitOfWork, run_in_unit_of_work

log = logging.getLogger(__name__)


async def _effective(app: App) -> Effective:
    return effective(app.settings, await run_in_unit_of_work(app, lambda uow: uow.repo.jobs.settings()))


async def _before_first_start(app: App, when: datetime) -> bool:
    """Whether `when` (a job's scheduled time, or the start of the period it reports on) came
    before the program's first start: nothing is caught up for time the program did not exist."""
    first = await run_in_unit_of_work(app, lambda uow: uow.repo.program.first_start())
    return first is None or when < first


async def weekly_digest(app: App) -> int:
    """This week's digest, once it is due; never a past week's."""
    eff = await _effective(app)
    if "digest" in eff.paused:
        return 0
    now, tz = app.clock.now(), app.settings.timezone
    week = week_start(now, tz)
    due = digest_due(eff, app.settings, week)
    if due is None or now < due or await _before_first_start(app, due):
        return 0

    async def post(platform: str, uow: UnitOfWork) -> int:
        ctx = Context(uow, app.settings)
        if not await ctx.repo.jobs.start(f"digest:{platform}", week.isoformat(), ctx.now):
            return 0
        channel = await program_channel(ctx, platform)
        if channel is None:
            log.warning("weekly digest: no suggestions channel for %s yet", platform)
            return 0
        count = await post_digest(ctx, channel, week)
        log.info("weekly digest: %d suggestion(s) queued for %s", count, channel.label())
        return count

    return sum([await run_in_unit_of_work(app, partial(post, platform)) for platform in sorted(app.gateways)])


async def library_check(app: App) -> int:
    """Two days before the digest, warn admins if the library cannot fill it."""
    eff = await _effective(app)
    if "digest" in eff.paused:
        return 0
    now = app.clock.now()
    upcoming = next_digest(eff, app.settings, now)
    warn_at = upcoming - timedelta(days=app.settings.schedule.library_warning_days)
    if now < warn_at or await _before_first_start(app, warn_at):
        return 0
    week = week_start(upcoming, app.settings.timezone)

    async def warn(platform: str, uow: UnitOfWork) -> int:
        ctx = Context(uow, app.settings)
        if not await ctx.repo.jobs.start(f"library:{platform}", week.isoformat(), ctx.now):
            return 0
        return await reports.library_warning(ctx, platform, week)

    return sum([await run_in_unit_of_work(app, partial(warn, platform)) for platform in sorted(app.gateways)])


async def nudge_check(app: App) -> int:
    eff = await _effective(app)
    if "nudges" in eff.paused or app.settings.schedule.nudges_per_week == 0:
        return 0

    def progress(done: int, total: int) -> None:
        if done % 2000 == 0 or done == total:
            log.info("nudges: checked %d of %d members", done, total)

    queued = await nudges.plan_nudges(app.units, app.settings, progress=progress)
    if queued:
        log.info("nudges: %d queued", queued)
    return queued


async def monthly_summary(app: App) -> int:
    """On the month's first working day, once it is due: last month's figures."""
    eff = await _effective(app)
    if "monthly" in eff.paused:
        return 0
    now, tz = app.clock.now(), app.settings.timezone
    local = now.astimezone(tz)
    if now < monthly_due(eff, app.settings, local.year, local.month):
        return 0
    month_began = datetime(local.year, local.month, 1, tzinfo=tz)
    if await _before_first_start(app, month_began):  # last month ended before the program began
        return 0

    async def summarise(uow: UnitOfWork) -> int:
        ctx = Context(uow, app.settings)
        if not await ctx.repo.jobs.start("monthly", month_key(local.date()), now):
            return 0
        return await reports.monthly_summary(ctx, previous_month(local.date()), sorted(app.gateways))

    return await run_in_unit_of_work(app, summarise)


DELIVERY_IDS_KEPT = timedelta(days=7)  # platforms retry a delivery for minutes, hours at most
DELIVERIES_KEPT = timedelta(days=30)   # long enough to see what was sent, and why something failed


async def housekeeping(app: App) -> tuple[int, int]:
    """Forget what no longer protects anything: inbound delivery ids past any redelivery, and
    outbox rows done long ago. Without it both tables grow by a row per event, forever."""
    now = app.clock.now()

    async def forget(uow: UnitOfWork) -> tuple[int, int]:
        return (await uow.repo.inbound.forget_before(now - DELIVERY_IDS_KEPT),
                await uow.repo.outbox.forget_done_before(now - DELIVERIES_KEPT))

    events, sends = await run_in_unit_of_work(app, forget)
    if events or sends:
        log.info("housekeeping: forgot %d delivery id(s) and %d finished send(s)", events, sends)
    return events, sends


ALL = (weekly_digest, library_check, monthly_summary, nudge_check, housekeeping)


async def catch_up(app: App) -> None:
    """Run every job once: after downtime that spanned a scheduled time, each due job runs
    once now (not once per missed tick), and jobs not due do nothing."""
    for job in ALL:
        try:
            await job(app)
        except Exception:
            log.exception("catch-up of %s failed", job.__name__)
    log.info("catch-up done: each job that was due has run once")
