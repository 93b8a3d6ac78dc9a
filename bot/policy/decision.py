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

An entry about the other side of publication than the question plainly is ("before the
report" when the report is out) is not a rival: such pairs share every other word.
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


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    docs: tuple[int, ...] = ()
    """The answered entry (one), or the choices offered, best first."""
    reason: str | None = None
    """Why the bot asked or handed over."""


def decide(ranked: Sequence[Ranked], s: Settings, about_posting: bool = True) -> Decision:
    """`about_posting`: the question speaks of posting or sharing something, or asks for
    permission. A verdict answers "may I post this?": a question that asks nothing of the kind
    ("when is the next party?") gets no verdict on the first reply, at most a choice of
    stricter entries, and is never offered a ✅."""
    best = ranked[0]
    confidence = best.confidence
    if confidence < s.min_confidence:
        return Decision(Outcome.HAND_OVER, reason="low_confidence")
    rivals = [r for r in ranked[1:] if not r.other_side and _rivals(best, r, s)]
    sure = confidence >= s.min_confidence_allowed and about_posting
    if not rivals and (about_posting or best.verdict is None):
        if best.verdict is Verdict.ALLOWED and not sure:
            return Decision(Outcome.HAND_OVER, reason="low_confidence")
        return Decision(Outcome.ANSWER, (best.doc,))
    choices = [best, *rivals]
    if not sure:
        choices = [r for r in choices if r.verdict is not Verdict.ALLOWED]
        if not choices:
            return Decision(Outcome.HAND_OVER, reason="low_confidence")
    return Decision(Outcome.CLARIFY, tuple(r.doc for r in choices[: s.max_choices]), "close")


def _rivals(best: Ranked, other: Ranked, s: Settings) -> bool:
    if other.confidence < best.confidence - s.support_margin:
        return False
    if other.score >= s.close_ratio * best.score:
        return True
    stricter = strictness(other.verdict) > strictness(best.verdict)
    return best.verdict is Verdict.ALLOWED and stricter and other.score >= s.allowed_margin * best.score
