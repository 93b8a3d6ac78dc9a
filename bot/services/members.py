"""Joining, leaving and leaderboard visibility: participation is voluntary."""
from __future__ import annotations

from datetime import datetime

from bot.config import Settings
from bot.models import Actor, Message
from bot.permissions import Role
from bot.registry import DIRECT, MEMBER, action, command
from bot.services.turn import Turn
from storage.models import Member
from storage.repositories import Repositories


def configured_role(settings: Settings, actor: Actor) -> Role | None:
    if settings.listed("admins", actor.platform, actor.user_id):
        return Role.ADMIN
    if settings.listed("editors", actor.platform, actor.user_id):
        return Role.EDITOR
    return None


async def ensure_member(repo: Repositories, settings: Settings, actor: Actor, now: datetime,
                        known: Member | None = None) -> Member:
    """The member behind `actor`, created on first sight; name, locale and zone kept fresh.
    `known`: the member as this transaction already found it."""
    role = configured_role(settings, actor)
    member = await repo.members.ensure(actor.platform, actor.user_id, {
        "display_name": actor.display_name or actor.user_id,
        "locale": actor.locale,
        "timezone": actor.timezone,
        "role": str(role or Role.EMPLOYEE),
        "opted_in": False,
        "visible_on_leaderboard": True,
        "created_at": now,
    }, known)
    if actor.display_name and member.display_name != actor.display_name:
        member.display_name = actor.display_name
    if actor.locale and member.locale != actor.locale:
        member.locale = actor.locale
    if actor.timezone and member.timezone != actor.timezone:
        member.timezone = actor.timezone
    if role is not None and member.role != role:
        member.role = str(role)
    return member


@command("join", help=MEMBER, menu=(DIRECT,), hint=True)
@action("join")
async def join(turn: Turn) -> Message:
    member = turn.member
    if member.opted_in:
        return Message(turn.t("join.already"), private=True)
    member.opted_in = True
    member.joined_at = member.joined_at or turn.now
    if member.role == Role.EMPLOYEE:
        member.role = str(Role.AMBASSADOR)
    return Message(turn.t("join.done"), private=True)


@command("leave", help=MEMBER, menu=(DIRECT,))
@action("leave")
async def leave(turn: Turn) -> Message:
    member = turn.member
    if not member.opted_in:
        return Message(turn.t("leave.already"), private=True)
    member.opted_in = False
    if member.role == Role.AMBASSADOR:
        member.role = str(Role.EMPLOYEE)
    return Message(turn.t("leave.done"), private=True)


async def set_visibility(turn: Turn, visible: bool) -> Message:
    turn.member.visible_on_leaderboard = visible
    return Message(turn.t("leaderboard.shown" if visible else "leaderboard.hidden"), private=True)
