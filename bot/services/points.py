"""Balances and the leaderboard, both sums over the ledger."""
from __future__ import annotations

from bot.i18n import Translator
from bot.models import Message
from bot.registry import CHANNEL, DIRECT, MEMBER, command
from bot.services.members import set_visibility
from bot.services.turn import Turn

LEADERBOARD_SIZE = 10


def balance_line(t: Translator, balance: int, shared: int) -> str:
    """"You have 10 points from 1 share": each number with its own plural form."""
    return t.n("points.balance", balance, shares=t.n("points.shares", shared))


@command("points", help=MEMBER, menu=(DIRECT, CHANNEL), hint=True)
async def points(turn: Turn) -> Message:
    balance, shared = await turn.repo.ledger.balance_and_shares(turn.member.id)
    return Message(balance_line(turn.t, balance, shared), private=True)


async def leaderboard(turn: Turn) -> Message:
    standings = await turn.repo.ledger.standings(LEADERBOARD_SIZE)
    if not standings:
        return Message(turn.t("leaderboard.empty", button=turn.t("button.shared")), private=True)
    lines = [turn.t("leaderboard.header")]
    medals = {1: "🥇", 2: "🥈", 3: "🥉"}
    for rank, (member, pts) in enumerate(standings, start=1):
        lines.append(turn.t.n("leaderboard.line", pts, rank=medals.get(rank, f"{rank}."),
                              name=member.display_name))
    if not turn.member.visible_on_leaderboard:
        lines.append(turn.t("leaderboard.you_hidden"))
    else:
        lines.append(turn.t("leaderboard.how_to_hide"))
    return Message("\n".join(lines), private=True)


@command("leaderboard", "[visibility:hide|show]", help=MEMBER, menu=(DIRECT, CHANNEL), hint=True)
async def leaderboard_command(turn: Turn, visibility: str | None) -> Message:
    """`leaderboard` shows it; `leaderboard hide` / `show` takes you off it or back."""
    if visibility:
        return await set_visibility(turn, visibility == "show")
    return await leaderboard(turn)
