"""The core's one entry point: a neutral `Incoming` in, a neutral `Message` out."""
from __future__ import annotations

import logging
from collections.abc import Callable

from bot.clock import Clock
from bot.config import Settings
from bot.errors import UserFacingError
from bot.i18n import Translator, language_for
from bot.models import ConversationKind, Incoming, Message
from bot.outbox import OutboxWriter
from bot.router import route
from bot.services.members import ensure_member
from bot.services.policy import PolicyBook
from bot.services.turn import Turn
from storage.db import Database, is_retryable
from storage.repositories import Repositories

log = logging.getLogger(__name__)


class Core:
    def __init__(self, db: Database, settings: Settings, clock: Clock,
                 on_queued: Callable[[], None] | None = None):
        self.db = db
        self.settings = settings
        self.clock = clock
        self.policy = PolicyBook()
        self.on_queued = on_queued or (lambda: None)

    async def handle(self, incoming: Incoming) -> Message | None:
        """Handle one message or button press in one transaction.

        Returns None for a redelivery already handled. A race lost on a unique key (two clicks
        at once) or a transaction the database aborted (deadlock, serialization) is run again,
        and then sees the winner's result.
        """
        for attempt in range(3):
            try:
                return await self._handle_once(incoming)
            except Exception as exc:
                if is_retryable(exc) and attempt < 2:
                    continue
                log.exception("handling %s from %s failed", _what(incoming), incoming.actor.platform)
                return self._oops(incoming)
        return None

    def _oops(self, incoming: Incoming) -> Message:
        t = Translator(language_for(incoming.actor.locale, self.settings.language))
        return Message(t("error.internal"), private=True)

    async def _handle_once(self, incoming: Incoming) -> Message | None:
        t = Translator(language_for(incoming.actor.locale, self.settings.language))
        async with self.db.sessions() as session:
            try:
                async with session.begin():
                    repo = Repositories(session)
                    now = self.clock.now()
                    fresh, known = await repo.arrival(incoming.actor.platform, incoming.actor.user_id,
                                                      incoming.event_id, now)
                    if not fresh:
                        return None
                    member = await ensure_member(repo, self.settings, incoming.actor, now, known)
                    if incoming.conversation.kind == ConversationKind.DIRECT and not member.reachable:
                        member.reachable = True
                    t = Translator(language_for(member.locale, self.settings.language))
                    outbox = OutboxWriter(repo.outbox, self.clock)
                    turn = Turn(repo, self.settings, self.clock, outbox, member, incoming, t, self.policy)
                    reply = await route(turn)
            except UserFacingError as exc:
                return Message(t(exc.key, **exc.params), private=True)
        if outbox.queued:
            self.on_queued()
        return reply


def _what(incoming: Incoming) -> str:
    return f"action {incoming.action.verb}" if incoming.action else "a message"
