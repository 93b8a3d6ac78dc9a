"""An in-memory ChatGateway: records what the bot sent, fails on demand."""
from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.errors import DeliveryError
from bot.models import Address, Message
from bot.ports import Capability


@dataclass
class Sent:
    op: str
    address: Address
    message: Message
    ref: str
    key: str | None = None


@dataclass
class RecordingGateway:
    platform: str = "test"
    capabilities: Capability = Capability.UPDATE | Capability.FIND_SENT | Capability.REPLY
    sent: list[Sent] = field(default_factory=list)
    replies: list[tuple[dict[str, Any], Message, str]] = field(default_factory=list)
    failures: list[DeliveryError] = field(default_factory=list)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    def fail_next(self, *errors: DeliveryError) -> None:
        self.failures.extend(errors)

    async def post(self, address: Address, message: Message, key: str | None = None) -> str:
        if self.failures:
            raise self.failures.pop(0)
        ref = f"m{next(self._ids)}"
        self.sent.append(Sent("post", address, message, ref, key))
        return ref

    async def find_sent(self, address: Address, key: str) -> str | None:
        return next((s.ref for s in self.sent if s.key == key), None)

    async def update(self, address: Address, message_ref: str, message: Message) -> None:
        if self.failures:
            raise self.failures.pop(0)
        self.sent.append(Sent("update", address, message, message_ref))

    async def reply(self, reply_to: Mapping[str, Any], message: Message, lang: str) -> None:
        self.replies.append((dict(reply_to), message, lang))

    def posts(self, to: str | None = None) -> list[Sent]:
        return [s for s in self.sent if s.op == "post" and (to is None or s.address.conversation_id == to)]

    def updates(self) -> list[Sent]:
        return [s for s in self.sent if s.op == "update"]
