"""Policy FAQ entries and their verdicts."""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Iterable

LANGUAGES = ("en", "pl")


class Verdict(str, Enum):
    """What an entry says about posting; guidance (how-to) entries have no verdict (None)."""

    ALLOWED = "allowed"
    NOT_ALLOWED = "not_allowed"
    ASK_FIRST = "ask_first"

    @classmethod
    def parse(cls, value: object) -> "Verdict | None":
        """Read a verdict as written in a FAQ file: `n_a`, empty or None mean a guidance entry.

        Raises ValueError for anything else that is not a verdict.
        """
        if value is None or isinstance(value, Verdict):
            return value
        text = str(value).strip().lower().replace("-", "_").replace(" ", "_")
        if text in ("", "n_a", "na", "none"):
            return None
        return cls(text)

    @property
    def strictness(self) -> int:
        return _STRICTNESS[self]


_STRICTNESS = {Verdict.ALLOWED: 0, Verdict.ASK_FIRST: 1, Verdict.NOT_ALLOWED: 2}
VERDICT_NAMES = tuple(v.value for v in Verdict) + ("n_a",)


def strictness(verdict: Verdict | None) -> int:
    """Order used when candidates conflict: not_allowed > ask_first > allowed > guidance (-1)."""
    return -1 if verdict is None else verdict.strictness


def stricter(a: Verdict | None, b: Verdict | None) -> Verdict | None:
    return a if strictness(a) >= strictness(b) else b


def verdict_name(verdict: Verdict | None) -> str:
    return "n_a" if verdict is None else verdict.value


@dataclass(frozen=True)
class PolicyEntry:
    key: str
    question: str
    answer: str
    question_pl: str | None = None
    answer_pl: str | None = None
    tags: tuple[str, ...] = ()
    verdict: Verdict | None = None

    @property
    def is_guidance(self) -> bool:
        return self.verdict is None

    def question_for(self, lang: str) -> str:
        return self.question_pl if lang == "pl" and self.question_pl else self.question

    def answer_for(self, lang: str) -> str:
        """The answer in `lang`, falling back to English when there is no Polish text."""
        return self.answer_pl if lang == "pl" and self.answer_pl else self.answer

    def texts(self) -> Iterable[tuple[str, str]]:
        """(language, text) pairs of everything written for this entry, questions first."""
        yield "en", self.question
        if self.question_pl:
            yield "pl", self.question_pl
        yield "en", self.answer
        if self.answer_pl:
            yield "pl", self.answer_pl


def entries_by_key(entries: Iterable[PolicyEntry]) -> dict[str, PolicyEntry]:
    return {e.key: e for e in entries}
