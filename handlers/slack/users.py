"""Who is behind a Slack user id: display name, locale and time zone from users.info, cached.

users.info is Tier 4 (100+ a minute); one lookup per person per hour is plenty. Lookups of the
same person at the same moment share one request. When Slack cannot say, or the paced client
would make this lookup wait its turn longer than `SLOW` seconds (a crowd joining at once), the
request's own name is used and the lookup is tried again a minute later: a reply never queues
behind other people's profile look-ups.
"""
from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict

from slack_sdk.web.async_client import AsyncWebClient

from bot.models import Actor
from handlers.slack.gateway import error_code
from handlers.slack.translate import PLATFORM

log = logging.getLogger(__name__)

TTL = 3600.0
FAILED_TTL = 60.0
SLOW = 1.0  # seconds a lookup may wait for its turn in the pace before the request's name is used
SIZE = 10_000


class UserDirectory:
    def __init__(self, client: AsyncWebClient, *, ttl: float = TTL, size: int = SIZE):
        self.client = client
        self.ttl = ttl
        self.size = size
        self._cache: OrderedDict[str, tuple[float, Actor]] = OrderedDict()
        self._pending: dict[str, asyncio.Future[Actor]] = {}

    async def actor(self, user_id: str, fallback_name: str | None = None) -> Actor:
        now = time.monotonic()
        hit = self._cache.get(user_id)
        if hit is not None and hit[0] > now:
            self._cache.move_to_end(user_id)
            return hit[1]
        pending = self._pending.get(user_id)
        if pending is not None:
            return await asyncio.shield(pending)
        future: asyncio.Future[Actor] = asyncio.get_running_loop().create_future()
        self._pending[user_id] = future
        try:
            actor, ttl = await self._lookup(user_id, fallback_name)
            self._remember(user_id, actor, ttl)
            future.set_result(actor)
            return actor
        except BaseException as exc:  # cancelled: let waiters retry on their own
            future.set_exception(exc)
            future.exception()  # consumed: no "never retrieved" warning
            raise
        finally:
            self._pending.pop(user_id, None)

    async def actor_within(self, user_id: str, seconds: float) -> Actor:
        """For an acknowledgement that cannot wait long: the profile if it is known or found within
        `seconds`, else just the id (the look-up goes on and is remembered for next time; the
        member's stored name and locale stand meanwhile)."""
        hit = self._cache.get(user_id)
        if hit is not None and hit[0] > time.monotonic():
            return hit[1]
        lookup = asyncio.ensure_future(self.actor(user_id))
        try:
            return await asyncio.wait_for(asyncio.shield(lookup), seconds)
        except TimeoutError:
            return Actor(PLATFORM, user_id)

    def _remember(self, user_id: str, actor: Actor, ttl: float) -> None:
        self._cache[user_id] = (time.monotonic() + ttl, actor)
        self._cache.move_to_end(user_id)
        while len(self._cache) > self.size:
            self._cache.popitem(last=False)

    async def _lookup(self, user_id: str, fallback_name: str | None) -> tuple[Actor, float]:
        delay = getattr(self.client, "delay", None)
        if delay is not None and delay("users.info") > SLOW:
            return Actor(PLATFORM, user_id, fallback_name or user_id), FAILED_TTL
        try:
            response = await self.client.users_info(user=user_id, include_locale=True)
            user = response.get("user") or {}
        except Exception as exc:  # the reply still goes out, under the name in the payload
            log.warning("users.info for %s failed: %s", user_id, error_code(exc))
            return Actor(PLATFORM, user_id, fallback_name or user_id), FAILED_TTL
        profile = user.get("profile") or {}
        name = (profile.get("display_name") or profile.get("real_name") or user.get("real_name")
                or user.get("name") or fallback_name or user_id)
        return Actor(PLATFORM, user_id, name, user.get("locale"), user.get("tz")), self.ttl
