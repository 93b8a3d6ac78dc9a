"""The one Web API client: every Slack call goes to `SLACK_API_URL`, over one pooled session,
with slack_sdk's retry handlers for 429 (honouring Retry-After), 500/503 and dropped connections."""
from __future__ import annotations

import logging

import aiohttp
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from handlers.slack.config import SlackSettings

TIMEOUT = 30


def retry_handlers() -> list:
    return [
        AsyncConnectionErrorRetryHandler(max_retry_count=2),
        AsyncRateLimitErrorRetryHandler(max_retry_count=1),
        AsyncServerErrorRetryHandler(max_retry_count=2),
    ]


def sdk_logger() -> logging.Logger:
    """slack_sdk builds its debug lines whenever its logger's own level is unset; give it one."""
    logger = logging.getLogger("handlers.slack.web")
    logger.setLevel(max(logging.getLogger().getEffectiveLevel(), logging.INFO))
    return logger


def new_session() -> aiohttp.ClientSession:
    return aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=TIMEOUT),
                                 connector=aiohttp.TCPConnector(limit=64, ttl_dns_cache=300))


def web_client(settings: SlackSettings, session: aiohttp.ClientSession | None = None) -> AsyncWebClient:
    return AsyncWebClient(token=settings.bot_token, base_url=settings.api_url, timeout=TIMEOUT,
                          session=session, retry_handlers=retry_handlers(), logger=sdk_logger())
