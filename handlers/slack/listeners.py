"""Every Slack request the app subscribes to, translated for the core and answered.

Events (reactions, messages, mentions, the home tab) are kept in the inbox before they are
acknowledged (`keep_event`, ahead of Bolt's own acknowledgement): the inbox worker does their work
and answers through the gateway's `reply`, so a crash after the ack loses none. Commands, buttons
and shortcuts call `ack()` first and answer at once; modal submissions answer in their ack (errors
or the result view), so they run the core first, which takes milliseconds.
"""
from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import asdict
from contextlib import asynccontextmanager
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.response import BoltResponse
from slack_sdk.web.async_client import AsyncWebClient

from bot.app import App
from bot.cards import post_link_input
from bot.commands import Command, parse
from bot.errors import UserFacingError
from bot.i18n import Translator, language_for
from bot.models import Action, Actor, Incoming, Message
from bot.router import ACTIONS
from bot.services.content import MAX_TITLE
from bot.urls import normalize_url
from handlers.slack import render, translate
from handlers.slack.gateway import error_code
from handlers.slack.reply import Responder
from handlers.slack.users import UserDirectory

log = logging.getLogger(__name__)

COMMAND = "/advocacy"
ADD_SHORTCUT = "advocacy_add"
LINK_VERB = "link"
BUTTON_VERBS = tuple(sorted(verb for verb in ACTIONS if verb != LINK_VERB))
IGNORED_SUBTYPES = {"message_changed", "message_deleted", "bot_message", "channel_join", "channel_leave",
                    "message_replied", "ekm_access_denied", "me_message"}
INTERACTIVE_WORKERS = 8  # commands, clicks and modals handled at once
PROFILE_WAIT = 1.0       # seconds an event's ack may wait for a profile look-up (Slack allows 3)
Kept = tuple[Incoming, translate.Where, bool]  # the event, where to answer, whether someone waits


def opens_add_form(text: str | None) -> bool:
    """`/advocacy add` with nothing after it (in any language) opens the add-content form."""
    try:
        return parse(text) == Command("add")
    except UserFacingError:
        return False


def _action_pattern(*verbs: str) -> re.Pattern[str]:
    return re.compile(rf"^(?:{'|'.join(re.escape(v) for v in verbs)})(?:#\d+)?$")


class SlackListeners:
    def __init__(self, app: App, client: AsyncWebClient, responder: Responder, share_emoji: str):
        self.app = app
        self.client = client
        self.users = UserDirectory(client)
        self.responder = responder
        self.share_emoji = share_emoji
        self.interactive_slots = asyncio.Semaphore(INTERACTIVE_WORKERS)
        self.events: dict[str, Callable[[dict[str, Any], dict[str, Any]], Awaitable[Kept | None]]] = {
            "reaction_added": self.reaction_added, "reaction_removed": self.reaction_removed,
            "message": self.direct_message, "app_mention": self.mention, "app_home_opened": self.home_opened}
        self.busy = 0
        self.idle = asyncio.Event()
        self.idle.set()

    # plumbing -----------------------------------------------------------------------------------------

    def register(self, bolt: AsyncApp) -> None:
        bolt.middleware(self.keep_event)
        bolt.command(COMMAND)(self.on_command)
        bolt.shortcut(ADD_SHORTCUT)(self.on_add_shortcut)
        bolt.action(_action_pattern(render.OPEN_URL))(self.on_open_url)
        bolt.action(_action_pattern(LINK_VERB))(self.on_link_button)
        bolt.action(_action_pattern(*BUTTON_VERBS))(self.on_button)
        bolt.action(re.compile(".*"))(self.on_unknown_button)
        bolt.view(render.ADD_CONTENT_VIEW)(self.on_add_submitted)
        bolt.view(render.LINK_VIEW)(self.on_link_submitted)
        bolt.view(re.compile(".*"))(self.on_unknown_view)

    def lang(self, actor: Actor) -> str:
        return language_for(actor.locale, self.app.settings.language)

    @asynccontextmanager
    async def working(self) -> AsyncIterator[None]:
        """One interactive request's work (counted, so that shutting down can wait for it)."""
        self.busy += 1
        self.idle.clear()
        try:
            async with self.interactive_slots:
                yield
        finally:
            self.busy -= 1
            if not self.busy:
                self.idle.set()

    async def handle(self, incoming: Incoming) -> Message | None:
        return await self.app.core.handle(incoming)

    async def drain(self, timeout: float) -> None:
        try:
            await asyncio.wait_for(self.idle.wait(), timeout)
        except TimeoutError:
            log.warning("stopping with %d Slack request(s) still being handled", self.busy)

    async def actor_of(self, body: dict[str, Any]) -> Actor:
        user = body.get("user")
        if isinstance(user, dict):
            return await self.users.actor(str(user.get("id") or ""), user.get("name") or user.get("username"))
        return await self.users.actor(str(body.get("user_id") or user or ""), body.get("user_name"))

    # events -------------------------------------------------------------------------------------------

    async def keep_event(self, body: dict[str, Any], next_: Callable[[], Awaitable[None]]) -> BoltResponse | None:
        """Bolt middleware, run before its acknowledgement: an event this app handles is kept in the
        inbox, then acknowledged (200). If the database cannot keep it, Slack is told to send it
        again (503) rather than that it was received."""
        event = body.get("event") if body.get("type") == "event_callback" else None
        keep = self.events.get(str(event.get("type"))) if isinstance(event, dict) else None
        if keep is None or not isinstance(event, dict):
            await next_()  # not an event, or one this app does not subscribe to: Bolt answers
            return None
        kept = await keep(body, event)
        if kept is not None:
            incoming, where, waiting = kept
            try:
                await self.app.inbox.record(incoming, asdict(where), waiting=waiting)
            except Exception as exc:
                log.warning("could not keep a Slack %s event (%s); Slack will send it again",
                            event.get("type"), type(exc).__name__)
                return BoltResponse(status=503, body="")
        return BoltResponse(status=200, body="")

    async def event_actor(self, user_id: str) -> Actor:
        return await self.users.actor_within(user_id, PROFILE_WAIT)

    async def mention(self, body: dict[str, Any], event: dict[str, Any]) -> Kept | None:
        if not event.get("user") or event.get("bot_id"):
            return None
        incoming, where = translate.from_message(body, await self.event_actor(event["user"]), mention=True)
        return incoming, where, True

    async def direct_message(self, body: dict[str, Any], event: dict[str, Any]) -> Kept | None:
        """Direct messages only (channel messages reach the bot as app_mention)."""
        if (event.get("channel_type") != "im" or event.get("bot_id") or not event.get("user")
                or event.get("subtype") in IGNORED_SUBTYPES):
            return None
        incoming, where = translate.from_message(body, await self.event_actor(event["user"]), mention=False)
        return incoming, where, True

    async def reaction_added(self, body: dict[str, Any], event: dict[str, Any]) -> Kept | None:
        return await self._reaction(body, event, added=True)

    async def reaction_removed(self, body: dict[str, Any], event: dict[str, Any]) -> Kept | None:
        return await self._reaction(body, event, added=False)

    async def _reaction(self, body: dict[str, Any], event: dict[str, Any], *, added: bool) -> Kept | None:
        reaction = str(event.get("reaction") or "").split("::", 1)[0]  # skin tones count too
        item = event.get("item") or {}
        if reaction != self.share_emoji or item.get("type") != "message" or not event.get("user"):
            return None
        incoming, where = translate.from_reaction(body, await self.event_actor(event["user"]), added=added)
        return incoming, where, False

    async def home_opened(self, body: dict[str, Any], event: dict[str, Any]) -> Kept | None:
        if event.get("tab", "home") != "home" or not event.get("user"):
            return None
        actor = await self.event_actor(event["user"])
        return translate.from_home_opened(body, actor), translate.Where(None, actor.user_id, home=True), True

    # the slash command and the shortcut ---------------------------------------------------------------

    async def on_command(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        async with self.working():
            actor = await self.actor_of(body)
            incoming, where = translate.from_command(body, actor)
            if where.trigger_id and opens_add_form(incoming.text):
                await self.open_add_modal(actor, where.trigger_id, where.channel)
                return
            await self.responder.reply(where, await self.handle(incoming), self.lang(actor))

    async def on_add_shortcut(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        actor = await self.actor_of(body)
        await self.open_add_modal(actor, str(body.get("trigger_id") or ""), None)

    async def open_add_modal(self, actor: Actor, trigger_id: str, channel: str | None) -> None:
        """Anyone may open it; the core decides on submission whether they may add content."""
        view = render.add_content_modal(self.lang(actor), {"channel": channel})
        await self._open(trigger_id, view)

    async def _open(self, trigger_id: str, view: dict[str, Any]) -> None:
        try:
            await self.client.views_open(trigger_id=trigger_id, view=view)
        except Exception as exc:
            log.warning("views.open failed: %s", error_code(exc))

    # buttons ------------------------------------------------------------------------------------------

    async def on_open_url(self, ack: AsyncAck) -> None:
        await ack()  # the browser opens the link; Slack only wants to hear that the click arrived

    async def on_button(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        async with self.working():
            await self._button(body)

    async def _button(self, body: dict[str, Any]) -> None:
        actor = await self.actor_of(body)
        incoming, where = translate.from_block_action(body, actor)
        reply = await self.handle(incoming)
        if reply is None:
            return
        offer = _link_offer(reply)
        if offer is not None and where.trigger_id:
            await self.open_link_modal(actor, where, offer, reply)
        if where.home:
            page = await self.handle(Incoming(actor, incoming.conversation, action=Action("home")))
            if page is not None:
                await self.responder.publish_home(actor.user_id, page, notice=reply, lang=self.lang(actor))
            return
        await self.responder.reply(where, reply, self.lang(actor))

    async def on_link_button(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        """"Save link": a link typed into the offer's field is saved as it is (the core checks
        it); with the field empty, or on a card without one, the link modal opens."""
        await ack()
        actor = await self.actor_of(body)
        incoming, where = translate.from_block_action(body, actor)
        assert incoming.action is not None
        if (incoming.action.values.get("link") or "").strip():
            async with self.working():
                await self.responder.reply(where, await self.handle(incoming), self.lang(actor))
            return
        await self.open_link_modal(actor, where, incoming.action.target, None)

    async def open_link_modal(self, actor: Actor, where: translate.Where, target: str,
                              confirmation: Message | None) -> None:
        field = post_link_input(Translator(self.lang(actor)))
        meta = {"target": target, "channel": where.channel}
        await self._open(where.trigger_id or "", render.link_modal(self.lang(actor), confirmation, field, meta))

    async def on_unknown_button(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        """A button this version never drew (an old message, or a forged payload): nothing changes."""
        await ack()
        actor = await self.actor_of(body)
        _, where = translate.from_block_action(body, actor)
        message = Message(Translator(self.lang(actor))("error.unknown_action"), private=True)
        if not where.home:
            await self.responder.reply(where, message, self.lang(actor))

    # modals -------------------------------------------------------------------------------------------

    async def on_add_submitted(self, ack: AsyncAck, body: dict[str, Any], view: dict[str, Any]) -> None:
        actor = await self.actor_of(body)
        lang = self.lang(actor)
        values = translate.input_values(view.get("state"))
        errors = _field_errors(Translator(lang), values, url="url", title="title")
        if errors:
            await ack(response_action="errors", errors=errors)
            return
        meta = _metadata(view)
        incoming = translate.from_view_submission(body, actor, "add_content", "", meta.get("channel"))
        await self._submit(ack, incoming, lang)

    async def on_link_submitted(self, ack: AsyncAck, body: dict[str, Any], view: dict[str, Any]) -> None:
        actor = await self.actor_of(body)
        lang = self.lang(actor)
        values = translate.input_values(view.get("state"))
        errors = _field_errors(Translator(lang), values, url="link")
        if errors:
            await ack(response_action="errors", errors=errors)
            return
        meta = _metadata(view)
        incoming = translate.from_view_submission(body, actor, LINK_VERB, str(meta.get("target") or ""),
                                                  meta.get("channel"))
        await self._submit(ack, incoming, lang)

    async def _submit(self, ack: AsyncAck, incoming: Incoming, lang: str) -> None:
        async with self.working():
            reply = await self.handle(incoming)
        if reply is None:  # the same submission again: already done
            await ack()
            return
        await ack(response_action="update", view=render.result_modal(lang, reply))

    async def on_unknown_view(self, ack: AsyncAck) -> None:
        await ack()


def _link_offer(reply: Message) -> str | None:
    """The content id when the core offers to take the link to the member's post."""
    for card in reply.cards:
        for b in card.buttons:
            if b.verb == LINK_VERB:
                return b.target
    return None


def _metadata(view: dict[str, Any]) -> dict[str, Any]:
    try:
        data = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _field_errors(t: Translator, values: dict[str, str], *, url: str, title: str | None = None) -> dict[str, str]:
    """Mistakes shown next to the field, before the core is asked (it checks the same again)."""
    errors: dict[str, str] = {}
    raw = (values.get(url) or "").strip()
    try:
        normalize_url(raw)
    except UserFacingError as exc:
        errors[url] = render.trunc(t(exc.key, **exc.params), 150)
    if title and len((values.get(title) or "").strip()) > MAX_TITLE:
        errors[title] = render.trunc(t("error.field_too_long", field=t("field.title"), limit=MAX_TITLE), 150)
    return errors

