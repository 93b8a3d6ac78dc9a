"""Answering "can I post about X?" from the policy FAQ, or abstaining when unsure.

Ranking is BM25 (bm25s) over two fields of every entry, both languages in each: the head
(questions and tags) and the body (answers). Question words are reduced to lemmas, typos
are corrected against the index vocabulary with rapidfuzz, and thesaurus concepts widen
the query. The decision on top of the ranking is where safety lives:

* confidence combines how much of the question the best entry explains (coverage of the
  question's informative words) with how clearly it beats the runner-up (margin);
* an `allowed` entry is never returned while a stricter entry scores close to it: the
  strictest close candidate wins, or, when that one is itself weak, the engine abstains.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Iterable, Sequence

import bm25s
import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.policy.analysis import (ConceptMatcher, Word, doc_terms, joined_compounds, read_words,
                                 split_tag)
from bot.policy.entries import PolicyEntry, Verdict, strictness
from bot.policy.language import detect_language
from bot.policy.lemmas import is_known
from bot.policy.offtopic import OFFTOPIC_AREAS
from bot.policy.text import truncate

MAX_QUESTION_WORDS = 160
OFFTOPIC_PREFIX = "offtopic:"
CONCEPT_ONLY = frozenset({"share_act", "social", "already_public", "not_yet_public"})
"""Words that say "post it somewhere" or "it is (not yet) public" rank through their concept
only: "napisać" is in few entries and would otherwise outweigh the real topic, and
"ogłoszone" means the opposite after "nie zostały jeszcze"."""


@dataclass(frozen=True)
class Settings:
    head_weight: float = 2.0
    concept_weight: float = 0.7
    corrected_weight: float = 0.8
    known_corrected_weight: float = 0.5
    phrase_bonus: float = 0.5
    repeat_decay: float = 0.5
    """A concept named by several words of the question counts less each time."""
    stem_weight: float = 0.5
    k1: float = 1.2
    b: float = 0.5
    min_confidence: float = 0.35
    close_ratio: float = 0.8
    """A candidate scoring at least this share of the best score is "close" to it."""
    candidates: int = 5


@dataclass(frozen=True)
class Candidate:
    key: str
    score: float
    verdict: Verdict | None
    coverage: float


@dataclass(frozen=True)
class PolicyAnswer:
    entry: PolicyEntry | None
    verdict: Verdict | None
    confidence: float
    language: str
    abstain_reason: str | None = None
    candidates: tuple[Candidate, ...] = ()

    @property
    def abstained(self) -> bool:
        return self.entry is None

    @property
    def text(self) -> str | None:
        return self.entry.answer_for(self.language) if self.entry else None


@dataclass
class _Query:
    words: list[Word]
    groups: list[dict[str, float]] = field(default_factory=list)
    """Ranking evidence, one group per word: the word counts with its best-matching term."""
    cover: list[dict[str, float]] = field(default_factory=list)
    """Per content word, every term that would show an entry explains that word."""

    @property
    def terms(self) -> dict[str, float]:
        out: dict[str, float] = {}
        for group in self.groups:
            for t, w in group.items():
                out[t] = max(out.get(t, 0.0), w)
        return out


class _Field:
    def __init__(self, docs: list[list[str]], settings: Settings):
        self.bm25 = bm25s.BM25(k1=settings.k1, b=settings.b)
        self.bm25.index([d or [""] for d in docs], show_progress=False)
        self.size = len(docs)

    def scores(self, term: str) -> np.ndarray:
        if term not in self.bm25.vocab_dict:
            return np.zeros(self.size, dtype=np.float32)
        return self.bm25.get_scores([term])


class PolicyIndex:
    def __init__(self, entries: Sequence[PolicyEntry], settings: Settings | None = None,
                 matcher: ConceptMatcher | None = None):
        self.entries = list(entries)
        self.settings = settings or Settings()
        self.matcher = matcher or ConceptMatcher()
        self._spellings: dict[str, str] = {}
        heads: list[list[str]] = []
        bodies: list[list[str]] = []
        for entry in self.entries:
            head = self._terms(entry.question, "en") + self._terms(entry.question_pl, "pl")
            for tag in entry.tags:
                head += self._terms(split_tag(tag) + " " + joined_compounds(tag), "en")
            heads.append(head)
            bodies.append(self._terms(entry.answer, "en") + self._terms(entry.answer_pl, "pl"))
        self.keys = [e.key for e in self.entries]
        for area, texts in OFFTOPIC_AREAS.items():
            heads.append(self._terms(texts["en"], "en") + self._terms(texts["pl"], "pl"))
            bodies.append([])
            self.keys.append(OFFTOPIC_PREFIX + area)
        self._head = _Field(heads, self.settings)
        self._body = _Field(bodies, self.settings)
        self._term_sets = [set(h) | set(b) for h, b in zip(heads, bodies)]
        df: dict[str, int] = {}
        for terms in self._term_sets:
            for t in terms:
                df[t] = df.get(t, 0) + 1
        n = max(len(self.entries), 1)
        self._idf = {t: math.log(1 + (n - c + 0.5) / (c + 0.5)) for t, c in df.items()}
        self._idf_unseen = math.log(1 + (n + 0.5) / 0.5)
        self._spelling_keys = list(self._spellings)
        self._by_key = {e.key: e for e in self.entries}
        self._n_entries = len(self.entries)

    @classmethod
    def build(cls, entries: Iterable[PolicyEntry], settings: Settings | None = None) -> "PolicyIndex":
        return cls(list(entries), settings)

    def _terms(self, text: str | None, lang: str) -> list[str]:
        if not text:
            return []
        seq = read_words(text + " " + joined_compounds(text), lang)
        for w in seq:
            if not w.is_stop and len(w.surface) >= 4:
                self._spellings.setdefault(w.surface, w.lemma)
                self._spellings.setdefault(w.lemma, w.lemma)
        return doc_terms(seq, self.matcher.spans(seq))

    # -- question side --------------------------------------------------------------

    def _correct(self, word: Word, lang: str) -> tuple[str, float] | None:
        """The index spelling of a word the index does not have ("bulding" -> "building").

        Words known only in the other language are corrected too, with less weight: in an
        English question "ponts" is a typo of "points", not the Polish word.
        """
        s = self.settings
        if word.lemma in self._idf or len(word.surface) < 4 or word.is_stop:
            return None
        if any(c.isdigit() for c in word.surface) or is_known(word.surface, lang):
            return None
        max_edits = 1 if len(word.surface) < 8 else 2
        hit = process.extractOne(word.surface, self._spelling_keys, scorer=OSA.distance,
                                 score_cutoff=max_edits)
        if not hit:
            return None
        return self._spellings[hit[0]], s.known_corrected_weight if word.known else s.corrected_weight

    def _query(self, text: str, lang: str) -> _Query:
        s = self.settings
        seq = read_words(text, lang)[:MAX_QUESTION_WORDS]
        weights: list[float] = []
        for w in seq:
            fix = self._correct(w, lang)
            w.corrected = fix[0] if fix else None
            weights.append(fix[1] if fix else 1.0)
        covering: list[set[str]] = [set() for _ in seq]
        starting: list[dict[str, float]] = [{} for _ in seq]
        seen: dict[str, int] = {}
        for span in self.matcher.spans(seq):
            for k in range(span.start, span.end):
                covering[k].add(span.concept)
            term = "#" + span.concept
            repeat = seen.get(term, 0)
            seen[term] = repeat + 1
            weight = s.concept_weight * (1 + s.phrase_bonus * (span.length - 1))
            starting[span.start][term] = weight * s.repeat_decay ** repeat
        q = _Query(words=seq)
        used: set[str] = set()
        for i, w in enumerate(seq):
            group = dict(starting[i])
            cover: dict[str, float] = {}
            if not w.is_stop:
                own = self._own_terms(w, weights[i])
                cover.update(own)
                if not covering[i] & CONCEPT_ONLY and not used.intersection(own):
                    group.update(own)
                    used.update(own)
                for c in covering[i]:
                    cover["#" + c] = 1.0
            if group:
                q.groups.append(group)
            if cover:
                q.cover.append(cover)
        return q

    def _own_terms(self, w: Word, weight: float) -> dict[str, float]:
        s = self.settings
        if w.corrected:
            return {w.corrected: weight}
        terms = {w.lemma: 1.0}
        if w.lemma not in self._idf and w.stem:
            terms[w.stem] = s.stem_weight
        return terms

    def _term_scores(self, term: str) -> np.ndarray:
        return self.settings.head_weight * self._head.scores(term) + self._body.scores(term)

    def _scores(self, q: _Query, cache: dict[str, np.ndarray] | None = None) -> np.ndarray:
        cache = {} if cache is None else cache
        total = np.zeros(len(self.keys), dtype=np.float64)
        for group in q.groups:
            best = None
            for term, weight in group.items():
                if term not in self._idf:
                    continue
                if term not in cache:
                    cache[term] = self._term_scores(term)
                value = weight * cache[term]
                best = value if best is None else np.maximum(best, value)
            if best is not None:
                total += best
        return total

    def coverage(self, q: _Query, index: int) -> float:
        """Share of the question's information (idf mass of its words) the entry accounts for."""
        have = self._term_sets[index]
        total = got = 0.0
        for group in q.cover:
            weight = max(self._idf.get(t, self._idf_unseen) for t in group)
            total += weight
            got += weight * max((w for t, w in group.items() if t in have), default=0.0)
        return got / total if total else 0.0

    def explain(self, question: str, lang: str | None = None, top: int = 3
                ) -> list[tuple[str, float, list[tuple[str, float]]]]:
        """For the best `top` entries: (key, score, [(term, contribution), ...]), for admins
        and for tuning: which words of the question made an entry win."""
        text = truncate((question or "").strip())
        q = self._query(text, lang if lang in ("en", "pl") else detect_language(text))
        if not q.groups or not self.entries:
            return []
        cache: dict[str, np.ndarray] = {}
        scores = self._scores(q, cache)
        out = []
        for i in np.argsort(-scores, kind="stable")[:top]:
            parts = []
            for group in q.groups:
                options = [(t, w * cache[t][i]) for t, w in group.items() if t in cache]
                if options:
                    term, value = max(options, key=lambda p: p[1])
                    if value > 0:
                        parts.append((term, round(float(value), 2)))
            parts.sort(key=lambda p: -p[1])
            out.append((self.keys[i], round(float(scores[i]), 2), parts))
        return out

    # -- decision -------------------------------------------------------------------

    def answer(self, question: str, lang: str | None = None) -> PolicyAnswer:
        text = truncate((question or "").strip())
        language = lang if lang in ("en", "pl") else detect_language(text)
        if not text:
            return PolicyAnswer(None, None, 0.0, language, "empty")
        if not self.entries:
            return PolicyAnswer(None, None, 0.0, language, "no_entries")
        q = self._query(text, language)
        if not q.groups:
            return PolicyAnswer(None, None, 0.0, language, "no_content")
        scores = self._scores(q)
        order = np.argsort(-scores, kind="stable")[: self.settings.candidates]
        cands = tuple(
            Candidate(self.keys[i], float(scores[i]),
                      self.entries[i].verdict if i < self._n_entries else None,
                      self.coverage(q, int(i)))
            for i in order if scores[i] > 0)
        if not cands:
            return PolicyAnswer(None, None, 0.0, language, "no_match", cands)
        return self._decide(cands, language)

    def _confidence(self, cands: Sequence[Candidate], i: int) -> float:
        top = cands[i]
        others = [c.score for j, c in enumerate(cands) if j != i]
        runner_up = max(others, default=0.0)
        margin = max(0.0, 1.0 - runner_up / top.score) if top.score > 0 else 0.0
        return top.coverage * (0.6 + 0.4 * min(1.0, margin * 2.5))

    def _decide(self, cands: Sequence[Candidate], language: str) -> PolicyAnswer:
        s = self.settings
        best = cands[0]
        if best.key.startswith(OFFTOPIC_PREFIX):
            return PolicyAnswer(None, None, 0.0, language, "out_of_scope", tuple(cands))
        close = [c for c in cands if c.score >= s.close_ratio * best.score]
        chosen = 0
        if best.verdict is not None:
            strictest = max(close, key=lambda c: strictness(c.verdict))
            if strictness(strictest.verdict) > strictness(best.verdict):
                chosen = cands.index(strictest)
        confidence = self._confidence(cands, 0)
        if confidence < s.min_confidence:
            return PolicyAnswer(None, None, confidence, language, "low_confidence", tuple(cands))
        entry = self._by_key[cands[chosen].key]
        return PolicyAnswer(entry, entry.verdict, confidence, language, None, tuple(cands))
