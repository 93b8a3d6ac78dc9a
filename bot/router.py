"""Maps a parsed command or a pressed button to the service that handles it."""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from bot.commands import Command, parse
from bot.errors import UserFacingError
from bot.models import Action, Message
from bot.services import (
    admin, content, digest, help, home, members, nudges, points, policy, reactions, schedules, shares,
)
from bot.services.turn import Turn

Handler = Callable[[Turn, dict[str, Any]], Awaitable[Message]]


async def _leaderboard(turn: Turn, args: dict[str, Any]) -> Message:
    visibility = args.get("visibility")
    if visibility:
        return await members.set_visibility(turn, visibility == "show")
    return await points.leaderboard(turn)


async def _add(turn: Turn, args: dict[str, Any]) -> Message:
    return await content.add_content(turn, url=args.get("url"), title=args.get("title", ""),
                                     tags=args.get("tags"), promotional=args.get("promotional", False))


COMMANDS: dict[str, Handler] = {
    "help": lambda turn, _: help.help_text(turn),
    "join": lambda turn, _: members.join(turn),
    "leave": lambda turn, _: members.leave(turn),
    "add": _add,
    "list": lambda turn, _: content.list_content(turn),
    "digest": lambda turn, _: digest.digest_now(turn),
    "points": lambda turn, _: points.points(turn),
    "leaderboard": _leaderboard,
    "ask": lambda turn, a: policy.ask(turn, a["question"]),
    "faq.add": lambda turn, a: policy.faq_add(turn, a["question"], a["answer"], a.get("verdict")),
    "faq.list": lambda turn, _: policy.faq_list(turn),
    "faq.remove": lambda turn, a: policy.faq_remove(turn, a["target"]),
    "faq.edit": lambda turn, a: policy.faq_edit(turn, a["target"], a["field"], a["value"]),
    "faq.import": lambda turn, a: policy.faq_import(turn, a["yaml"]),
    "faq.export": lambda turn, _: policy.faq_export(turn),
    "faq.save": lambda turn, a: policy.save_as_faq(turn, a["target"], a.get("verdict")),
    "answer": lambda turn, a: policy.answer_question(turn, a["target"], a["text"]),
    "check": lambda turn, a: policy.check(turn, a["draft"]),
    "denylist.list": lambda turn, _: policy.terms_list(turn),
    "denylist.add": lambda turn, a: policy.terms_change(turn, "denylist.add", a["term"]),
    "denylist.remove": lambda turn, a: policy.terms_change(turn, "denylist.remove", a["term"]),
    "codename.add": lambda turn, a: policy.terms_change(turn, "codename.add", a["term"]),
    "codename.remove": lambda turn, a: policy.terms_change(turn, "codename.remove", a["term"]),
    "stats": lambda turn, _: admin.stats(turn),
    "use_channel": lambda turn, _: admin.use_this_channel(turn),
    "claim": lambda turn, a: shares.claim(turn, a["target"]),
    "shared": lambda turn, a: shares.share(turn, a["target"], a.get("link")),
    "schedule.show": lambda turn, _: schedules.show(turn),
    "schedule.set": lambda turn, a: schedules.set_spec(turn, a["name"], a["spec"]),
    "schedule.pause": lambda turn, a: schedules.pause(turn, a["name"], True),
    "schedule.resume": lambda turn, a: schedules.pause(turn, a["name"], False),
    "nudge.now": lambda turn, _: schedules.nudge_now(turn),
    "snooze": lambda turn, a: nudges.snooze(turn, a["duration"]),
    "nudges": lambda turn, a: nudges.resume_nudges(turn) if a["on"] else nudges.stop_nudges(turn),
}


def _values(action: Action) -> dict[str, str]:
    return {k: (v or "").strip() for k, v in action.values.items()}


async def _add_content(turn: Turn, action: Action) -> Message:
    v = _values(action)
    captions = [line for line in v.get("captions", "").splitlines() if line.strip()]
    tags = [tag for tag in v.get("tags", "").replace(",", " ").split() if tag]
    return await content.add_content(
        turn, url=v.get("url"), title=v.get("title", ""), summary=v.get("summary", ""),
        captions=captions, tags=tags, promotional=v.get("kind") == "promotional",
    )


ACTIONS: dict[str, Callable[[Turn, Action], Awaitable[Message]]] = {
    "claim": lambda turn, a: shares.claim(turn, a.target),
    "share": lambda turn, a: shares.share(turn, a.target, _values(a).get("link") or None),
    "link": lambda turn, a: shares.add_link(turn, a.target, _values(a).get("link") or None),
    "unshare": lambda turn, a: shares.withdraw(turn, a.target),
    "join": lambda turn, _: members.join(turn),
    "leave": lambda turn, _: members.leave(turn),
    "add_content": _add_content,
    "home": lambda turn, _: home.home(turn),
    "stop_nudges": lambda turn, _: nudges.stop_nudges(turn),
    "helpful": lambda turn, a: policy.feedback(turn, a.target, True),
    "unhelpful": lambda turn, a: policy.feedback(turn, a.target, False),
    "answer_question": lambda turn, a: policy.answer_question(turn, a.target, _values(a).get("answer")),
    "save_faq": lambda turn, a: policy.save_as_faq(turn, a.target, _values(a).get("verdict") or None,
                                                   _values(a).get("answer") or None),
    "snooze": lambda turn, a: nudges.snooze(turn, f"{a.target or 14}d"),
    "share_message": lambda turn, a: reactions.shared_by_reaction(turn, a.target),
    "unshare_message": lambda turn, a: reactions.unshared_by_reaction(turn, a.target),
}


async def route(turn: Turn) -> Message:
    incoming = turn.incoming
    if incoming.action is not None:
        handler = ACTIONS.get(incoming.action.verb)
        if handler is None:
            raise UserFacingError("error.unknown_action")
        return await handler(turn, incoming.action)
    command: Command = parse(incoming.text)
    return await COMMANDS[command.name](turn, command.args)
