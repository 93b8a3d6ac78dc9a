"""create_app: the one place that wires settings, storage, core and outbox; what runs beside the requests."""
from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot.app import App
from bot.clock import Clock, SystemClock
from bot.collector import settle_after_start
from bot.config import Settings
from bot.core import Core
from bot.demo import load_demo_if_first_start, retire_demo
from bot.errors import ConfigError
from bot.inbox import Inbox
from bot.outbox import Dispatcher
from bot.ports import ChatGateway
from bot.services.delivery import failure_handler
from bot.services.digest import remember_message_ref
from bot.unit_of_work import UnitsOfWork
from scheduler.service import SchedulerService
from storage.db import Database, redact, unusable
from storage.migrate import upgrade

log = logging.getLogger(__name__)


@asynccontextmanager
async def database_explained(db: Database) -> AsyncIterator[None]:
    """The one place a database the URL cannot open (no server, no such database or role, a SQLite
    file that cannot be written) becomes a setting to fix, one line naming DATABASE_URL, not a traceback."""
    try:
        yield
    except Exception as exc:
        problem = unusable(exc, db.is_sqlite)
        if problem is None:
            raise
        await db.dispose()
        needed, cause = problem
        raise ConfigError("DATABASE_URL", needed, redact(db.url), cause=cause) from exc


async def create_app(settings: Settings, clock: Clock | None = None, *, migrate: bool = True,
                     demo: bool = False) -> App:
    """`demo=True` loads the demo library on a first start (`load_demo` decides that for serve)."""
    clock = clock or SystemClock()
    db = Database(settings.database_url)
    gateways: dict[str, ChatGateway] = {}
    dispatcher = Dispatcher(db, gateways, clock, after_send=remember_message_ref,
                            on_failure=failure_handler(settings), lease=settings.outbox_lease)
    units = UnitsOfWork(db, clock, wake=dispatcher.kick)
    async with database_explained(db):
        if migrate:
            await upgrade(db)
        first_start = await units.run(lambda uow: uow.repo.program.record_first_start(uow.now))
    log.debug("program first started %s", first_start.isoformat())
    if demo and await load_demo_if_first_start(units):
        log.info("loaded the demo library and policy FAQ (first start)")
    core = Core(units, settings)
    inbox = Inbox(units, core, gateways, clock, lease=settings.outbox_lease, backlog=settings.inbox_backlog)
    app = App(settings, db, clock, units, core, dispatcher, inbox, gateways)
    log.info("database: %s", redact(db.url))
    return app


async def load_demo(app: App) -> None:
    """Demo content is for trying the bot out: loaded (once, if `ADVOCACY_DEMO` allows) only when no
    chat platform is on. With a chat platform on, what an earlier try-out left is retired instead,
    so no schedule ever posts it to a real channel."""
    if app.gateways:
        items, entries = await retire_demo(app.units)
        if items or entries:
            log.info("retired %d demo item(s) and %d demo FAQ entr(ies): a chat platform is on", items, entries)
    elif app.settings.load_demo and await load_demo_if_first_start(app.units):
        log.info("loaded the demo library and policy FAQ (first start, no chat platform configured)")


class Background:
    """What a server runs beside its requests: the policy index warm-up, the schedules in the leading
    process, and the outbox dispatcher and the inbox worker there too, and in every replica on
    PostgreSQL (claims skip each other's rows)."""

    def __init__(self, app: App):
        self.app = app
        self.scheduler: SchedulerService | None = None
        self._stop = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._warm_up: asyncio.Task[None] | None = None

    async def start(self) -> None:
        app = self.app
        self._stop.clear()
        self._warm_up = asyncio.create_task(self._warm_up_then_settle(), name="warm-up")
        self.scheduler = SchedulerService(app)
        leading = await self.scheduler.start()
        if leading or not app.db.is_sqlite:
            task = app.dispatcher.run_forever(self._stop, recover_all=app.db.is_sqlite)
            self._tasks.append(asyncio.create_task(task, name="outbox"))
            work = app.inbox.run_forever(self._stop, recover_all=app.db.is_sqlite)
            self._tasks.append(asyncio.create_task(work, name="inbox"))

    async def _warm_up_then_settle(self) -> None:
        """Load what stays for good (the policy index), then set the collector for a long run."""
        try:
            await self.app.core.policy.warm(self.app.units)
        except Exception:
            log.exception("building the policy index failed; it will be built on the first question")
        settle_after_start()

    async def stop(self) -> None:
        if self._warm_up is not None:
            self._warm_up.cancel()
        if self.scheduler is not None:
            await self.scheduler.stop()
        self._stop.set()
        self.app.dispatcher.kick()
        self.app.inbox.kick()
        for task in self._tasks:
            try:
                await asyncio.wait_for(task, timeout=5)
            except (TimeoutError, asyncio.CancelledError):
                task.cancel()
        self._tasks.clear()
