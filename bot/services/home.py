"""A member's own page: points, shares, this week's suggestions, the top of the board, join/leave."""
from __future__ import annotations

from bot.cards import suggestion_card
from bot.clock import week_start
from bot.models import Button, Card, Message
from bot.registry import action
from bot.services.points import balance_line
from bot.services.turn import Turn

TOP = 5


@action("home")
async def home(turn: Turn) -> Message:
    t, repo, member = turn.t, turn.repo, turn.member
    balance, shared = await repo.ledger.balance_and_shares(member.id)
    cards: list[Card] = []
    week = week_start(turn.now, turn.settings.timezone)
    for suggestion in await repo.suggestions.of_week(turn.platform, week):
        content = await repo.contents.get(suggestion.content_id)
        if content is not None:
            cards.append(suggestion_card(t, content, await repo.shares.count_shared(content.id)))
    standings = await repo.ledger.standings(TOP)
    board = tuple((f"{rank}. {m.display_name}", t.n("home.points", p)) for rank, (m, p) in
                  enumerate(standings, start=1))
    cards.append(Card(title=t("home.leaderboard"), fields=board, body="" if board else t("leaderboard.empty", button=t("button.shared")),
                      key="home:leaderboard"))
    toggle = (Button(t("button.leave"), verb="leave") if member.opted_in
              else Button(t("button.join"), verb="join", style="primary"))
    cards.append(Card(title=t("home.in_program") if member.opted_in else t("home.not_in_program"),
                      buttons=(toggle,), key="home:membership"))
    text = "\n".join([
        t("home.title", name=member.display_name),
        balance_line(t, balance, shared),
        t("home.this_week") if len(cards) > 2 else t("home.no_suggestions"),
    ])
    return Message(text, cards=tuple(cards), private=True)
