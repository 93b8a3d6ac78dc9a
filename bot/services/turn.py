"""What a service needs: `Context` for scheduled jobs, `Turn` for one member's message.
Both are bound to one unit of work (`bot.unit_of_work`)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from bot.clock import Clock
from bot.config import Settings
from bot.i18n import Translator, language_for
from bot.models import Address, ConversationKind, Incoming
from bot.permissions import Right, require
from bot.unit_of_work import OutboxWriter, UnitOfWork
from storage.models import Member
from storage.repositories import Repositories

if TYPE_CHECKING:  # the policy service imports this module
    from bot.services.policy import PolicyBook


@dataclass
class Context:
    uow: UnitOfWork
    settings: Settings
    repo: Repositories = field(init=False, repr=False)  # the unit's, at hand
    outbox: OutboxWriter = field(init=False, repr=False)
    clock: Clock = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.repo, self.outbox, self.clock = self.uow.repo, self.uow.outbox, self.uow.clock

    @property
    def now(self) -> datetime:
        return self.clock.now()

    def translator_for(self, member: Member) -> Translator:
        return Translator(language_for(member.locale, self.settings.language))

    @staticmethod
    def dm(member: Member) -> Address:
        return Address(member.platform, member.platform_user_id, ConversationKind.DIRECT, member.display_name)


@dataclass
class Turn(Context):
    member: Member
    incoming: Incoming
    t: Translator
    policy: PolicyBook

    @property
    def platform(self) -> str:
        return self.incoming.actor.platform

    def require(self, right: Right) -> None:
        require(self.member.role, right)

    def here(self) -> Address:
        conv = self.incoming.conversation
        return Address(conv.platform, conv.id, conv.kind, conv.name)

    async def audit(self, action: str, subject: str | None = None, **details: str | int | None) -> None:
        await self.repo.audit.record(self.member.id, action, subject, details, self.now)
