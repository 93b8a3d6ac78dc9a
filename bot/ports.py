"""The adapter contract: what a chat platform adapter provides, and what it may declare on top.

An adapter (a package in `handlers/`) does three things, and the core relies on nothing else:

1. **Inbound.** It turns each platform event it accepts (a message, a command, a button press, a
   reaction) into a neutral `bot.models.Incoming` and awaits `app.core.handle(incoming)`. The
   answer is a `Message` or None (a redelivery already handled: say nothing). A `private`
   message is for the sender alone; `thread` asks for a reply in the thread of what was answered.
   An event the platform wants acknowledged before its work is done goes to `app.inbox.record(
   incoming, reply_to)` instead, before the acknowledgement: the inbox worker handles it later,
   exactly once even across a crash, and answers through the gateway's `reply`.
2. **Rendering.** It shows a `Message` in its own format, text written in the core's markup
   (`bot.markup`: a renderer declares its syntax once as a `markup.Syntax`). The immediate
   answer of step 1 and a queued send of step 3 go through the same rendering function, so a
   message looks the same whichever way it leaves.
3. **Outbound.** It registers a `ChatGateway` (`app.add_gateway`) through which the outbox
   dispatcher delivers queued sends. `post` is required; everything else is a declared
   `Capability`, with the method that goes with it:

   ========================  ==========================  =========================================
   capability                method                      what the core does with it
   ========================  ==========================  =========================================
   `UPDATE`                  `update(address, ref, m)`   edits a posted message in place (share
                                                         counts on a suggestion); without it, an
                                                         update is settled without a send
   `FIND_SENT`               `find_sent(address, key)`   asked after a crash or a timeout left a
                                                         post unconfirmed: exactly once rather
                                                         than at least once
   `RATE_LIMITS`             `rate_limits(address)`      `(bucket, per_second, burst)` triples the
                                                         dispatcher paces sends by
   `FILE_UPLOAD`             `upload(address, file)`     posts a file (reports); nothing asks yet
   `REPLY`                   `reply(reply_to, m, lang)`  answers an event kept in the inbox the
                                                         way the adapter answers at once
                                                         (`reply_to` is what it kept with it)
   ========================  ==========================  =========================================

   The core asks the declaration (`can(gateway, Capability.X)`), never probes for methods;
   `check_gateway` verifies at registration that each declared capability has its method.

Errors: a gateway raises `bot.errors.DeliveryError` (or a subclass: `NotInChannel`,
`RecipientUnreachable`) and sets `retry_after`, `permanent` or `unsure` as the platform's answer
says; the dispatcher decides whether and when to try again.

An adapter package also exposes `async setup(app, web_app) -> str` and `ID_SHAPE` (see
`handlers/__init__.py`), which the start-up code uses. `app` is a `bot.app.App`: what a running bot
offers the adapters and the scheduled jobs.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Flag, auto
from typing import Any, Protocol, cast, runtime_checkable

from bot.models import Address, Message


class Capability(Flag):
    """What a gateway can do beyond `post`."""

    NONE = 0
    UPDATE = auto()
    FIND_SENT = auto()
    RATE_LIMITS = auto()
    FILE_UPLOAD = auto()
    REPLY = auto()


@runtime_checkable
class ChatGateway(Protocol):
    """Delivers messages to one platform. `post` returns the platform's reference to the posted
    message (what `update` and reactions name); `key` is the outbox row's unique key, which a
    gateway with `FIND_SENT` attaches to the message so that it can find it again."""

    platform: str
    capabilities: Capability

    async def post(self, address: Address, message: Message, key: str | None = None) -> str: ...


class Updates(Protocol):
    async def update(self, address: Address, message_ref: str, message: Message) -> None: ...


class FindsSent(Protocol):
    async def find_sent(self, address: Address, key: str) -> str | None: ...


RateLimit = tuple[str, float, float]  # (bucket name, sends per second, burst)


class RateLimited(Protocol):
    def rate_limits(self, address: Address) -> Sequence[RateLimit]: ...


@dataclass(frozen=True)
class File:
    name: str
    content: bytes
    title: str = ""


class UploadsFiles(Protocol):
    async def upload(self, address: Address, file: File) -> str: ...


class Replies(Protocol):
    async def reply(self, reply_to: Mapping[str, Any], message: Message, lang: str) -> None: ...


METHODS = {Capability.UPDATE: "update", Capability.FIND_SENT: "find_sent",
           Capability.RATE_LIMITS: "rate_limits", Capability.FILE_UPLOAD: "upload",
           Capability.REPLY: "reply"}


def can(gateway: ChatGateway, capability: Capability) -> bool:
    return capability in gateway.capabilities


def updater(gateway: ChatGateway) -> Updates | None:
    return cast(Updates, gateway) if can(gateway, Capability.UPDATE) else None


def finder(gateway: ChatGateway) -> FindsSent | None:
    return cast(FindsSent, gateway) if can(gateway, Capability.FIND_SENT) else None


def replier(gateway: ChatGateway) -> Replies | None:
    return cast(Replies, gateway) if can(gateway, Capability.REPLY) else None


def limits(gateway: ChatGateway, address: Address) -> Sequence[RateLimit]:
    return cast(RateLimited, gateway).rate_limits(address) if can(gateway, Capability.RATE_LIMITS) else ()


def check_gateway(gateway: object) -> ChatGateway:
    """The gateway, once it is known to keep the contract: a platform name, `post`, declared
    capabilities, and the method of each one it declares. A broken adapter fails at start-up."""
    name = type(gateway).__name__
    if not isinstance(getattr(gateway, "capabilities", None), Capability):
        raise TypeError(f"{name} must declare its capabilities (bot.ports.Capability)")
    if not isinstance(gateway, ChatGateway) or not getattr(gateway, "platform", None):
        raise TypeError(f"{name} must have a platform name and `post` (bot.ports.ChatGateway)")
    for capability, method in METHODS.items():
        if capability in gateway.capabilities and not callable(getattr(gateway, method, None)):
            raise TypeError(f"{name} declares {capability.name} but has no `{method}`")
    return gateway
