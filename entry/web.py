"""The HTTP server's application: health routes, and the background started and stopped with it."""
from __future__ import annotations

import asyncio
import logging

from aiohttp import web

from bot.app import App
from bot.unit_of_work import unit_of_work
from entry.app import Background

log = logging.getLogger(__name__)

PROBE_SECONDS = 5.0
APP = web.AppKey("advocacy", App)  # the running bot, as the health routes find it


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
    app = request.app[APP]
    state, cause = await _probe(app)
    if state == "ok":
        async with unit_of_work(app) as uow:
            waiting = await uow.repo.inbox.depth()
        return web.json_response({"status": "ok", "database": "ok", "platforms": sorted(app.gateways),
                                  "inbox": waiting})
    log.warning("readiness: database %s: %s", state, cause)
    return web.json_response({"status": "unavailable", "database": state, "cause": cause}, status=503)


async def livez(_: web.Request) -> web.Response:
    """Liveness: the process is up. For a container health check: a database outage must not restart it."""
    return web.json_response({"status": "alive"})


def create_web_app(app: App) -> web.Application:
    web_app = web.Application(client_max_size=1024 * 1024)
    web_app[APP] = app
    web_app.router.add_get("/healthz", healthz)
    web_app.router.add_get("/readyz", healthz)
    web_app.router.add_get("/livez", livez)
    background = Background(app)

    async def on_startup(_: web.Application) -> None:
        await background.start()

    async def on_cleanup(_: web.Application) -> None:
        await background.stop()
        await app.db.dispose()

    web_app.on_startup.append(on_startup)
    web_app.on_cleanup.append(on_cleanup)
    return web_app
