"""The bot's Teams turn: one `on_turn` (the SDK's `Agent` protocol) that remembers where it is,
translates the activity, asks the core, and answers.

Dispatch is a plain lookup on the activity type rather than `AgentApplication` routes: those sit
in a heap whose equal ranks do not keep registration order, `conversation_update("…")` selectors
raise TypeError on real Teams JSON, and every turn loads and saves a TurnState this bot never uses.

Answers. Teams has no ephemeral messages, so a reply the core marks private goes:
- to a typed message: in the same conversation (in a channel, the thread of the message);
  with TEAMS_TARGETED_REPLIES=true as a targeted message only the asker sees (Teams preview);
- to a card button (Action.Execute): in the invoke answer, shown only to the person who clicked;
  any cards in it (the field for the link to one's post) are sent privately (below), never in
  the channel (the suggestion card itself is updated for all through the outbox);
- to a card button on a client that uses the Action.Submit fallback (a message with the card's
  data), to a reaction, and to the cards of an invoke answer: privately (`answer_privately`), that
  is in the conversation when it is the member's personal chat, as a targeted message with
  TEAMS_TARGETED_REPLIES=true, else in the member's personal chat with the bot (opened when Teams
  lets the bot); when none of these is possible it is not shown rather than shown to everyone.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Any

from microsoft_agents.activity import Activity, InvokeResponse
from microsoft_agents.hosting.core import TurnContext

from bot.app import App
from bot.errors import DeliveryError
from bot.models import Address, ConversationKind, Incoming, Message
from handlers.teams import render, translate
from handlers.teams.config import TeamsSettings
from handlers.teams.connector import Connector, ConnectorError
from handlers.teams.gateway import TeamsGateway
from handlers.teams.refs import CHANNEL, MEMBER, References

log = logging.getLogger(__name__)

MESSAGE_RESPONSE = "application/vnd.microsoft.activity.message"
ADDED = ("add", "add-upgrade")
# SQLite has one writer: sixteen turns writing at once mostly wait in its busy handler, whose
# sleeps grow to 100 ms (p99 above a second at 16 concurrent requests). Taking turns in the
# process keeps the same throughput and a p99 under 100 ms. PostgreSQL takes them in parallel.
SQLITE_TURNS, SERVER_TURNS = 1, 32


class TeamsAgent:
    def __init__(self, app: App, settings: TeamsSettings, connector: Connector, refs: References,
                 gateway: TeamsGateway):
        self.app = app
        self.settings = settings
        self.connector = connector
        self.refs = refs
        self.gateway = gateway
        self.gate = asyncio.Semaphore(SQLITE_TURNS if app.db.is_sqlite else SERVER_TURNS)
        self.handlers = {
            "message": self.on_message,
            "invoke": self.on_invoke,
            "messageReaction": self.on_reaction,
            "conversationUpdate": self.on_conversation_update,
            "installationUpdate": self.on_installation_update,
        }

    async def on_turn(self, ctx: TurnContext) -> None:
        activity = ctx.activity
        if translate.from_bot(activity):
            return
        await self.refs.remember(activity, translate.channel_name(activity))
        handler = self.handlers.get(activity.type)
        if handler is not None:
            await handler(ctx)

    async def handle(self, incoming: Incoming) -> Message | None:
        async with self.gate:
            return await self.app.core.handle(incoming)

    def _known_name(self, activity: Activity) -> str | None:
        if translate.is_personal(activity):
            return None
        return self.refs.known_name(translate.channel_of(activity.conversation.id))

    # messages and card buttons --------------------------------------------------------------------

    async def on_message(self, ctx: TurnContext) -> None:
        incoming = translate.from_message(ctx.activity, self._known_name(ctx.activity))
        reply = await self.handle(incoming)
        if incoming.action is not None and reply is not None and reply.private:  # an Action.Submit press
            await self.answer_privately(ctx, incoming, reply)
            return
        await self.reply(ctx, reply)

    async def on_invoke(self, ctx: TurnContext) -> None:
        activity = ctx.activity
        if activity.name != translate.CARD_ACTION:
            return  # not ours (task modules, message extensions): the SDK answers 501
        incoming = translate.from_execute(activity, self._known_name(activity))
        reply = await self.handle(incoming)
        if reply is None or render.is_empty(reply):  # a redelivery, or nothing to say
            await self.invoke_answer(ctx, "✓")
            return
        if not reply.private:  # meant for everyone here: posted, and the clicker gets a tick
            await self.invoke_answer(ctx, "✓")
            await self.reply(ctx, reply)
            return
        # The answer first: it is what the clicker waits for. Cards to use follow privately; when
        # they go to the personal chat rather than here, the answer names them too.
        here = translate.is_personal(activity) or self.settings.targeted_replies
        await self.invoke_answer(ctx, render.flat_text(Message(reply.text) if here else reply) or "✓")
        if reply.cards:
            await self.answer_privately(ctx, incoming, Message(cards=reply.cards, private=True))

    async def invoke_answer(self, ctx: TurnContext, text: str) -> None:
        body = {"statusCode": 200, "type": MESSAGE_RESPONSE, "value": text}
        await ctx.send_activity(Activity(type="invokeResponse", value=InvokeResponse(status=200, body=body)))

    async def reply(self, ctx: TurnContext, message: Message | None) -> None:
        """Answer in the conversation of the activity, as a reply to it (in a channel: its thread).

        The body is built here and posted through the shared connector rather than through
        `ctx.send_activity`, which deep-copies and re-validates the activity twice per reply (a
        third of what this adapter spends on a turn); the wire format is the same. A reply too
        large for one Teams message goes as several, in order."""
        if render.is_empty(message):
            return
        assert message is not None
        incoming = ctx.activity
        targeted = bool(message.private and self.settings.targeted_replies and not translate.is_personal(incoming))
        for body in render.message_bodies(message):
            body.update(channelId=str(incoming.channel_id or "msteams"), serviceUrl=incoming.service_url,
                        conversation=_account(incoming.conversation, "conversation_type", "tenant_id", "is_group"),
                        replyToId=incoming.id)
            if incoming.recipient is not None:
                body["from"] = _account(incoming.recipient)
            body["recipient"] = _account(incoming.from_property)
            if incoming.locale:
                body["locale"] = incoming.locale
            if targeted:
                body["entities"] = [{"type": "activityTreatment", "treatment": "targeted"}]
            await self.connector.send(incoming.service_url, incoming.conversation.id, body, reply_to=incoming.id,
                                      targeted=targeted)

    async def answer_privately(self, ctx: TurnContext, incoming: Incoming, message: Message | None) -> None:
        """For the member alone, never as a reply everyone in a channel sees: in their personal chat
        (where the activity came from, or opened through the gateway), or as a targeted reply."""
        if render.is_empty(message):
            return
        assert message is not None
        if translate.is_personal(ctx.activity) or self.settings.targeted_replies:
            await self.reply(ctx, Message(message.text, message.cards, private=True, thread=message.thread))
            return
        address = Address(translate.PLATFORM, incoming.actor.user_id, ConversationKind.DIRECT,
                          incoming.actor.display_name or None)
        try:
            await self.gateway.post(address, message)
        except DeliveryError as exc:
            log.info("Teams: could not answer %s privately (%s); nothing was shown in the channel",
                     address.label(), exc.reason or exc)

    # reactions ------------------------------------------------------------------------------------

    async def on_reaction(self, ctx: TurnContext) -> None:
        activity = ctx.activity
        if not activity.reply_to_id or activity.from_property is None:
            return
        counted = self.settings.share_reactions
        for verb, kind, reactions in (("share_message", "added", activity.reactions_added),
                                      ("unshare_message", "removed", activity.reactions_removed)):
            if translate.reaction_types(reactions) & counted:
                incoming = translate.from_reaction(activity, verb, kind, self._known_name(activity))
                await self.answer_privately(ctx, incoming, await self.handle(incoming))

    # installation, members, channels --------------------------------------------------------------

    async def on_conversation_update(self, ctx: TurnContext) -> None:
        activity = ctx.activity
        bot_id = activity.recipient.id if activity.recipient else None
        added = [m for m in activity.members_added or [] if m is not None and m.id]
        if any(m.id == bot_id for m in added):
            await self.installed(ctx)
        await self.remember_members(activity, [m for m in added if m.id != bot_id])
        data = translate.channel_data(activity)
        if data.get("eventType") in ("channelCreated", "channelRenamed"):
            await self.learn_channels(activity)

    async def on_installation_update(self, ctx: TurnContext) -> None:
        action = (ctx.activity.action or "").lower()
        if action in ADDED:
            await self.installed(ctx)
        else:
            log.info("Teams: app %s in a %s conversation", action or "changed",
                     "personal" if translate.is_personal(ctx.activity) else "team or group")

    async def installed(self, ctx: TurnContext) -> None:
        """Installed (or added to a conversation): greet a person once; in a team, learn its channels
        and make this channel the suggestions channel until an admin chooses one."""
        activity = ctx.activity
        if translate.is_personal(activity):
            who = translate.actor(activity)
            welcome = await self.handle(Incoming(
                who, translate.conversation(activity), text="help", event_id=f"welcome:{who.user_id}"[:255]))
            await self.reply(ctx, welcome)
            return
        channel = translate.channel_of(activity.conversation.id)
        await self.learn_channels(activity)
        if (translate.extra(activity.conversation, "conversation_type") or "channel") == "channel":
            await self.refs.claim_program_channel(channel, self.refs.known_name(channel) or
                                                  translate.channel_name(activity),
                                                  self.app.settings.channel_for(translate.PLATFORM))

    async def remember_members(self, activity: Activity, members: list[Any]) -> None:
        """Members added to a team: where to open a personal chat with them later."""
        for member in members[:500]:
            seen = {"serviceUrl": activity.service_url, "channelId": str(activity.channel_id or "msteams"),
                    "bot": {"id": activity.recipient.id} if activity.recipient else {},
                    "name": (member.name or "")[:200]}
            tenant = translate.tenant_of(activity)
            if tenant:
                seen["tenantId"] = tenant
            if await self.refs.get(MEMBER, member.id) != seen:
                await self.refs.put(MEMBER, member.id, seen)

    async def learn_channels(self, activity: Activity) -> None:
        """The team's channels and their names (Teams sends names only with some events), so that
        `use this channel` and `digest now` can say `Marketing › Launches`, not an id."""
        team = translate.team_of(activity)
        if not team.get("id") or not activity.service_url:
            return
        try:
            channels = await self.connector.team_channels(activity.service_url, str(team["id"]))
        except ConnectorError as exc:
            log.info("Teams: could not list the team's channels (%s)", exc.status or "connection failed")
            return
        base = await self.refs.get(CHANNEL, translate.channel_of(activity.conversation.id))
        if base is None:
            return
        team_name = team.get("name")
        for channel in channels[:200]:
            name = channel.get("name") or ("General" if channel["id"] == team["id"] else None)
            shown = f"{team_name} › {name}" if team_name and name else name
            current = await self.refs.get(CHANNEL, channel["id"])
            data = {**(current or base), "conversation": {**base["conversation"], "id": channel["id"]}}
            if shown:
                data["name"] = str(shown)[:200]
            if data != current:
                await self.refs.put(CHANNEL, channel["id"], data)


_WIRE = {"conversation_type": "conversationType", "tenant_id": "tenantId", "is_group": "isGroup"}


def _account(account: Any, *fields: str) -> dict[str, Any]:
    """A channel or conversation account as the connector expects it (id, name and the fields asked)."""
    out: dict[str, Any] = {"id": account.id}
    if getattr(account, "name", None):
        out["name"] = account.name
    for field in fields:
        value = getattr(account, field, None)
        if value is not None:
            out[_WIRE[field]] = value
    return out
