"""Answering the person who sent a payload: ephemeral where the core said private, in the thread
where it said thread, through the response_url when Slack gave one (it works even where the bot
is not a member). Rendered by `render.payload`, as the gateway renders a queued send."""
from __future__ import annotations

import asyncio
import logging
from typing import Any

import aiohttp
from slack_sdk.web.async_client import AsyncWebClient

from bot.models import Message
from handlers.slack import render
from handlers.slack.gateway import error_code
from handlers.slack.translate import Where

log = logging.getLogger(__name__)


class Responder:
    def __init__(self, client: AsyncWebClient, session: aiohttp.ClientSession):
        self.client = client
        self.session = session

    async def reply(self, where: Where, message: Message | None, lang: str = "en") -> None:
        if render.is_empty(message):
            return
        assert message is not None
        private = message.private and not where.direct
        thread_ts = where.thread_ts if message.thread else None
        body = render.payload(message, inputs=private or where.direct, lang=lang)
        try:
            if where.response_url:
                await self.respond(where.response_url, {
                    **body, "response_type": "ephemeral" if message.private else "in_channel",
                    "replace_original": False, **({"thread_ts": thread_ts} if thread_ts else {})})
            elif private and where.channel:
                await self._ephemeral(where.channel, where.user, body, thread_ts)
            else:
                await self.client.chat_postMessage(channel=where.channel or where.user, **render.POST_OPTIONS,
                                                   **body, thread_ts=thread_ts)
        except Exception as exc:
            log.warning("could not answer %s: %s", where.user, error_code(exc))

    async def publish_home(self, user_id: str, page: Message, notice: Message | None = None,
                           lang: str = "en") -> None:
        view = render.home_view(page, notice=notice.text if notice and notice.text else None, lang=lang)
        try:
            await self.client.views_publish(user_id=user_id, view=view)
        except Exception as exc:
            log.warning("views.publish for %s failed: %s", user_id, error_code(exc))

    async def _ephemeral(self, channel: str, user: str, body: render.Payload, thread_ts: str | None) -> None:
        try:
            await self.client.chat_postEphemeral(channel=channel, user=user, **body, thread_ts=thread_ts)
        except Exception as exc:  # not in that channel any more: the app's DM still reaches them
            log.info("ephemeral to %s failed (%s); answering in a direct message", user, error_code(exc))
            await self.client.chat_postMessage(channel=user, **render.POST_OPTIONS, **body)

    async def respond(self, url: str, payload: dict[str, Any], attempts: int = 2) -> None:
        """POST to a response_url (valid 30 minutes, 5 uses); one more try on a 5xx or a dropped line."""
        for attempt in range(attempts):
            try:
                async with self.session.post(url, json=payload) as response:
                    if response.status < 500:
                        if response.status >= 400:
                            log.warning("response_url answered %s", response.status)
                        return
            except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
                if attempt == attempts - 1:
                    raise
                log.info("response_url failed (%s), trying again", type(exc).__name__)
            await asyncio.sleep(0.2 * (attempt + 1))
        log.warning("response_url kept failing")
