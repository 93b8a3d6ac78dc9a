"""The core's one entry point: a neutral `Incoming` in, a neutral `Message` out."""
from __future__ import annotations

import logging

from bot.config import Settings
from bot.errors import UserFacingError
from bot.i18n import Translator, language_for
from bot.models import ConversationKind, Incoming, Message
from bot.router import route
from bot.services.members import ensure_member
from bot.services.policy import PolicyBook
from bot.services.turn import Turn
from bot.unit_of_work import UnitOfWork, UnitsOfWork
from storage.db import is_outage

log = logging.getLogger(__name__)


class Core:
    def __init__(self, units: UnitsOfWork, settings: Settings):
        self.units = units
        self.settings = settings
        self.policy = PolicyBook()

    async def handle(self, incoming: Incoming, *, raise_outage: bool = False) -> Message | None:
        """Handle one message or button press in one unit of work.

        Returns None for a redelivery already handled. A race lost on a unique key (two clicks
        at once) or a transaction the database aborted (deadlock, serialization) is run again,
        and then sees the winner's result. A `UserFacingError` rolls the turn back and is told to
        the member, privately, in their language. With `raise_outage`, a database that cannot be
        reached is raised instead of answered (the inbox does the work again later).
        """
        t = self._translator(incoming.actor.locale)

        async def turn(uow: UnitOfWork) -> Message | None:
            nonlocal t
            t = self._translator(incoming.actor.locale)
            now = uow.now
            fresh, known = await uow.repo.arrival(incoming.actor.platform, incoming.actor.user_id,
                                                  incoming.event_id, now)
            if not fresh:
                return None
            member = await ensure_member(uow.repo, self.settings, incoming.actor, now, known)
            if incoming.conversation.kind == ConversationKind.DIRECT and not member.reachable:
                member.reachable = True
            t = self._translator(member.locale)
            return await route(Turn(uow, self.settings, member, incoming, t, self.policy))

        try:
            return await self.units.run(turn)
        except UserFacingError as exc:
            return Message(t(exc.key, **exc.params), private=True)
        except Exception as exc:
            if raise_outage and is_outage(exc):
                raise
            log.exception("handling %s from %s failed", _what(incoming), incoming.actor.platform)
            return Message(self._translator(incoming.actor.locale)("error.internal"), private=True)

    def _translator(self, locale: str | None) -> Translator:
        return Translator(language_for(locale, self.settings.language))


def _what(incoming: Incoming) -> str:
    return f"action {incoming.action.verb}" if incoming.action else "a message"
