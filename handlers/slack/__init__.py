"""Slack adapter: Events API, slash command, interactivity and App Home over HTTP or Socket Mode.

`setup(app, web_app)` switches Slack on when `SLACK_BOT_TOKEN` and `SLACK_SIGNING_SECRET` (or, for
Socket Mode, `SLACK_APP_TOKEN`) are set; otherwise `serve` runs without it and says so.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from aiohttp import web

from handlers.slack.config import load_slack_settings

if TYPE_CHECKING:  # the running bot, built by the start-up code; imported only when the adapter is on
    from bot.app import App

# Users (U…, W… on Enterprise Grid), channels (C…, G…) and direct messages (D…), in upper case.
ID_SHAPE = re.compile(r"[UWCGD][A-Z0-9_]{2,}")


async def setup(app: App, web_app: web.Application) -> str:
    settings = load_slack_settings(app.settings.env)
    if not settings.enabled:
        return ("Slack is off: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET "
                "(or SLACK_BOT_TOKEN and SLACK_APP_TOKEN for Socket Mode) to switch it on")
    from handlers.slack.app import setup_slack

    return await setup_slack(app, web_app, settings)
