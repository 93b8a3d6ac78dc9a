"""Socket Mode: Slack's events come over a WebSocket the bot opens, so no public URL is needed.

The connection URL comes from apps.connections.open on `SLACK_API_URL` (app-level token), through
the same client and retry handlers as every other call. Connecting runs in the background: `serve`
starts even while Slack is away, and slack_sdk keeps trying (and reconnects after a drop).
"""
from __future__ import annotations

import asyncio
import logging

from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp

from handlers.slack.gateway import error_code

log = logging.getLogger(__name__)


class SocketMode:
    def __init__(self, bolt: AsyncApp, app_token: str):
        self.handler = AsyncSocketModeHandler(bolt, app_token, logger=logging.getLogger("handlers.slack.socket"))
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._connect(), name="slack-socket-mode")

    async def _connect(self) -> None:
        try:
            await self.handler.connect_async()
            log.info("Slack Socket Mode connected")
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.error("Slack Socket Mode stopped trying to connect: %s", error_code(exc))

    async def stop(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
        try:
            await self.handler.close_async()
        except Exception as exc:
            log.info("closing Socket Mode: %s", error_code(exc))
