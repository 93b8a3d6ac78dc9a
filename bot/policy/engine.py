"""Answering "can I post about X?" from the policy FAQ, or abstaining when unsure.

Ranking is BM25 (bm25s) over two fields of every entry, with both languages in each: the
head (questions and tags) and the body (answers). Question words become lemmas, typos are
corrected against the index vocabulary with rapidfuzz, and thesaurus concepts widen the
query; each question word counts with its best-matching term. Descriptions of neighbouring
helpdesk domains (offtopic.py) are ranked alongside the entries as "none of the above".

Confidence is the share of the question's information (idf-weighted words) that the best
entry explains (words only its answer mentions count less), minus the share that only an
off-topic area explains, scaled down as the best off-topic area's score nears the entry's. A
question with nothing but "can I post this?" in it is not guessed at ("no_content").
What the asker then sees (an answer, "did you mean…", or a hand-over to a person) is decided in
decision.py, where safety lives.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Iterable, Sequence

import bm25s
import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.policy.analysis import (ConceptMatcher, Word, asks_permission, doc_terms,
                                 joined_compounds, read_words, split_tag)
from bot.policy.decision import Outcome, Ranked, decide
from bot.policy.entries import PolicyEntry, Verdict
from bot.policy.language import detect_language
from bot.policy.lemmas import english_base, is_known
from bot.policy.offtopic import OFFTOPIC_AREAS
from bot.policy.settings import Settings
from bot.policy.text import truncate

MAX_QUESTION_WORDS = 160
OFFTOPIC_PREFIX = "offtopic:"
INTENT_CONCEPTS = frozenset({"share_act", "social"})
""""Post it somewhere": nearly every entry is about that, so it says little about which."""
PUBLICITY = frozenset({"already_public", "not_yet_public"})
"""Whether the thing is already public: what tells apart "before" and "after" entry pairs."""
CONCEPT_ONLY = INTENT_CONCEPTS | PUBLICITY
"""Words that say "post it somewhere" or "it is (not yet) public" rank through their concept
only: "napisać" is in few entries and would otherwise outweigh the real topic, and
"ogłoszone" means the opposite after "nie zostały jeszcze"."""

ABSTAIN_REASONS = ("empty", "no_entries", "no_content", "no_match", "out_of_scope",
                   "low_confidence")
__all__ = ["ABSTAIN_REASONS", "Candidate", "Outcome", "PolicyAnswer", "PolicyIndex", "Settings"]


@dataclass(frozen=True)
class Candidate:
    key: str
    score: float
    verdict: Verdict | None


@dataclass(frozen=True)
class PolicyAnswer:
    entry: PolicyEntry | None
    """The entry answered; None when the bot asks which was meant or hands over."""
    verdict: Verdict | None
    confidence: float
    language: str
    abstain_reason: str | None = None
    """One of ABSTAIN_REASONS when handing over."""
    candidates: tuple[Candidate, ...] = ()
    """The best-scoring FAQ entries, best first, also when handing over (for logs and for the
    person the question is escalated to)."""
    choices: tuple[PolicyEntry, ...] = ()
    """"Did you mean…": the entries offered, best first, when no entry clearly wins."""

    @property
    def outcome(self) -> Outcome:
        if self.entry is not None:
            return Outcome.ANSWER
        return Outcome.CLARIFY if self.choices else Outcome.HAND_OVER

    @property
    def abstained(self) -> bool:
        """Handed over to a person: neither an answer nor a choice of entries."""
        return self.outcome is Outcome.HAND_OVER

    @property
    def text(self) -> str | None:
        return self.entry.answer_for(self.language) if self.entry else None


@dataclass
class _Query:
    publicity: frozenset[str] = frozenset()
    posting: bool = False
    """Does the question speak of posting or sharing anything (or of a social network)?"""
    groups: list[dict[str, float]] = field(default_factory=list)
    """Ranking evidence, one group per word: the word counts with its best-matching term."""
    cover: list[dict[str, float]] = field(default_factory=list)
    """Per content word, every term that would show a document explains that word."""

    @property
    def topical(self) -> bool:
        """Does the question name anything besides "post it somewhere"?"""
        intent = {"#" + c for c in CONCEPT_ONLY}
        return any(t not in intent for group in self.groups for t in group)


class _Field:
    def __init__(self, docs: list[list[str]], settings: Settings):
        self.bm25 = bm25s.BM25(k1=settings.k1, b=settings.b)
        self.bm25.index([d or [""] for d in docs], show_progress=False)
        self.size = len(docs)

    def scores(self, term: str) -> np.ndarray:
        if term not in self.bm25.vocab_dict:
            return np.zeros(self.size, dtype=np.float32)
        found: np.ndarray = self.bm25.get_scores([term])  # bm25s has no annotations
        return found


class PolicyIndex:
    """Built once per FAQ version (a 500-entry store takes a few seconds, mostly loading
    simplemma's dictionaries the first time); `answer` is then a few milliseconds."""

    def __init__(self, entries: Sequence[PolicyEntry], settings: Settings | None = None,
                 matcher: ConceptMatcher | None = None):
        self.entries = list(entries)
        self.settings = settings or Settings()
        self.matcher = matcher or ConceptMatcher()
        self._spellings: dict[str, str] = {}
        heads: list[list[str]] = []
        bodies: list[list[str]] = []
        self._publicity: list[frozenset[str]] = []
        for entry in self.entries:
            head = self._terms(entry.question, "en") + self._terms(entry.question_pl, "pl")
            for tag in entry.tags:
                head += self._terms(split_tag(tag) + " " + joined_compounds(tag), "en")
            heads.append(head)
            self._publicity.append(frozenset(t[1:] for t in head if t[1:] in PUBLICITY))
            bodies.append(self._terms(entry.answer, "en") + self._terms(entry.answer_pl, "pl"))
        self.keys = [e.key for e in self.entries]
        for area, texts in OFFTOPIC_AREAS.items():
            heads.append(self._terms(texts["en"], "en") + self._terms(texts["pl"], "pl"))
            bodies.append([])
            self.keys.append(OFFTOPIC_PREFIX + area)
        self._n_entries = len(self.entries)
        self._head = _Field(heads, self.settings)
        self._body = _Field(bodies, self.settings)
        self._head_sets = [set(h) for h in heads]
        self._term_sets = [set(h) | set(b) for h, b in zip(heads, bodies, strict=False)]
        df: dict[str, int] = {}
        for terms in self._term_sets:
            for t in terms:
                df[t] = df.get(t, 0) + 1
        n = len(self._term_sets)
        self._idf = {t: math.log(1 + (n - c + 0.5) / (c + 0.5)) for t, c in df.items()}
        self._idf_unseen = math.log(1 + (n + 0.5) / 0.5)
        self._spelling_keys = list(self._spellings)

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
        English question "ponts" is a typo of "points", not a Polish word.
        """
        s = self.settings
        if word.lemma in self._idf or len(word.surface) < 4 or word.is_stop:
            return None
        if any(c.isdigit() for c in word.surface) or is_known(word.text, lang):
            return None
        max_edits = 1 if len(word.surface) < 8 else 2
        hit = process.extractOne(word.surface, self._spelling_keys, scorer=OSA.distance,
                                 score_cutoff=max_edits)
        if not hit:
            return None
        weight = s.known_corrected_weight if word.known else s.corrected_weight
        return self._spellings[hit[0]], weight

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
            base = s.intent_weight if span.concept in INTENT_CONCEPTS else s.concept_weight
            weight = base * (1 + s.phrase_bonus * (span.length - 1))
            starting[span.start][term] = weight * s.repeat_decay ** repeat
        found = {c for concepts in covering for c in concepts}
        q = _Query(publicity=frozenset(found & PUBLICITY), posting=bool(found & INTENT_CONCEPTS))
        used: set[str] = set()
        for i, w in enumerate(seq):
            group = dict(starting[i])
            cover = {"#" + c: 1.0 for c in covering[i]}
            if not w.is_stop:
                own = self._own_terms(w, weights[i])
                cover.update(own)
                if not covering[i] & CONCEPT_ONLY and not used.intersection(own):
                    group.update(own)
                    used.update(own)
            if group:
                q.groups.append(group)
            if cover:
                q.cover.append(cover)
        return q

    def _own_terms(self, w: Word, weight: float) -> dict[str, float]:
        s = self.settings
        if w.corrected:
            return {w.corrected: weight}
        if w.lemma in self._idf:
            return {w.lemma: 1.0}
        terms = {w.lemma: 1.0}
        base = english_base(w.lemma, self._idf)
        if base:
            terms[base] = s.stem_weight
        elif w.stem:
            terms[w.stem] = s.stem_weight
        return terms

    def _term_scores(self, term: str) -> np.ndarray:
        weighted: np.ndarray = self.settings.head_weight * self._head.scores(term) + self._body.scores(term)
        return weighted

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

    def _support(self, q: _Query, doc: int, offtopic: int) -> float:
        """Share of the question's information `doc` explains, minus the share that only the
        off-topic area explains: words like "VPN" or "urlop" count against the entry."""
        head, have, other = self._head_sets[doc], self._term_sets[doc], self._term_sets[offtopic]
        body_only = self.settings.body_only_weight
        total = net = 0.0
        for group in q.cover:
            weight = max(self._idf.get(t, self._idf_unseen) for t in group)
            mine = max((w * (1.0 if t in head else body_only)
                        for t, w in group.items() if t in have), default=0.0)
            theirs = max((w for t, w in group.items() if t in other), default=0.0)
            total += weight
            net += weight * (mine - max(0.0, theirs - mine))
        return net / total if total else 0.0

    def _confidence(self, q: _Query, scores: np.ndarray, doc: int) -> float:
        s = self.settings
        offtopic = self._n_entries + int(np.argmax(scores[self._n_entries:]))
        ratio = scores[offtopic] / scores[doc] if scores[doc] > 0 else 1.0
        damp = min(1.0, max(0.0, (ratio - s.offtopic_ratio) / (1.0 - s.offtopic_ratio)))
        support = self._support(q, doc, offtopic)
        return round(max(0.0, min(1.0, support)) * (1.0 - damp), 4)

    # -- answering ------------------------------------------------------------------

    def answer(self, question: str, lang: str | None = None) -> PolicyAnswer:
        text = truncate((question or "").strip())
        language = lang if lang in ("en", "pl") else detect_language(text)
        if not text:
            return PolicyAnswer(None, None, 0.0, language, "empty")
        if not self.entries:
            return PolicyAnswer(None, None, 0.0, language, "no_entries")
        q = self._query(text, language)
        if not q.topical:
            return PolicyAnswer(None, None, 0.0, language, "no_content")
        scores = self._scores(q)
        ranked = np.argsort(-scores, kind="stable")
        if scores[ranked[0]] <= 0:
            return PolicyAnswer(None, None, 0.0, language, "no_match")
        order = [int(i) for i in ranked if i < self._n_entries and scores[i] > 0]
        order = order[: self.settings.candidates]
        cands = tuple(Candidate(self.keys[i], round(float(scores[i]), 4), self._verdict(i))
                      for i in order)
        if ranked[0] >= self._n_entries or not order:
            return PolicyAnswer(None, None, 0.0, language, "out_of_scope", cands)
        ranking = [Ranked(i, float(scores[i]), self._verdict(i), self._confidence(q, scores, i),
                          self._contradicts(q.publicity, i), self._unstated(q.publicity, i),
                          self._publicity[i] == {"not_yet_public"})
                   for i in order]
        confidence = ranking[0].confidence
        decision = decide(ranking, self.settings, asks=q.posting or asks_permission(text),
                          posting=q.posting)
        if decision.outcome is Outcome.HAND_OVER:
            return PolicyAnswer(None, None, confidence, language, decision.reason, cands)
        if decision.outcome is Outcome.CLARIFY:
            choices = tuple(self.entries[i] for i in decision.docs)
            return PolicyAnswer(None, None, confidence, language, None, cands, choices)
        entry = self.entries[decision.docs[0]]
        return PolicyAnswer(entry, entry.verdict, confidence, language, None, cands)

    def _contradicts(self, publicity: frozenset[str], doc: int) -> bool:
        """The question is on the other side of publication than the entry: plainly, or, for an
        `allowed` entry about things already public, by any sign that it is not public yet."""
        own = self._publicity[doc]
        if self._verdict(doc) is Verdict.ALLOWED and own == {"already_public"}:
            return "not_yet_public" in publicity
        return len(publicity) == 1 and len(own) == 1 and publicity != own

    def _unstated(self, publicity: frozenset[str], doc: int) -> bool:
        """The entry is about things already public; the question does not plainly say so."""
        return self._publicity[doc] == {"already_public"} and publicity != {"already_public"}

    def _verdict(self, doc: int) -> Verdict | None:
        return self.entries[doc].verdict if doc < self._n_entries else None

    def explain(self, question: str, lang: str | None = None, top: int = 3
                ) -> list[tuple[str, float, list[tuple[str, float]]]]:
        """For the best `top` documents: (key, score, [(term, contribution), ...]), for admins
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
