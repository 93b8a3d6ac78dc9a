"""create_app: the one place that wires settings, storage, core, outbox and adapters."""
from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from aiohttp import web

from bot.clock import Clock, SystemClock
from bot.collector import settle_after_start
from bot.config import Settings
from bot.core import Core
from bot.demo import load_demo_if_first_start, retire_demo
from bot.errors import ConfigError
from bot.outbox import Dispatcher
from bot.ports import ChatGateway, check_gateway
from bot.services.delivery import failure_handler
from bot.services.digest import remember_message_ref
from bot.unit_of_work import UnitsOfWork, unit_of_work
from storage.db import Database, redact, unusable
from scheduler.service import SchedulerService
from storage.migrate import upgrade

log = logging.getLogger(__name__)


@dataclass
class App:
    """Everything a running bot holds. Adapters get it and add their gateway."""

    settings: Settings
    db: Database
    clock: Clock
    units: UnitsOfWork  # every transaction: `unit_of_work(app)`, `run_in_unit_of_work(app, …)`
    core: Core
    dispatcher: Dispatcher
    gateways: dict[str, ChatGateway] = field(default_factory=dict)
    _stop: asyncio.Event = field(default_factory=asyncio.Event)
    _tasks: list[asyncio.Task] = field(default_factory=list)
    _warm_up: asyncio.Task | None = None

    scheduler: SchedulerService | None = None

    def add_gateway(self, gateway: ChatGateway) -> None:
        self.gateways[gateway.platform] = check_gateway(gateway)

    async def start_background(self) -> None:
        """Schedules in the leading process; the outbox dispatcher there too, and in every
        replica on PostgreSQL (claims skip each other's rows)."""
        self._stop.clear()
        self._warm_up = asyncio.create_task(self._warm_up_then_settle(), name="warm-up")
        self.scheduler = SchedulerService(self)
        leading = await self.scheduler.start()
        if leading or not self.db.is_sqlite:
            task = self.dispatcher.run_forever(self._stop, recover_all=self.db.is_sqlite)
            self._tasks.append(asyncio.create_task(task, name="outbox"))

    async def _warm_up_then_settle(self) -> None:
        """Load what stays for good (the policy index), then set the collector for a long run."""
        try:
            await self.core.policy.warm(self.units)
        except Exception:
            log.exception("building the policy index failed; it will be built on the first question")
        settle_after_start()

    async def stop_background(self) -> None:
        if self._warm_up is not None:
            self._warm_up.cancel()
        if self.scheduler is not None:
            await self.scheduler.stop()
        self._stop.set()
        self.dispatcher.kick()
        for task in self._tasks:
            try:
                await asyncio.wait_for(task, timeout=5)
            except (TimeoutError, asyncio.CancelledError):
                task.cancel()
        self._tasks.clear()

    async def close(self) -> None:
        await self.stop_background()
        await self.db.dispose()


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
    app = App(settings, db, clock, units, Core(units, settings), dispatcher, gateways)
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


PROBE_SECONDS = 5.0


async def _probe(app: App) -> tuple[str, str | None]:
    """("ok" | "unreachable" | "read-only", cause): a read, then a write (the heartbeat row)."""
    try:
        async with asyncio.timeout(PROBE_SECONDS):
            async with unit_of_work(app) as uow:
                await uow.repo.program.first_start()
    except Exception as exc:
        return "unreachable", _cause(exc)
    try:
        async with asyncio.timeout(PROBE_SECONDS):
            async with unit_of_work(app) as uow:
                await uow.repo.program.heartbeat(uow.now)
    except Exception as exc:
        return "read-only", _cause(exc)
    return "ok", None


def _cause(exc: BaseException) -> str:
    """The database's own words for the failure, one line, without the statement or its values."""
    if isinstance(exc, TimeoutError):
        return f"no answer within {PROBE_SECONDS:g} s"
    orig = getattr(exc, "orig", None) or exc
    return (str(orig).strip().splitlines() or [type(orig).__name__])[0][:200]


async def healthz(request: web.Request) -> web.Response:
    """Readiness (also at /readyz): 200 only if the database can be read and written."""
    app: App = request.app["advocacy"]
    state, cause = await _probe(app)
    if state == "ok":
        return web.json_response({"status": "ok", "database": "ok", "platforms": sorted(app.gateways)})
    log.warning("readiness: database %s: %s", state, cause)
    return web.json_response({"status": "unavailable", "database": state, "cause": cause}, status=503)


async def livez(_: web.Request) -> web.Response:
    """Liveness: the process is up. For a container health check: a database outage must not restart it."""
    return web.json_response({"status": "alive"})


def create_web_app(app: App) -> web.Application:
    web_app = web.Application(client_max_size=1024 * 1024)
    web_app["advocacy"] = app
    web_app.router.add_get("/healthz", healthz)
    web_app.router.add_get("/readyz", healthz)
    web_app.router.add_get("/livez", livez)

    async def on_startup(_: web.Application) -> None:
        await app.start_background()

    async def on_cleanup(_: web.Application) -> None:
        await app.close()

    web_app.on_startup.append(on_startup)
    web_app.on_cleanup.append(on_cleanup)
    return web_app
