"""Every call to the Bot Framework connector goes through `Connector.call`: one aiohttp session for
the life of the process (the SDK opens a new one, and a new TCP/TLS connection, on every turn),
the bearer token cached until shortly before it expires, and a few quick retries with jittered
backoff on 429 (honouring `Retry-After`) and on 412/500/502/503/504 — the SDK retries nothing.
What still fails is raised as `ConnectorError`; the gateway maps it to the core's DeliveryError.
"""
from __future__ import annotations

import asyncio
import email.utils
import logging
import random
import time
from typing import Any
from urllib.parse import quote

import aiohttp
from yarl import URL

log = logging.getLogger(__name__)

RETRYABLE = frozenset({412, 429, 500, 502, 503, 504})
ATTEMPTS = 3                 # one call and two quick retries …
BASE_DELAY = 0.2             # … 0.2 s, then 0.4 s (with jitter) …
MAX_INLINE_WAIT = 2.0        # … and never waiting longer inline: the outbox comes back later
TIMEOUT = aiohttp.ClientTimeout(total=15, connect=5)
TOKEN_MARGIN = 300.0         # refresh the token five minutes before it expires
BOT_FRAMEWORK = "https://api.botframework.com"
SCOPE = BOT_FRAMEWORK + "/.default"
USER_AGENT = "advocacy-bot (agents-sdk-py/1.9.0)"
_SAFE = ":@;=,+!$&'()*-._~"  # what Teams ids contain; '/', '?', '#', '%' and spaces get encoded


class ConnectorError(Exception):
    """The connector said no (`status`), or could not be reached (`status` 0)."""

    def __init__(self, status: int, what: str, *, retry_after: float | None = None, detail: str = ""):
        super().__init__(f"{what}: " + (f"HTTP {status}" if status else "connection failed")
                         + (f" ({detail})" if detail else ""))
        self.status = status
        self.retry_after = retry_after
        self.detail = detail

    @property
    def transient(self) -> bool:
        return self.status == 0 or self.status in RETRYABLE


def retry_after_seconds(value: str | None) -> float | None:
    """`Retry-After` as seconds (a number, fractions allowed) or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def backoff(attempt: int) -> float:
    return BASE_DELAY * (2.0 ** attempt) * (0.75 + random.random() / 2)


class TokenSource:
    """The bot's own token for the connector (client credentials through MSAL), cached."""

    def __init__(self, app_id: str, password: str, tenant_id: str):
        from microsoft_agents.authentication.msal import MsalAuth
        from microsoft_agents.hosting.core import AgentAuthConfiguration
        from microsoft_agents.hosting.core.authorization.auth_types import AuthTypes

        config = AgentAuthConfiguration(AuthTypes.client_secret, client_id=app_id, tenant_id=tenant_id,
                                        client_secret=password)
        self._msal = MsalAuth(config)
        self._token: str | None = None
        self._expires = 0.0
        self._lock = asyncio.Lock()

    async def token(self) -> str:
        if self._token and time.time() < self._expires - TOKEN_MARGIN:
            return self._token
        async with self._lock:
            if self._token and time.time() < self._expires - TOKEN_MARGIN:
                return self._token
            getter = getattr(self._msal, "_get_access_token", None)
            if getter is not None:
                access = await getter(BOT_FRAMEWORK, [SCOPE])
                self._token, self._expires = access.token, float(access.expires_on)
            else:  # pragma: no cover - older or newer SDKs
                self._token, self._expires = await self._msal.get_access_token(BOT_FRAMEWORK, [SCOPE]), \
                    time.time() + 1800
            return self._token

    def invalidate(self) -> None:
        self._token, self._expires = None, 0.0


def conversation_path(conversation_id: str) -> str:
    return "v3/conversations/" + quote(conversation_id, safe=_SAFE)


class Connector:
    def __init__(self, tokens: TokenSource | None = None, *, attempts: int = ATTEMPTS):
        self.tokens = tokens
        self.attempts = attempts
        self._session: aiohttp.ClientSession | None = None

    @property
    def session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                timeout=TIMEOUT, headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
                connector=aiohttp.TCPConnector(limit=64, ttl_dns_cache=300))
        return self._session

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def _headers(self) -> dict[str, str]:
        if self.tokens is None:
            return {}
        try:
            return {"Authorization": "Bearer " + await self.tokens.token()}
        except Exception as exc:  # MSAL said no (wrong secret, tenant) or could not be reached
            raise ConnectorError(0, "getting a Bot Framework token", detail=type(exc).__name__) from None

    async def call(self, method: str, service_url: str, path: str, body: Any = None, *,
                   params: dict[str, str] | None = None, what: str = "") -> Any:
        """One connector call with quick retries. Returns the parsed JSON answer (or None)."""
        url = URL(service_url.rstrip("/") + "/" + path, encoded=True)
        if params:
            url = url.with_query(params)
        what = what or f"{method} {path.split('/', 2)[1] if '/' in path else path}"
        refreshed = False
        attempt = 0
        while True:
            try:
                headers = await self._headers()
                async with self.session.request(method, url, json=body, headers=headers) as response:
                    if response.status < 300:
                        if response.content_length == 0 or response.status == 204:
                            return None
                        try:
                            return await response.json(content_type=None)
                        except ValueError:
                            return None
                    detail = (await response.text(errors="replace"))[:200].replace("\n", " ")
                    error = ConnectorError(response.status, what, detail=detail,
                                           retry_after=retry_after_seconds(response.headers.get("Retry-After")))
            except (aiohttp.ClientError, asyncio.TimeoutError, OSError) as exc:
                error = ConnectorError(0, what, detail=type(exc).__name__)
            if error.status == 401 and self.tokens is not None and not refreshed:
                self.tokens.invalidate()  # the cached token may have been revoked: one fresh try
                refreshed = True
                continue
            attempt += 1
            if not error.transient or attempt >= self.attempts:
                raise error
            delay = error.retry_after if error.retry_after is not None else backoff(attempt - 1)
            if delay > MAX_INLINE_WAIT:
                raise error
            log.info("%s: %s, trying again in %.2fs", what, error.status or "connection failed", delay)
            await asyncio.sleep(delay)

    # the calls the bot makes -------------------------------------------------------------------------

    async def send(self, service_url: str, conversation_id: str, activity: dict[str, Any], *,
                   reply_to: str | None = None, targeted: bool = False) -> str:
        path = conversation_path(conversation_id) + "/activities"
        if reply_to:
            path += "/" + quote(reply_to, safe=_SAFE)
        answer = await self.call("POST", service_url, path, activity, what="send",
                                 params={"isTargetedActivity": "true"} if targeted else None)
        return str((answer or {}).get("id") or "")

    async def update(self, service_url: str, conversation_id: str, activity_id: str,
                     activity: dict[str, Any]) -> None:
        path = f"{conversation_path(conversation_id)}/activities/{quote(activity_id, safe=_SAFE)}"
        await self.call("PUT", service_url, path, {**activity, "id": activity_id}, what="update")

    async def delete(self, service_url: str, conversation_id: str, activity_id: str) -> None:
        path = f"{conversation_path(conversation_id)}/activities/{quote(activity_id, safe=_SAFE)}"
        await self.call("DELETE", service_url, path, what="delete")

    async def create_conversation(self, service_url: str, parameters: dict[str, Any]) -> str:
        answer = await self.call("POST", service_url, "v3/conversations", parameters, what="create conversation")
        conversation_id = (answer or {}).get("id")
        if not conversation_id:
            raise ConnectorError(502, "create conversation", detail="no conversation id in the answer")
        return str(conversation_id)

    async def team_channels(self, service_url: str, team_id: str) -> list[dict[str, Any]]:
        answer = await self.call("GET", service_url, f"v3/teams/{quote(team_id, safe=_SAFE)}/conversations",
                                 what="team channels")
        channels = (answer or {}).get("conversations") if isinstance(answer, dict) else None
        return [c for c in channels or [] if isinstance(c, dict) and c.get("id")]
