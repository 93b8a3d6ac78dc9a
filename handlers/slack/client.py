"""The one Web API client: every Slack call goes to `SLACK_API_URL`, over one pooled session, paced.

`PacedWebClient` waits in a shared `Pacer` before each call, by Slack's published limits:
chat.postMessage about one a second per channel after a burst of two, and a workspace-wide pace
that starts at `SLACK_MESSAGES_PER_SECOND` and adapts to the 429s received (`bot/pacing.py`); the
other methods by their tier (users.info 100 a minute, conversations.history 50 …). A 429 is never
retried blindly: its `Retry-After` holds every later call of the same scope (the channel when that
channel had another post within the last second, otherwise the whole method), and the error goes
back to the caller (the outbox reschedules the send). 500/503 are retried by slack_sdk's handler;
a dropped connection only where repeating the call cannot double a message.
"""
from __future__ import annotations

import logging
from typing import Any

import aiohttp
from aiohttp import ClientConnectorError
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web.async_client import AsyncWebClient

from bot.config import reveal
from bot.pacing import Pacer
from handlers.slack.config import SlackSettings

TIMEOUT = 30
POST = "chat.postMessage"
NOT_REPEATABLE = (POST, "chat.postEphemeral", "chat.scheduleMessage")
PER_CHANNEL = (1.0, 2.0)  # chat.postMessage / chat.update: one a second per channel, after a burst of two
WORKSPACE_BURST_SECONDS = 0.25  # the adaptive workspace pace saves up at most this much
# Per method and workspace, in calls a minute and a burst (Slack's tiers: 2 = 20+, 3 = 50+, 4 = 100+).
TIERS: dict[str, tuple[float, float]] = {
    "users.info": (100, 20),
    "chat.update": (50, 10),
    "chat.postEphemeral": (100, 20),
    "conversations.history": (50, 10),
    "conversations.open": (50, 10),
    "views.open": (100, 20),
    "views.update": (100, 20),
    "views.publish": (100, 20),
}


class _ConnectionRetry(AsyncConnectionErrorRetryHandler):
    """Retry a dropped connection, except a post the server may already have taken: that one is
    looked up (`find_sent`) instead, or it could appear twice."""

    async def _can_retry_async(self, *, state: RetryState, request: HttpRequest, response: HttpResponse | None = None,
                               error: Exception | None = None) -> bool:
        if request.url.rstrip("/").endswith(NOT_REPEATABLE) and not isinstance(error, ClientConnectorError):
            return False
        return await super()._can_retry_async(state=state, request=request, response=response, error=error)


def retry_handlers() -> list[AsyncRetryHandler]:
    return [_ConnectionRetry(max_retry_count=2), AsyncServerErrorRetryHandler(max_retry_count=2)]


def sdk_logger() -> logging.Logger:
    """slack_sdk builds its debug lines whenever its logger's own level is unset; give it one."""
    logger = logging.getLogger("handlers.slack.web")
    logger.setLevel(max(logging.getLogger().getEffectiveLevel(), logging.INFO))
    return logger


def new_session() -> aiohttp.ClientSession:
    return aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=TIMEOUT),
                                 connector=aiohttp.TCPConnector(limit=64, ttl_dns_cache=300))


def retry_after(exc: SlackApiError) -> float | None:
    headers = getattr(exc.response, "headers", None) or {}
    for name, value in headers.items():
        if name.lower() == "retry-after":
            value = value[0] if isinstance(value, (list, tuple)) else value
            try:
                return max(0.0, float(value))
            except (TypeError, ValueError):
                return None
    return None


def is_rate_limited(exc: BaseException) -> bool:
    if not isinstance(exc, SlackApiError):
        return False
    return getattr(exc.response, "status_code", 200) == 429 or exc.response.get("error") == "ratelimited"


class PacedWebClient(AsyncWebClient):
    """AsyncWebClient that waits its turn in the pacer and turns 429s into holds."""

    def __init__(self, *args: Any, pacer: Pacer, messages_per_second: float, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.pacer = pacer
        self.messages_per_second = messages_per_second
        self.rate_limited = 0
        pacer.adaptive(f"slack:{POST}", messages_per_second,
                       max(1.0, messages_per_second * WORKSPACE_BURST_SECONDS))

    def names(self, method: str, channel: str | None) -> list[str]:
        """The buckets (and holds) a call waits on."""
        names = []
        if channel and method in (POST, "chat.update"):
            self.pacer.bucket(f"slack:channel:{channel}", *PER_CHANNEL)
            names.append(f"slack:channel:{channel}")
        if method in TIERS:
            per_minute, burst = TIERS[method]
            self.pacer.bucket(f"slack:{method}", per_minute / 60, burst)
        names.append(f"slack:{method}")
        return names

    def delay(self, method: str, channel: str | None = None) -> float:
        """How long a call made now would wait for its turn (users.info uses it to decide whether
        to wait or answer under the name in the request)."""
        return self.pacer.delay(self.names(method, channel))

    async def api_call(self, api_method: str, *, http_verb: str = "POST", files: dict[str, Any] | None = None,
                       data: Any = None, params: dict[str, Any] | None = None, json: dict[str, Any] | None = None,
                       headers: dict[str, str] | None = None, auth: dict[str, str] | None = None) -> Any:
        channel = next((str(d["channel"]) for d in (json, data, params) if isinstance(d, dict) and d.get("channel")),
                       None)
        names = self.names(api_method, channel)
        await self.pacer.wait(names)
        try:
            return await super().api_call(api_method, http_verb=http_verb, files=files, data=data, params=params,
                                          json=json, headers=headers, auth=auth)
        except SlackApiError as exc:
            if is_rate_limited(exc):
                self.rate_limited += 1
                self.pacer.hold(self._charged(api_method, channel), retry_after(exc) or 1.0)
            raise

    def _charged(self, method: str, channel: str | None) -> str:
        """Slack does not say which limit a 429 is for. A post to a channel that had another post
        within the last second hit the channel's limit; otherwise the method's (workspace) limit."""
        if channel and method == POST:
            bucket = self.pacer.buckets.get(f"slack:channel:{channel}")
            if bucket is not None and bucket.spent() > 1.0 + 1e-6:
                return f"slack:channel:{channel}"
        return f"slack:{method}"


def web_client(settings: SlackSettings, session: aiohttp.ClientSession | None = None,
               pacer: Pacer | None = None) -> PacedWebClient:
    return PacedWebClient(token=reveal(settings.bot_token), base_url=settings.api_url, timeout=TIMEOUT,
                          session=session, retry_handlers=retry_handlers(), logger=sdk_logger(),
                          pacer=pacer or Pacer(scale=settings.rate_scale),
                          messages_per_second=settings.messages_per_second)
