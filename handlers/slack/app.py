"""The Slack adapter wired into `advocacy serve`: a Bolt AsyncApp on the same aiohttp server,
every request at POST /slack/events, Socket Mode when an app-level token is set."""
from __future__ import annotations

import asyncio
import logging

from aiohttp import web
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.errors import SlackApiError

from bot.app import App
from bot.config import reveal
from handlers.slack import client as slack_client
from handlers.slack import redact
from handlers.slack.config import SlackSettings
from handlers.slack.gateway import SlackGateway
from handlers.slack.http import PATH, events_endpoint
from handlers.slack.listeners import SlackListeners
from handlers.slack.reply import Responder
from handlers.slack.socket_mode import SocketMode

log = logging.getLogger(__name__)

DRAIN_SECONDS = 5.0
TOKEN_CHECK_SECONDS = 10.0
# auth.test errors that mean the token itself is no good (any other failure leaves it unchecked)
REJECTED = {"invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired"}


class _TokenInClient(logging.Filter):
    """Bolt also reads SLACK_BOT_TOKEN from the environment and warns that the client's wins: it does."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


async def check_token(client: AsyncWebClient) -> tuple[bool | None, str]:
    """Ask Slack (auth.test) whether the bot token works: (True, "team …, bot …") when it does,
    (False, the error) when Slack rejects it, (None, the cause) when Slack could not be asked.
    Never raises: a token check must not stop start-up."""
    try:
        answer = await asyncio.wait_for(client.auth_test(), TOKEN_CHECK_SECONDS)
    except SlackApiError as exc:
        error = str(exc.response.get("error") or f"HTTP {exc.response.status_code}")
        return (False if error in REJECTED else None), error
    except TimeoutError:
        return None, f"no answer within {TOKEN_CHECK_SECONDS:g} s"
    except Exception as exc:  # noqa: BLE001 (a network failure of any kind: say it and serve on)
        return None, f"{type(exc).__name__}: {exc}"
    return True, f"team {answer.get('team')} ({answer.get('team_id')}), bot @{answer.get('user')}"


def build_bolt(settings: SlackSettings, client: AsyncWebClient) -> AsyncApp:
    logger = logging.getLogger("handlers.slack.bolt")
    quiet = _TokenInClient()
    logger.addFilter(quiet)
    try:
        return AsyncApp(
            client=client,
            signing_secret=reveal(settings.signing_secret) or "",
            process_before_response=False,
            request_verification_enabled=True,
            logger=logger,
        )
    finally:
        logger.removeFilter(quiet)


async def setup_slack(app: App, web_app: web.Application, settings: SlackSettings) -> str:
    redact.install(settings.secrets)
    session = slack_client.new_session()
    client = slack_client.web_client(settings, session)
    bolt = build_bolt(settings, client)
    responder = Responder(client, session)
    listeners = SlackListeners(app, client, responder, settings.share_emoji)
    listeners.register(bolt)
    app.add_gateway(SlackGateway(client, responder))
    web_app["slack"] = {"bolt": bolt, "listeners": listeners, "client": client}

    modes = []
    if settings.signing_secret is not None:
        web_app.router.add_post(PATH, events_endpoint(bolt, reveal(settings.signing_secret)))
        modes.append(f"HTTP at POST {PATH}")
    socket = SocketMode(bolt, reveal(settings.app_token)) if settings.app_token is not None else None
    if socket is not None:
        modes.append("Socket Mode")
        web_app["slack"]["socket"] = socket

    async def on_startup(_: web.Application) -> None:
        if socket is not None:
            socket.start()

    async def on_shutdown(_: web.Application) -> None:
        if socket is not None:
            await socket.stop()
        await listeners.drain(DRAIN_SECONDS)

    async def on_cleanup(_: web.Application) -> None:
        await session.close()

    web_app.on_startup.append(on_startup)
    web_app.on_shutdown.append(on_shutdown)
    web_app.on_cleanup.append(on_cleanup)
    api = f"Web API at {settings.api_url}; share emoji :{settings.share_emoji}:"
    where = f"{', '.join(modes)}; {api}"
    works, said = await check_token(client)
    if works is False:
        log.warning("Slack bot token rejected by Slack (%s): check SLACK_BOT_TOKEN", said)
        return f"Slack waits for a bot token Slack accepts (set SLACK_BOT_TOKEN and restart): {where}"
    if works is None:
        log.warning("could not check the Slack bot token at %s (%s): serving on, unchecked", settings.api_url, said)
        return f"Slack is on, its token unchecked: {where}"
    return f"Slack is on: {', '.join(modes)}; {said}; {api}"
