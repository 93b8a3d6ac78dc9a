"""Chat adapters. Each platform module exposes `setup(app, web_app) -> str | None` that adds its
routes and gateway when its settings are present and returns a one-line status for the log."""
from __future__ import annotations

import importlib
import logging

from aiohttp import web

log = logging.getLogger(__name__)

SERVED_PLATFORMS: tuple[str, ...] = ()


async def setup_all(app, web_app: web.Application) -> list[str]:
    """Let every platform adapter attach itself; return their status lines."""
    lines = []
    for name in SERVED_PLATFORMS:
        module = importlib.import_module(f"handlers.{name}")
        lines.append(await module.setup(app, web_app))
    return lines
