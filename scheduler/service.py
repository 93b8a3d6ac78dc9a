"""APScheduler inside `advocacy serve`, on the server's event loop, in one process per database."""
from __future__ import annotations

import asyncio
import logging
from datetime import datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger

from bot.app import App
from bot.schedule import DAYS
from bot.services.schedules import Effective
from scheduler import jobs
from scheduler.leader import Leadership

log = logging.getLogger(__name__)

RELOAD_SECONDS = 30
STANDBY_SECONDS = 15


class SchedulerService:
    def __init__(self, app: App):
        self.app = app
        self.leadership = Leadership(app.db)
        self.scheduler: AsyncIOScheduler | None = None
        self._effective: Effective | None = None
        self._tasks: list[asyncio.Task[None]] = []

    @property
    def leading(self) -> bool:
        return self.leadership.held

    async def start(self) -> bool:
        """Become the leader if possible. Returns whether this process leads."""
        if await self.leadership.try_acquire():
            await self._lead()
            return True
        if self.app.db.is_sqlite:
            log.error("another advocacy serve already runs the schedules and the outbox on this SQLite "
                      "database (%s). SQLite supports one process: this one will answer chat requests but "
                      "will not run schedules or deliver messages. Use PostgreSQL to run several replicas.",
                      self.leadership.lock_path())
            return False
        log.info("another replica runs the schedules; this one stands by and takes over if it stops")
        self._tasks.append(asyncio.create_task(self._standby(), name="scheduler-standby"))
        return False

    async def _standby(self) -> None:
        while not await self.leadership.try_acquire():
            await asyncio.sleep(STANDBY_SECONDS)
        log.info("took over the schedules")
        self.app.dispatcher.recover_soon()  # the previous leader is gone: settle its sends now
        await self._lead()

    async def _lead(self) -> None:
        if not self.app.settings.schedule.enabled:
            log.info("schedules are off (ADVOCACY_SCHEDULER=false)")
            return
        tz = self.app.settings.timezone
        self.scheduler = AsyncIOScheduler(timezone=tz, job_defaults={
            "coalesce": True, "max_instances": 1, "misfire_grace_time": 3600})
        self._effective = await jobs._effective(self.app)
        self._add_jobs(self._effective)
        self.scheduler.start()
        log.info("schedules running: digest %s, nudges %s (members' own time zones), monthly %s, in %s",
                 self._effective.spec("digest"), self._effective.spec("nudges"),
                 self._effective.spec("monthly"), tz.key)
        self._tasks.append(asyncio.create_task(jobs.catch_up(self.app), name="scheduler-catch-up"))
        self._tasks.append(asyncio.create_task(self._reload(), name="scheduler-reload"))

    def _add_jobs(self, eff: Effective) -> None:
        assert self.scheduler is not None
        tz = self.app.settings.timezone
        at = eff.digest.at
        # The digest and the monthly summary fire on every candidate day; the job itself knows the
        # working days (a holiday moves them to the next one) and claims its period, so it runs once.
        triggers = {
            "weekly_digest": CronTrigger(day_of_week=f"{DAYS[eff.digest.day]}-sun", hour=at.hour,
                                         minute=at.minute, timezone=tz),
            "library_check": CronTrigger(day_of_week=DAYS[(eff.digest.day - 2) % 7], hour=at.hour,
                                         minute=at.minute, timezone=tz),
            "monthly_summary": CronTrigger(day="1-10", hour=eff.monthly_at.hour,
                                           minute=eff.monthly_at.minute, timezone=tz),
            "nudge_check": CronTrigger(minute="*/15", timezone=tz),
            "housekeeping": CronTrigger(hour=3, minute=30, timezone=tz),
        }
        for name, trigger in triggers.items():
            self.scheduler.add_job(getattr(jobs, name), trigger, args=[self.app], id=name, name=name,
                                   replace_existing=True)

    async def _reload(self) -> None:
        """Pick up `schedule set` / `pause` made through any replica."""
        while True:
            await asyncio.sleep(RELOAD_SECONDS)
            try:
                if not await self.leadership.still_held():
                    log.warning("lost the scheduler lock; stopping schedules")
                    self._shutdown_scheduler()
                    self._tasks.append(asyncio.create_task(self._standby()))
                    return
                eff = await jobs._effective(self.app)
                if eff != self._effective:
                    self._effective = eff
                    self._add_jobs(eff)
                    log.info("schedules changed: digest %s, nudges %s, monthly %s, paused: %s",
                             eff.spec("digest"), eff.spec("nudges"), eff.spec("monthly"),
                             ", ".join(sorted(eff.paused)) or "none")
            except Exception:
                log.exception("reloading schedules failed")

    def next_runs(self) -> dict[str, datetime | None]:
        if self.scheduler is None:
            return {}
        return {job.id: job.next_run_time for job in self.scheduler.get_jobs()}

    def _shutdown_scheduler(self) -> None:
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        self.scheduler = None

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            try:
                await task
            except (asyncio.CancelledError, Exception):
                pass
        self._tasks.clear()
        self._shutdown_scheduler()
        await self.leadership.release()
