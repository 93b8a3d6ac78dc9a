"""The ports the core talks through. Adapters implement `ChatGateway`."""
from __future__ import annotations

from typing import Protocol

from bot.models import Address, Message


class ChatGateway(Protocol):
    """Delivers messages to one platform.

    Raises `bot.errors.DeliveryError` (or a subclass) on failure; the outbox dispatcher
    decides whether to retry. `post` returns the platform's reference to the posted message.

    `key` is the outbox row's unique key. A gateway that can attach it to the message and find
    it again implements `find_sent(address, key) -> str | None`, which the dispatcher asks
    after a crash left a send unconfirmed: that is what makes delivery exactly once rather
    than at least once. A gateway may also implement `rate_limits(address)`, returning
    `(bucket, per_second, burst)` triples the dispatcher paces sends by.
    """

    platform: str

    async def post(self, address: Address, message: Message, key: str | None = None) -> str: ...

    async def update(self, address: Address, message_ref: str, message: Message) -> None: ...
