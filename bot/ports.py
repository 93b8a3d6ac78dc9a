"""The ports the core talks through. Adapters implement `ChatGateway`."""
from __future__ import annotations

from typing import Protocol

from bot.models import Address, Message


class ChatGateway(Protocol):
    """Delivers messages to one platform.

    Raises `bot.errors.DeliveryError` (or a subclass) on failure; the outbox dispatcher
    decides whether to retry. Returns the platform's reference to the posted message.
    """

    platform: str

    async def post(self, address: Address, message: Message) -> str: ...

    async def update(self, address: Address, message_ref: str, message: Message) -> None: ...
