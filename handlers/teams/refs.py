"""Conversation references: what it takes to message a chat later (the scheduler's digest, DMs).

Stored in `platform_refs` (platform `teams`) whenever the bot is installed or spoken to, newest wins
(a serviceUrl can change). Three kinds:

- `user`    key = member id (`29:…`): their personal chat with the bot;
- `channel` key = channel id (`19:…@thread.tacv2`, no `;messageid`): a channel or group chat;
- `member`  key = member id: where they were last seen (serviceUrl, tenant), enough to open a
            personal chat with them when they never wrote to the bot directly.

Writes happen only when something changed (an in-process cache), so a busy chat costs no writes.
"""
from __future__ import annotations

import logging
from typing import Any

from microsoft_agents.activity import Activity, ChannelAccount

from bot.unit_of_work import UnitOfWork, UnitsOfWork
from handlers.teams import translate

log = logging.getLogger(__name__)

PLATFORM = translate.PLATFORM
USER, CHANNEL, MEMBER = "user", "channel", "member"
CACHE_LIMIT = 50_000


def _account(account: ChannelAccount | None) -> dict[str, str]:
    out = {"id": account.id} if account is not None and account.id else {}
    if account is not None and account.name:
        out["name"] = account.name[:200]
    return out


def references(activity: Activity, channel_name: str | None = None) -> list[tuple[str, str, dict[str, Any]]]:
    """The references an inbound activity tells us about."""
    sender = activity.from_property
    if not activity.service_url or sender is None or not sender.id or translate.from_bot(activity):
        return []
    tenant = translate.tenant_of(activity)
    common: dict[str, Any] = {"serviceUrl": activity.service_url, "channelId": str(activity.channel_id or "msteams"),
                              "bot": _account(activity.recipient)}
    out: list[tuple[str, str, dict[str, Any]]] = []
    conv = activity.conversation
    if translate.is_personal(activity):
        conversation: dict[str, str | bool] = {"id": conv.id, "conversationType": "personal"}
        if tenant:
            conversation["tenantId"] = tenant
        out.append((USER, sender.id, {**common, "user": _account(sender), "conversation": conversation}))
    else:
        channel = translate.channel_of(conv.id)
        conversation = {"id": channel, "isGroup": True,
                        "conversationType": translate.extra(conv, "conversation_type") or "channel"}
        if tenant:
            conversation["tenantId"] = tenant
        data = {**common, "conversation": conversation}
        team = translate.team_of(activity)
        if team.get("id"):
            data["teamId"] = str(team["id"])
        if channel_name:
            data["name"] = channel_name
        out.append((CHANNEL, channel, data))
    member = {**common, "name": (sender.name or "")[:200]}
    if tenant:
        member["tenantId"] = tenant
    out.append((MEMBER, sender.id, member))
    return out


class References:
    def __init__(self, units: UnitsOfWork):
        self.units = units
        self._cache: dict[tuple[str, str], dict[str, Any]] = {}

    def _keep(self, kind: str, key: str, data: dict[str, Any]) -> None:
        if len(self._cache) >= CACHE_LIMIT:
            self._cache.clear()
        self._cache[(kind, key)] = data

    @staticmethod
    def _merge(kind: str, old: dict[str, Any] | None, data: dict[str, Any]) -> dict[str, Any]:
        """A channel or member keeps the name learnt earlier when this activity does not carry one
        (installation events, for one, come without the sender's name)."""
        if kind in (CHANNEL, MEMBER) and old and old.get("name") and not data.get("name"):
            return {**data, "name": old["name"]}
        return data

    async def remember(self, activity: Activity, channel_name: str | None = None) -> None:
        found = []
        for kind, key, data in references(activity, channel_name):
            cached = self._cache.get((kind, key))
            if cached is None or self._merge(kind, cached, data) != cached:
                found.append((kind, key, data, cached))
        if not found:
            return

        async def store(uow: UnitOfWork) -> list[tuple[str, str, dict[str, Any], bool]]:
            kept = []
            for kind, key, data, cached in found:
                stored = cached if cached is not None else await uow.repo.refs.get(PLATFORM, kind, key)
                merged = self._merge(kind, stored, data)
                if merged != stored:
                    await uow.repo.refs.put(PLATFORM, kind, key, merged, uow.now)
                kept.append((kind, key, merged, stored is None))
            return kept

        for kind, key, data, new in await self.units.run(store):
            if new and kind == MEMBER:  # how an admin finds ids for ADVOCACY_ADMINS
                log.info("Teams: first contact from %s, id %s", data.get("name") or "someone", key)
            self._keep(kind, key, data)

    async def get(self, kind: str, key: str) -> dict[str, Any] | None:
        cached = self._cache.get((kind, key))
        if cached is not None:
            return cached
        data = await self.units.run(lambda uow: uow.repo.refs.get(PLATFORM, kind, key))
        if data is not None:
            self._keep(kind, key, data)
        return data

    async def put(self, kind: str, key: str, data: dict[str, Any]) -> None:
        await self.units.run(lambda uow: uow.repo.refs.put(PLATFORM, kind, key, data, uow.now))
        self._keep(kind, key, data)

    def known_name(self, channel: str) -> str | None:
        cached = self._cache.get((CHANNEL, channel))
        return cached.get("name") if cached else None

    async def claim_program_channel(self, channel: str, name: str | None, configured: str | None) -> bool:
        """Where the bot is first installed in a team becomes the suggestions channel, until an admin
        says `use this channel` somewhere (or ADVOCACY_CHANNEL names a Teams channel)."""
        if configured and configured.startswith("19:"):
            return False
        async def claim(uow: UnitOfWork) -> bool:
            if await uow.repo.channels.get(PLATFORM) is not None:
                return False
            await uow.repo.channels.set(PLATFORM, channel, name, None, uow.now)
            return True

        if not await self.units.run(claim):
            return False
        log.info("Teams: suggestions will go to %s until an admin chooses a channel", name or channel)
        return True
