"""The engine's tunable numbers, in one place (bench/policy_eval.py searches some of them)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    head_weight: float = 2.0
    """Questions and tags say what an entry is about; answers also mention neighbours."""
    concept_weight: float = 0.7
    intent_weight: float = 0.3
    phrase_bonus: float = 0.5
    """Extra weight per additional word of a multi-word concept ("best place to work")."""
    repeat_decay: float = 0.5
    """A concept named by several words of the question counts less each time."""
    corrected_weight: float = 0.8
    known_corrected_weight: float = 0.5
    stem_weight: float = 0.5
    k1: float = 1.2
    b: float = 0.5
    body_only_weight: float = 0.7
    """A word only an entry's answer mentions is weaker evidence than one in its question."""
    min_confidence: float = 0.1
    min_confidence_allowed: float = 0.3
    """A wrong "yes, you may post it" is the costliest mistake, so it needs more evidence."""
    close_ratio: float = 0.8
    """A candidate scoring at least this share of the best score is "close": the best does not
    clearly win, so the bot asks which entry was meant."""
    allowed_margin: float = 0.7
    """An `allowed` best must beat stricter candidates by more: one scoring this share of it
    is close enough to ask about."""
    support_margin: float = 0.25
    """A close candidate that explains this much less of the question than the best is no
    rival: the best clearly wins after all."""
    max_choices: int = 3
    offtopic_ratio: float = 0.5
    """Confidence shrinks once the best off-topic area scores this share of the best entry,
    reaching zero when it scores as much."""
    candidates: int = 5
