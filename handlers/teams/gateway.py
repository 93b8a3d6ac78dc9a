"""`ChatGateway` for Teams: the outbox's sends, through the stored conversation references.

- a channel address is a channel id: a new top-level post in that channel (the reference is kept
  without `;messageid=…`, so it does not land in some old thread);
- a direct address is a member id (`29:…`): their personal chat with the bot, opened with
  `POST v3/conversations` if they never wrote to it but were seen in a team; if neither, or Teams
  answers 403 (app not installed for them, or blocked), `RecipientUnreachable`, never retried;
- update is a PUT of the activity the post returned (the message ref is that activity id, which is
  also what a reaction's `replyToId` names).

429 and 5xx were already retried a few times in `Connector.call`; what remains becomes a
`DeliveryError` with the `Retry-After` seconds, and the outbox reschedules.
"""
from __future__ import annotations

import logging
from typing import Any

from bot.errors import DeliveryError, NotInChannel, RecipientUnreachable
from bot.models import Address, ConversationKind, Message
from bot.ports import Capability
from handlers.teams import render
from handlers.teams.connector import Connector, ConnectorError
from handlers.teams.refs import CHANNEL, MEMBER, USER, References
from handlers.teams.translate import PLATFORM

log = logging.getLogger(__name__)

# Bot API limits per conversation: 7 sends a second, 60 in 30 s; 30 a second per app and tenant.
PER_CONVERSATION = (2.0, 7.0)
PER_APP = (30.0, 30.0)


def delivery_error(exc: ConnectorError, address: Address, op: str) -> DeliveryError:
    where = address.label()
    status = exc.status
    text = f"Teams {op} to {where}: " + (f"HTTP {status}" if status else "connection failed")
    if exc.transient:
        reason = "ratelimited" if status == 429 else (f"http_{status}" if status else "connection")
        return DeliveryError(text, retry_after=exc.retry_after, reason=reason)
    if status == 404 and op == "update":
        return DeliveryError(text + " (message gone)", permanent=True, reason="message_not_found")
    if status in (403, 404):
        if address.kind == ConversationKind.DIRECT:
            return RecipientUnreachable(text, reason=f"http_{status}")
        return NotInChannel(text, channel=where)
    if status == 401:
        return DeliveryError(text + " (check MICROSOFT_APP_ID / _PASSWORD / _TENANT_ID)", reason="unauthorized")
    if 400 <= status < 500:
        return DeliveryError(text, permanent=True, reason=f"http_{status}")
    return DeliveryError(text, reason=f"http_{status}")


def addressed(ref: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
    out = {**body, "channelId": ref.get("channelId", "msteams"), "serviceUrl": ref["serviceUrl"],
           "conversation": ref["conversation"]}
    if ref.get("bot"):
        out["from"] = ref["bot"]
    if ref.get("user"):
        out["recipient"] = ref["user"]
    return out


class TeamsGateway:
    platform = PLATFORM
    # No FIND_SENT: reading a conversation back needs Graph, so a post left unconfirmed is sent again.
    capabilities = Capability.UPDATE | Capability.RATE_LIMITS

    def __init__(self, connector: Connector, refs: References):
        self.connector = connector
        self.refs = refs

    def rate_limits(self, address: Address) -> list[tuple[str, float, float]]:
        return [(f"teams:conversation:{address.conversation_id}", *PER_CONVERSATION), ("teams:app", *PER_APP)]

    async def post(self, address: Address, message: Message, key: str | None = None) -> str:
        if render.is_empty(message):
            return ""
        ref = await self._reference(address)
        sent = []  # a message too large for one Teams message goes as several, in order
        for body in render.message_bodies(message):
            try:
                sent.append(await self.connector.send(ref["serviceUrl"], ref["conversation"]["id"],
                                                      addressed(ref, body)))
            except ConnectorError as exc:
                raise delivery_error(exc, address, "post") from None
        return sent[0]

    async def update(self, address: Address, message_ref: str, message: Message) -> None:
        if render.is_empty(message) or not message_ref:
            return
        ref = await self._reference(address)
        body = addressed(ref, render.message_body(message))
        try:
            await self.connector.update(ref["serviceUrl"], ref["conversation"]["id"], message_ref, body)
        except ConnectorError as exc:
            raise delivery_error(exc, address, "update") from None

    async def _reference(self, address: Address) -> dict[str, Any]:
        if address.kind == ConversationKind.DIRECT:
            ref = await self.refs.get(USER, address.conversation_id)
            return ref if ref is not None else await self._open_personal_chat(address)
        ref = await self.refs.get(CHANNEL, address.conversation_id)
        if ref is None:
            raise NotInChannel(f"the bot was never installed in or spoken to in {address.label()}",
                               channel=address.label())
        return ref

    async def _open_personal_chat(self, address: Address) -> dict[str, Any]:
        """A member seen in a team but never in a personal chat: Teams opens one if the app is
        installed where they are (in a team of theirs, or for them personally); else 403."""
        user = address.conversation_id
        seen = await self.refs.get(MEMBER, user)
        if seen is None:
            raise RecipientUnreachable(f"no Teams chat with {address.label()} is known", reason="no_reference")
        tenant = seen.get("tenantId")
        parameters: dict[str, Any] = {"bot": seen.get("bot") or {}, "members": [{"id": user}], "isGroup": False}
        if tenant:
            parameters.update(tenantId=tenant, channelData={"tenant": {"id": tenant}})
        try:
            conversation = await self.connector.create_conversation(seen["serviceUrl"], parameters)
        except ConnectorError as exc:
            raise delivery_error(exc, address, "opening a personal chat") from None
        ref = {"serviceUrl": seen["serviceUrl"], "channelId": seen.get("channelId", "msteams"),
               "bot": seen.get("bot") or {}, "user": {"id": user, **({"name": seen["name"]} if seen.get("name") else {})},
               "conversation": {"id": conversation, "conversationType": "personal",
                                **({"tenantId": tenant} if tenant else {})}}
        await self.refs.put(USER, user, ref)
        log.info("Teams: opened a personal chat with %s", address.label())
        return ref
