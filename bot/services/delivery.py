"""What happens when a send fails for good: mark who cannot be reached, tell the admins."""
from __future__ import annotations

from bot.clock import Clock
from bot.config import Settings
from bot.errors import DeliveryError, NotInChannel, RecipientUnreachable
from bot.i18n import Translator, language_for
from bot.models import Address, ConversationKind, Message
from bot.outbox import OutboxWriter
from storage.models import OutboxMessage
from storage.repositories import Repositories


async def notify_admins(repos: Repositories, settings: Settings, clock: Clock, platform: str, key: str,
                        text_key: str, **params) -> int:
    outbox = OutboxWriter(repos.outbox, clock)
    for admin in await repos.members.admins():
        if admin.platform != platform or not admin.reachable:
            continue
        t = Translator(language_for(admin.locale, settings.language))
        address = Address(platform, admin.platform_user_id, ConversationKind.DIRECT, admin.display_name)
        await outbox.post(address, Message(t(text_key, **params)), key=f"notice:{key}:{admin.id}",
                          subject="notice")
    return outbox.queued


def failure_handler(settings: Settings, clock: Clock):
    async def on_failure(repos: Repositories, row: OutboxMessage, exc: DeliveryError) -> None:
        if row.subject == "notice":
            return
        address = Address.from_dict(row.address)
        if isinstance(exc, RecipientUnreachable) and address.kind == ConversationKind.DIRECT:
            member = await repos.members.by_platform_id(row.platform, address.conversation_id)
            if member is not None and member.reachable:
                member.reachable = False
                await notify_admins(repos, settings, clock, row.platform, f"unreachable:{member.id}",
                                    "delivery.unreachable", name=member.display_name)
        elif isinstance(exc, NotInChannel):
            await notify_admins(repos, settings, clock, row.platform, f"not_in_channel:{row.id}",
                                "delivery.not_in_channel", channel=address.label())
    return on_failure
