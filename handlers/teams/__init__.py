"""Microsoft Teams adapter: Bot Framework activities at POST /api/messages (Microsoft 365 Agents SDK).

`setup(app, web_app)` switches Teams on with `MICROSOFT_APP_ID`, `MICROSOFT_APP_PASSWORD` and
`MICROSOFT_APP_TENANT_ID`; with none of them and `ADVOCACY_DEV=1` it runs in local anonymous mode
for the Bot Framework Emulator; otherwise `serve` runs without it and says so. The SDK is imported
only when Teams is on.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from aiohttp import web

from handlers.teams.config import load_teams_settings

if TYPE_CHECKING:  # the running bot, built by the start-up code; imported only when the adapter is on
    from bot.app import App

# Users (29:…) and channels (19:…@thread…) as Bot Framework activities carry them.
ID_SHAPE = re.compile(r"29:\S+|19:\S+@thread\.\S+")


async def setup(app: App, web_app: web.Application) -> str:
    settings = load_teams_settings(app.settings.env, dev=app.settings.dev_mode)
    if not settings.enabled:
        return ("Teams is off: set MICROSOFT_APP_ID, MICROSOFT_APP_PASSWORD and MICROSOFT_APP_TENANT_ID "
                "(or, for the Bot Framework Emulator, ADVOCACY_DEV=1 with none of them)")
    from handlers.teams.app import setup_teams

    return await setup_teams(app, web_app, settings)
