"""What happens when a send fails for good: mark who cannot be reached, tell the admins."""
from __future__ import annotations

from bot.config import Settings
from bot.errors import DeliveryError, NotInChannel, RecipientUnreachable
from bot.models import Address, ConversationKind, Message
from bot.outbox import OnFailure
from bot.services.turn import Context
from bot.unit_of_work import UnitOfWork
from storage.models import OutboxMessage


async def notify_admins(ctx: Context, platform: str, key: str, text_key: str, **params: str | int) -> int:
    queued = 0
    for admin in await ctx.repo.members.admins():
        if admin.platform != platform or not admin.reachable:
            continue
        t = ctx.translator_for(admin)
        queued += await ctx.outbox.post(ctx.dm(admin), Message(t(text_key, **params)),
                                        key=f"notice:{key}:{admin.id}", subject="notice")
    return queued


def failure_handler(settings: Settings) -> OnFailure:
    async def on_failure(uow: UnitOfWork, row: OutboxMessage, exc: DeliveryError) -> None:
        if row.subject == "notice":
            return
        ctx = Context(uow, settings)
        address = Address.from_dict(row.address)
        if isinstance(exc, RecipientUnreachable) and address.kind == ConversationKind.DIRECT:
            member = await uow.repo.members.by_platform_id(row.platform, address.conversation_id)
            if member is not None and member.reachable:
                member.reachable = False
                await notify_admins(ctx, row.platform, f"unreachable:{member.id}",
                                    "delivery.unreachable", name=member.display_name)
        elif isinstance(exc, NotInChannel):
            await notify_admins(ctx, row.platform, f"not_in_channel:{row.id}",
                                "delivery.not_in_channel", channel=address.label())
    return on_failure
