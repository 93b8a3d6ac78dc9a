"""Answer, ask which entry was meant, or hand over: the decision on top of a ranking.

The ranking (engine.py) says which entries look most like the question; this decides what the
asker sees, and it is where safety lives:

* weak evidence for even the best entry: hand over to a person ("low_confidence");
* the best entry clearly wins: answer it, except that an `allowed` answer needs more evidence
  (`min_confidence_allowed`), because a wrong "yes, post it" is the costliest mistake;
* it does not clearly win (another entry scores `close_ratio` of it, or, for an `allowed` best,
  a stricter entry scores `allowed_margin` of it, and that entry explains nearly as much of the
  question, within `support_margin`): ask "did you mean…" with up to
  `max_choices` entries. Where the evidence is too weak to rule out that the question is about
  something else entirely, `allowed` entries are left out of the choices: a question the FAQ
  does not cover must never be offered a "yes".

Publication is the one fact that tells apart most allowed/not-allowed pairs, and such pairs share
every other word, so it is read from the question, not from the scores: an entry about the other
side of publication than the question plainly is ("before the report" when the report is out) is
never offered, and an `allowed` entry that holds only once something is public is answered only
when the question says it is; otherwise it is offered beside its stricter twins about things not
public yet.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Sequence

from bot.policy.entries import Verdict, strictness
from bot.policy.settings import Settings


class Outcome(str, Enum):
    ANSWER = "answer"
    CLARIFY = "clarify"
    HAND_OVER = "hand_over"


@dataclass(frozen=True)
class Ranked:
    """One in-scope candidate of the ranking, best first."""

    doc: int
    score: float
    verdict: Verdict | None
    confidence: float
    """How much of the question this entry explains (0..1), see engine.py."""
    other_side: bool = False
    """The question plainly says it is on the other side of publication than this entry."""
    unstated: bool = False
    """This entry holds only once something is public, and the question does not say it is."""
    not_yet: bool = False
    """This entry is about things not public yet (the stricter twin of an `unstated` one)."""


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    docs: tuple[int, ...] = ()
    """The answered entry (one), or the choices offered, best first."""
    reason: str | None = None
    """Why the bot asked or handed over."""


def decide(ranked: Sequence[Ranked], s: Settings, *, asks: bool = True, posting: bool = True
           ) -> Decision:
    """`asks`: the question asks for permission or speaks of posting; `posting`: it speaks of
    posting or sharing something. A verdict answers "may I post this?": a question that asks
    nothing of the kind ("when is the next party?") gets no verdict on the first reply, at most a
    choice of entries, and a ✅ is given or offered only to a question about posting something
    ("can I attend a competitor's webinar?" is not)."""
    ranked = [r for r in ranked if not r.other_side]
    if not ranked or ranked[0].confidence < s.min_confidence:
        return Decision(Outcome.HAND_OVER, reason="low_confidence")
    best = ranked[0]
    rivals = [r for r in ranked[1:] if _rivals(best, r, s)]
    if best.verdict is Verdict.ALLOWED and best.unstated:
        rivals += [r for r in ranked[1:] if r not in rivals and r.not_yet and _stricter(r, best)]
    sure = best.confidence >= s.min_confidence_allowed and posting
    if not rivals and (asks or best.verdict is None):
        if best.verdict is Verdict.ALLOWED and not sure:
            return Decision(Outcome.HAND_OVER, reason="low_confidence")
        return Decision(Outcome.ANSWER, (best.doc,))
    choices = [best, *rivals]
    if not sure:
        choices = [r for r in choices if r.verdict is not Verdict.ALLOWED]
        if not choices:
            return Decision(Outcome.HAND_OVER, reason="low_confidence")
    return Decision(Outcome.CLARIFY, tuple(r.doc for r in choices[: s.max_choices]), "close")


def _stricter(other: Ranked, best: Ranked) -> bool:
    return strictness(other.verdict) > strictness(best.verdict)


def _rivals(best: Ranked, other: Ranked, s: Settings) -> bool:
    if other.confidence < best.confidence - s.support_margin:
        return False
    if other.score >= s.close_ratio * best.score:
        return True
    return (best.verdict is Verdict.ALLOWED and _stricter(other, best)
            and other.score >= s.allowed_margin * best.score)
