"""`ChatGateway` for Slack: outbox sends through chat.postMessage / chat.update, errors mapped once.

A message ref is `channel:ts` (the channel Slack answered with, so a post to a user id gives the
DM channel): enough to update the message and to recognise reactions on it. Each post carries its
outbox key in message metadata, so after a crash `find_sent` can tell whether it went out.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.errors import DeliveryError, NotInChannel, RecipientUnreachable
from bot.models import Address, ConversationKind, Message
from bot.ports import Capability
from handlers.slack import render
from handlers.slack.client import retry_after
from handlers.slack.translate import PLATFORM, Where, message_ref, split_ref

if TYPE_CHECKING:
    from handlers.slack.reply import Responder

log = logging.getLogger(__name__)

NOT_IN_CHANNEL = {"not_in_channel", "channel_not_found"}
UNREACHABLE = {"user_not_found", "cannot_dm_bot", "account_inactive", "user_disabled", "user_not_visible"}
PERMANENT = {"is_archived", "msg_too_long", "invalid_blocks", "invalid_blocks_format", "no_text",
             "message_not_found", "cant_update_message", "edit_window_closed", "restricted_action",
             "invalid_arguments", "invalid_metadata_format"}
METADATA_EVENT = "advocacy_outbox"
HISTORY_LIMIT = 100



def error_code(exc: BaseException) -> str:
    if isinstance(exc, SlackApiError):
        response = exc.response
        try:
            return str(response.get("error") or f"http_{response.status_code}")
        except Exception:
            return f"http_{getattr(response, 'status_code', '?')}"
    return type(exc).__name__


def delivery_error(exc: BaseException, where: str, *, posting: bool = False) -> DeliveryError:
    """A Slack failure as the core's error: what the dispatcher retries and what it tells admins.
    A post whose answer never came (a timeout, a connection dropped after the request went out)
    may have been made: `unsure`, so the dispatcher looks it up before sending it again."""
    if isinstance(exc, SlackApiError):
        status = getattr(exc.response, "status_code", 200)
        code = error_code(exc)
        if status == 429 or code == "ratelimited":
            return DeliveryError(f"rate limited ({where})", retry_after=retry_after(exc) or 1.0,
                                 reason="ratelimited")
        if status >= 500:
            return DeliveryError(f"Slack answered {status} ({where})", reason=f"http_{status}")
        if code in NOT_IN_CHANNEL:
            return NotInChannel(f"{code} ({where})", channel=where)
        if code in UNREACHABLE:
            return RecipientUnreachable(f"{code} ({where})", reason=code)
        if code in PERMANENT:
            return DeliveryError(f"{code} ({where})", permanent=True, reason=code)
        return DeliveryError(f"{code} ({where})", reason=code)
    if isinstance(exc, (aiohttp.ClientError, asyncio.TimeoutError, OSError)):
        unsure = posting and not isinstance(exc, aiohttp.ClientConnectorError)
        return DeliveryError(f"connection failed ({where}): {type(exc).__name__}", reason="connection",
                             unsure=unsure)
    return DeliveryError(f"{type(exc).__name__} ({where})", reason="unexpected")


class SlackGateway:
    platform = PLATFORM
    # Pacing and Retry-After holds happen in the paced client, for every Web API call.
    capabilities = Capability.UPDATE | Capability.FIND_SENT | Capability.REPLY

    def __init__(self, client: AsyncWebClient, responder: Responder):
        self.client = client  # a PacedWebClient: pacing and Retry-After holds happen there
        self.responder = responder

    async def reply(self, reply_to: Mapping[str, Any], message: Message, lang: str) -> None:
        """The answer to an event the inbox kept, as the listeners answer at once: ephemeral,
        in the thread, in the DM, or the home tab (`reply_to` is the event's `Where`)."""
        where = Where(**reply_to)
        if where.home:
            await self.responder.publish_home(where.user, message, lang=lang)
        else:
            await self.responder.reply(where, message, lang)

    async def post(self, address: Address, message: Message, key: str | None = None) -> str:
        body = render.payload(message, inputs=address.kind == ConversationKind.DIRECT)
        metadata = {"event_type": METADATA_EVENT, "event_payload": {"key": key}} if key else None
        try:
            response = await self.client.chat_postMessage(channel=address.conversation_id, **render.POST_OPTIONS,
                                                          **body, metadata=metadata)
        except Exception as exc:
            raise delivery_error(exc, address.label(), posting=True) from exc
        return message_ref(str(response.get("channel") or address.conversation_id), str(response["ts"]))

    async def update(self, address: Address, message_ref: str, message: Message) -> None:
        channel, ts = split_ref(message_ref)
        body = render.payload(message, inputs=address.kind == ConversationKind.DIRECT)
        try:
            await self.client.chat_update(channel=channel or address.conversation_id, ts=ts, **body)
        except Exception as exc:
            raise delivery_error(exc, address.label()) from exc

    async def find_sent(self, address: Address, key: str) -> str | None:
        """Was the post with this outbox key made? Looks through the channel's recent messages."""
        try:
            channel = address.conversation_id
            if channel[:1] in ("U", "W"):
                opened = await self.client.conversations_open(users=channel)
                channel = opened["channel"]["id"]
            history = await self.client.conversations_history(channel=channel, limit=HISTORY_LIMIT,
                                                              include_all_metadata=True)
        except Exception as exc:
            raise delivery_error(exc, address.label()) from exc
        for item in history.get("messages") or []:
            meta = item.get("metadata") or {}
            if meta.get("event_type") == METADATA_EVENT and (meta.get("event_payload") or {}).get("key") == key:
                return message_ref(channel, str(item["ts"]))
        return None
