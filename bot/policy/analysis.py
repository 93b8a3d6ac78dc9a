"""Turning entry text and questions into index terms.

Every word gives its folded dictionary form (its lemma); entries also give a short prefix
stem ("~zdjeci") for each longer word, which questions use only for words the index does not
know, so unusual inflections and loanwords ("linkedina") still meet. Thesaurus concepts
(see concepts.py) add "#concept" terms to both sides.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

from bot.policy.concepts import CONCEPTS
from bot.policy.lemmas import lemma
from bot.policy.text import STOPWORDS, fold, words

STEM_LEN = 6
_PATTERN_WORD_RE = re.compile(r"[^\W_]+\*?")
_HYPHENATED_RE = re.compile(r"\b([^\W_]+)-([^\W_]+)\b")

NEGATORS = frozenset({"not", "no", "never", "t", "nie", "nigdy", "bez", "before", "until",
                      "prior", "przed", "zanim", "dopoki", "dopiero", "will", "ll", "going",
                      "gonna", "tomorrow", "jutro", "bedzie", "beda", "zostanie", "zostana",
                      "wkrotce", "soon"})
"""Words before a key phrase that turn "announced" into "not announced" ("t" is what is left of
"hasn't"), including "before it is announced" and "it will be announced"."""
TRAILING_NEGATORS = frozenset({"not", "no", "never", "t", "yet", "nie", "nigdy", "jeszcze"})
"""Words after a key phrase that negate it: "published? not yet", "ogłoszone jeszcze nie są",
"public they aren't"."""
CONTRAST = frozenset({"but", "however", "although", "ale", "lecz", "jednak", "natomiast"})
"""A negation does not reach across these: "announced internally, but not publicly"."""
NEGATION_WINDOW = 5
TRAILING_WINDOW = 4
NEGATED = {"already_public": "not_yet_public"}


@dataclass
class Word:
    text: str
    """Lower-case, as typed."""
    surface: str
    """Folded (no diacritics)."""
    lemma: str
    known: bool
    corrected: str | None = None

    @property
    def forms(self) -> tuple[str, ...]:
        forms = (self.surface, self.lemma)
        return forms + (self.corrected,) if self.corrected else forms

    @property
    def is_stop(self) -> bool:
        """Function words; the lemma is trusted only for longer words ("ai" is not "be")."""
        if len(self.surface) < 2 or self.surface in STOPWORDS:
            return True
        return len(self.surface) > 2 and self.lemma in STOPWORDS

    @property
    def stem(self) -> str | None:
        return "~" + self.surface[:STEM_LEN] if len(self.surface) > STEM_LEN else None


@dataclass(frozen=True)
class Span:
    """Words [start, end) express `concept`."""

    start: int
    end: int
    concept: str

    @property
    def length(self) -> int:
        return self.end - self.start


_PERMISSION_RE = re.compile(
    r"\b(can|could|may|might|should|must)\s+(i|we)\b|\bam\s+i\s+allowed\b|\bare\s+we\s+allowed\b"
    r"|\b(ok|okay|fine|alright|allowed|permitted|acceptable)\b"
    r"|\bdo\s+(i|we)\s+(need|have)\s+to\b|\bdo\s+i\s+need\s+(approval|permission)\b"
    r"|\bczy\s+(mog[eę]|mo[zż]emy|mo[zż]na|wolno|m[oó]g[lł]\w*)\b|\bmog[eę]\b|\bmo[zż]na\b"
    r"|\bwolno\b|\bdozwolon\w*|\bmusz[eę]\b|\btrzeba\b|\bpowinie\w*|\bpowinn\w*"
    r"|\bw\s+porz[aą]dku\b",
    re.IGNORECASE)
"""Asking for permission, in so many words: what a verdict answers."""


def asks_permission(text: str) -> bool:
    """Is this a "can I / may I … ?" question (en or pl)?"""
    return bool(_PERMISSION_RE.search(text))


def read_words(text: str, lang: str) -> list[Word]:
    out = []
    for raw in words(text):
        low = raw.lower()
        base, known = lemma(low, lang)
        out.append(Word(text=low, surface=fold(low), lemma=base, known=known))
    return out


def joined_compounds(text: str) -> str:
    """"post-mortem" is also written "postmortem": the joined spellings of hyphenated words."""
    return " ".join(a + b for a, b in _HYPHENATED_RE.findall(text))


def split_tag(tag: str) -> str:
    """Tags are slugs ("financial-results", "NordlightEmployee"): read them as words."""
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", tag)
    return re.sub(r"[-_/]+", " ", spaced)


class ConceptMatcher:
    """Finds thesaurus concepts in a sequence of words (single words and phrases)."""

    def __init__(self, concepts: Mapping[str, Sequence[str]] = CONCEPTS):
        self._exact: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
        self._prefix: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
        for concept, patterns in concepts.items():
            for pattern in patterns:
                parts = tuple(_PATTERN_WORD_RE.findall(fold(pattern)))
                if not parts:
                    continue
                head, rest = parts[0], parts[1:]
                table = self._prefix if head.endswith("*") else self._exact
                table.setdefault(head.rstrip("*"), []).append((concept, rest))
        self._prefix_lengths = sorted({len(p) for p in self._prefix}, reverse=True)

    def _heads(self, form: str) -> Iterable[tuple[str, tuple[str, ...]]]:
        yield from self._exact.get(form, ())
        for n in self._prefix_lengths:
            if n <= len(form):
                yield from self._prefix.get(form[:n], ())

    @staticmethod
    def _matches(element: str, word: Word) -> bool:
        if element.endswith("*"):
            return any(f.startswith(element[:-1]) for f in word.forms)
        return element in word.forms

    def spans(self, seq: Sequence[Word]) -> list[Span]:
        """Concepts found in `seq`, negated ones flipped ("not announced").

        A phrase decides what its words mean: concepts of single words inside a longer
        phrase of another concept are dropped ("zrzut ekranu" is a screenshot, not a screen).
        """
        found: dict[tuple[int, str], Span] = {}
        for i, word in enumerate(seq):
            for form in set(word.forms):
                for concept, rest in self._heads(form):
                    end = i + 1 + len(rest)
                    if end > len(seq):
                        continue
                    if all(self._matches(el, seq[i + 1 + k]) for k, el in enumerate(rest)):
                        concept = self._polarity(seq, i, end, concept)
                        old = found.get((i, concept))
                        if old is None or old.end < end:
                            found[(i, concept)] = Span(i, end, concept)
        spans = list(found.values())
        kept = [s for s in spans
                if not any(o.length > s.length and o.start <= s.start and s.end <= o.end
                           and o.concept != s.concept for o in spans)]
        return sorted(kept, key=lambda s: (s.start, s.concept))

    @staticmethod
    def _polarity(seq: Sequence[Word], start: int, end: int, concept: str) -> str:
        """Negation is read on both sides of the phrase, up to a contrast word: a word order
        rule for every question, since Polish and chat English put it either side."""
        if concept not in NEGATED:
            return concept
        before = _up_to_contrast(reversed(seq[max(0, start - NEGATION_WINDOW):start]))
        after = _up_to_contrast(seq[end:end + TRAILING_WINDOW])
        if any(w.surface in NEGATORS for w in before) or any(
                w.surface in TRAILING_NEGATORS for w in after):
            return NEGATED[concept]
        return concept


def _up_to_contrast(words: Iterable[Word]) -> list[Word]:
    out = []
    for word in words:
        if word.surface in CONTRAST:
            break
        out.append(word)
    return out


def doc_terms(seq: Sequence[Word], spans: Iterable[Span]) -> list[str]:
    """Index terms of entry text: lemmas of content words, their stems, and concepts."""
    terms = ["#" + s.concept for s in spans]
    for word in seq:
        if word.is_stop:
            continue
        terms.append(word.lemma)
        stem = word.stem
        if stem:
            terms.append(stem)
    return terms
