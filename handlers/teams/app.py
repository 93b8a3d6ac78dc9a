"""The Teams adapter wired into `advocacy serve`: the Agents SDK's CloudAdapter at POST /api/messages
on the same aiohttp server, the Bot Framework token check on that route only."""
from __future__ import annotations

import ipaddress
import json
import logging
from typing import TypeGuard
from urllib.parse import urlsplit
from uuid import uuid4

import pydantic
from aiohttp import web
from aiohttp.typedefs import Handler
from microsoft_agents.activity import Activity
from microsoft_agents.hosting.aiohttp import CloudAdapter, jwt_authorization_decorator
from microsoft_agents.hosting.core import AgentAuthConfiguration, ClaimsIdentity, TurnContext
from microsoft_agents.hosting.core.authorization.auth_types import AuthTypes

from bot.app import App
from handlers.teams import redact
from handlers.teams.clients import ClientFactory
from handlers.teams.config import TeamsSettings
from handlers.teams.connector import Connector, TokenSource
from handlers.teams.gateway import TeamsGateway
from handlers.teams.listeners import TeamsAgent
from handlers.teams.refs import References

log = logging.getLogger(__name__)

PATH = "/api/messages"
CONTINUATION = "ContinueConversation"


def auth_configuration(settings: TeamsSettings) -> AgentAuthConfiguration:
    if settings.credentials is not None:
        app_id, password, tenant_id = settings.credentials
        return AgentAuthConfiguration(AuthTypes.client_secret, client_id=app_id, tenant_id=tenant_id,
                                      client_secret=password, anonymous_allowed=False)
    return AgentAuthConfiguration(anonymous_allowed=True)


async def on_turn_error(context: TurnContext, error: Exception) -> None:
    """Replaces the SDK's handler, which posts "Exception caught : …" into the chat and swallows
    the error. Here: a log line, nothing in the chat; a proactive turn's error goes to its caller."""
    activity = context.activity
    if activity is not None and activity.type == "event" and activity.name == CONTINUATION:
        raise error
    log.error("Teams: a %s turn failed: %s: %s", getattr(activity, "type", "?"), type(error).__name__,
              str(error)[:300], exc_info=not isinstance(error, (ConnectionError, TimeoutError)))


def _text(value: object) -> TypeGuard[str]:
    return isinstance(value, str) and bool(value.strip())


def problem(body: object) -> str | None:
    """What makes an activity unusable, before the SDK sees it (it would answer 500 to some)."""
    if not isinstance(body, dict):
        return "the body must be a JSON object (an activity)"
    if not _text(body.get("type")):
        return "the activity has no type"
    conversation = body.get("conversation")
    if not isinstance(conversation, dict) or not _text(conversation.get("id")):
        return "the activity has no conversation.id"
    sender = body.get("from")
    if not isinstance(sender, dict) or not _text(sender.get("id")):
        return "the activity has no from.id"
    url = body.get("serviceUrl")
    if not _text(url) or urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname:
        return "the activity has no usable serviceUrl"
    for key, kind in (("channelData", dict), ("entities", list), ("attachments", list), ("recipient", dict),
                      ("membersAdded", list), ("membersRemoved", list), ("reactionsAdded", list),
                      ("reactionsRemoved", list)):
        if body.get(key) is not None and not isinstance(body[key], kind):
            return f"{key} has the wrong shape"
    for key in ("text", "id", "replyToId", "name", "locale", "action"):
        if body.get(key) is not None and not isinstance(body[key], str):
            return f"{key} must be a string"
    return None


def loopback(url: str | None) -> bool:
    """Whether a serviceUrl points at this machine (the Emulator's): localhost or a loopback address."""
    host = (urlsplit(url or "").hostname or "").lower().rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def messages_endpoint(adapter: CloudAdapter, agent: TeamsAgent, *, anonymous: bool = False) -> Handler:
    """`anonymous`: no token is checked (the Emulator), so only a loopback serviceUrl is served: the bot
    would otherwise POST to, and remember, any address an unauthenticated caller names."""
    async def api_messages(request: web.Request) -> web.Response:
        raw = await request.read()
        try:
            body = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            return web.json_response({"error": "the body is not JSON"}, status=400)
        why = problem(body)
        if why is None:
            try:
                activity = Activity.model_validate(body)
            except pydantic.ValidationError as exc:
                why = f"the activity does not match the schema ({exc.error_count()} problems)"
        if why is not None:
            log.info("Teams: rejected an activity: %s", why)
            return web.json_response({"error": why}, status=400)
        if anonymous and not loopback(activity.service_url):
            log.warning("Teams: refused an unauthenticated activity whose serviceUrl is not on this machine "
                        "(anonymous mode serves the local Emulator only)")
            return web.json_response({"error": "anonymous mode accepts only a loopback serviceUrl"}, status=403)
        activity.request_id = str(uuid4())
        claims: ClaimsIdentity = request.get("claims_identity") or ClaimsIdentity()
        if not service_url_matches(claims, activity):
            log.warning("Teams: refused an activity whose serviceUrl is not the one its token was issued for")
            return web.json_response({"error": "serviceUrl does not match the token"}, status=401)
        try:
            response = await adapter.process_activity(claims, activity, agent.on_turn)
        except PermissionError:  # what the SDK raises for a caller it will not serve
            return web.json_response({"error": "not allowed"}, status=401)
        if activity.type == "invoke" or activity.delivery_mode == "expectReplies":
            if response is None:
                return web.json_response(None, status=501)
            return web.json_response(response.body, status=int(response.status or 200))
        return web.Response(status=202)

    return api_messages


def service_url_matches(claims: ClaimsIdentity, activity: Activity) -> bool:
    """Bot Framework tokens name the serviceUrl they were issued for; the bot sends its own token
    to the activity's serviceUrl, so a token replayed with another address must not pass."""
    claimed = claims.get_claim_value("serviceurl") if claims.claims else None
    if not claimed:
        return True
    host = (urlsplit(str(claimed)).hostname or "").lower()
    return bool(host) and host == (urlsplit(activity.service_url or "").hostname or "").lower()


def guarded(handler: Handler) -> Handler:
    """The SDK's token check on this route only; a token it cannot even read (no `kid`, say) is a
    401 too, never a 500."""
    async def entered(request: web.Request) -> web.StreamResponse:
        request["teams.entered"] = True
        return await handler(request)

    check: Handler = jwt_authorization_decorator(entered)

    async def api_messages(request: web.Request) -> web.StreamResponse:
        try:
            return await check(request)
        except Exception as exc:
            if request.get("teams.entered"):
                raise
            log.warning("Teams: a request's token could not be read (%s)", type(exc).__name__)
            return web.json_response({"error": "Invalid token or authentication failed."}, status=401)

    return api_messages


def status_line(settings: TeamsSettings) -> str:
    reactions = ", ".join(sorted(settings.share_reactions))
    targeted = "; private replies as targeted messages" if settings.targeted_replies else ""
    if settings.has_credentials:
        return (f"Teams is on: POST {PATH}, Bot Framework token required (app id {settings.app_id}); "
                f"reactions that count as shared: {reactions}{targeted}")
    return (f"Teams is on in LOCAL ANONYMOUS MODE (ADVOCACY_DEV=1 and no MICROSOFT_APP_ID): POST {PATH} "
            "takes requests without a token, for the Bot Framework Emulator only (a loopback serviceUrl); "
            f"never run it like this in production. Reactions that count as shared: {reactions}{targeted}")


class _QuietSchemaErrors(logging.Filter):
    """The SDK logs an ERROR with a traceback for every activity that fails its schema; such a
    request is answered 400 and logged in one line here instead (no log flooding from outside)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Validation error for Activity")


async def setup_teams(app: App, web_app: web.Application, settings: TeamsSettings) -> str:
    redact.install(settings.secrets)
    schema_log = logging.getLogger("microsoft_agents.activity.activity")
    if not any(isinstance(f, _QuietSchemaErrors) for f in schema_log.filters):
        schema_log.addFilter(_QuietSchemaErrors())
    if logging.getLogger().level > logging.DEBUG:  # the SDK's INFO lines are per call; keep them for DEBUG
        logging.getLogger("microsoft_agents").setLevel(logging.WARNING)
    credentials = settings.credentials
    tokens = TokenSource(*credentials) if credentials is not None else None
    connector = Connector(tokens)
    refs = References(app.units)
    gateway = TeamsGateway(connector, refs)
    agent = TeamsAgent(app, settings, connector, refs, gateway)
    adapter = CloudAdapter(channel_service_client_factory=ClientFactory(connector))
    adapter.on_turn_error = on_turn_error
    web_app["agent_configuration"] = auth_configuration(settings)  # the SDK's guard reads this key
    web_app.router.add_post(PATH, guarded(messages_endpoint(adapter, agent, anonymous=settings.anonymous)))
    app.add_gateway(gateway)
    web_app["teams"] = {"adapter": adapter, "agent": agent, "connector": connector, "gateway": gateway}

    async def on_cleanup(_: web.Application) -> None:
        await connector.close()

    web_app.on_cleanup.append(on_cleanup)
    return status_line(settings)
