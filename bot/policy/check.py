"""Checking a draft post for things the policy forbids, before it is shared.

Findings carry reason keys (REASON_KEYS values), not sentences: the caller translates them.
The checks are deliberately cautious (a false alarm costs a second look; a miss can cost a
market-abuse investigation):

* money figures in the same sentence as financial words ("revenue", "Q3", "przychody",
  "zysk", "kwartał", ...): amounts with a currency or magnitude ($4.2M, 12,5 mln zł, €300k),
  percentages, and long bare numbers;
* names on a confidential deny list (customers, prospects, partners) and unreleased product
  code names, case-, diacritics- and inflection-insensitive ("Orlenem", "ŻABCE" -> "Żabka");
* confidentiality markers pasted from internal material ("internal only", "poufne").
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from bot.policy.language import detect_language
from bot.policy.lemmas import lemma
from bot.policy.text import fold

KIND_FINANCIAL = "financial"
KIND_DENY_NAME = "deny_name"
KIND_CODE_NAME = "code_name"
KIND_CONFIDENTIAL_MARKER = "confidential_marker"

REASON_KEYS = {
    KIND_FINANCIAL: "financial_figure",
    KIND_DENY_NAME: "confidential_name",
    KIND_CODE_NAME: "code_name",
    KIND_CONFIDENTIAL_MARKER: "confidential_marker",
}
"""Finding kind -> reason key (bare words; the chat layer adds its own catalog prefix)."""

MAX_DRAFT_CHARS = 20_000
EXCERPT_CHARS = 80


@dataclass(frozen=True)
class Finding:
    kind: str
    excerpt: str
    """The offending text as written in the draft (a figure's sentence is shortened)."""
    reason_key: str


_NUM = r"\d(?:[\d\s.,'’]*\d)?"
_MAGNITUDE = (r"(?:k|m|mn|mln|mld|bn|b|tys\.?|million\w*|billion\w*|thousand\w*|milion\w*|"
              r"miliard\w*|tysi\w*)")
_CURRENCY_WORD = r"(?:z[łl](?:otych|ote|oty)?|pln|eur|euro|usd|gbp|chf|dolar\w*|funt\w*)"
_FIGURE_RE = re.compile(
    rf"[$€£]\s?{_NUM}(?:\s?{_MAGNITUDE}\b)?"
    rf"|{_NUM}\s?(?:%|proc\.|procent\w*|p\.p\.|pp\b)"
    rf"|{_NUM}\s?{_MAGNITUDE}\b(?:\s?(?:{_CURRENCY_WORD}\b|[$€£]))?"
    rf"|{_NUM}\s?(?:{_CURRENCY_WORD}\b|[$€£])",
    re.IGNORECASE)
_LONG_NUMBER_RE = re.compile(r"\b\d{1,3}(?:[\s.,’']\d{3})+\b|\b\d{5,}\b")
_SENTENCE_RE = re.compile(r"[^.!?\n]+(?:[.!?](?!\d)|\n|$)|[^\n]+", re.UNICODE)
_WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)

_FINANCIAL_EXACT = frozenset("""
q1 q2 q3 q4 h1 h2 fy ytd yoy rdr arr mrr ebit ebitda capex opex eps kpi cash
""".split())
_FINANCIAL_PREFIXES = tuple(fold(w) for w in """
revenue profit earning ebitda margin turnover sales booking income loss forecast guidance
budget valuation growth grew quarter dividend backlog pipeline deal contract financ result
przychod przychód zysk strat marż obrot obrót sprzedaż sprzedaz wynik kwartał kwartal
prognoz budżet budzet wycen wzrost wzrósł wzrosl dywidend kontrakt umow finans zarob
""".split())

_MARKERS = tuple(tuple(fold(w).split()) for w in (
    "confidential", "internal only", "for internal use", "do not share", "do not distribute",
    "not for publication", "under embargo", "embargoed", "nda", "strictly private",
    "poufne", "poufny", "poufna", "tylko do użytku wewnętrznego", "do użytku wewnętrznego",
    "nie udostępniać", "nie publikować", "tajemnica przedsiębiorstwa", "objęte embargiem",
))

# Polish case endings of nouns and adjectives (folded), English plural: "Orlen" + "em".
_ENDINGS = frozenset("""
a u e y i ie em om owi ami ach ow owie s es ej iej ego emu im ich imi ym ych ymi
""".split()) | {""}
_ALTERNATIONS = (("k", "c"), ("g", "dz"), ("r", "rz"), ("t", "ci"), ("d", "dzi"), ("l", "l"),
                 ("ch", "sz"), ("st", "sci"))


def check_draft(text: str, *, deny_names: Iterable[str] = (), code_names: Iterable[str] = (),
                lang: str | None = None) -> list[Finding]:
    """Findings in the order they appear in the draft (no duplicates)."""
    text = (text or "")[:MAX_DRAFT_CHARS]
    if not text.strip():
        return []
    lang = lang if lang in ("en", "pl") else detect_language(text)
    tokens = [(m.start(), m.end(), fold(m.group())) for m in _WORD_RE.finditer(text)]
    found: list[tuple[int, Finding]] = []
    found += _financial(text)
    found += _names(text, tokens, deny_names, KIND_DENY_NAME, lang)
    found += _names(text, tokens, code_names, KIND_CODE_NAME, lang)
    found += _markers(text, tokens)
    seen: set[tuple[str, str]] = set()
    out = []
    for _, finding in sorted(found, key=lambda p: p[0]):
        key = (finding.kind, fold(finding.excerpt))
        if key not in seen:
            seen.add(key)
            out.append(finding)
    return out


def _is_financial_word(word: str) -> bool:
    return word in _FINANCIAL_EXACT or word.startswith(_FINANCIAL_PREFIXES)


def _financial(text: str) -> list[tuple[int, Finding]]:
    out = []
    for sentence in _SENTENCE_RE.finditer(text):
        body = sentence.group()
        figures = list(_FIGURE_RE.finditer(body))
        figures += [m for m in _LONG_NUMBER_RE.finditer(body) if not _is_year(m.group())]
        if not figures:
            continue
        words = [fold(w) for w in _WORD_RE.findall(body)]
        if not any(_is_financial_word(w) for w in words):
            continue
        first = min(figures, key=lambda m: m.start())
        excerpt = _shorten(body.strip(), first.group().strip())
        out.append((sentence.start() + first.start(),
                    Finding(KIND_FINANCIAL, excerpt, REASON_KEYS[KIND_FINANCIAL])))
    return out


def _is_year(number: str) -> bool:
    return number.isdigit() and len(number) == 4 and 1900 <= int(number) <= 2100


def _shorten(sentence: str, anchor: str) -> str:
    if len(sentence) <= EXCERPT_CHARS:
        return sentence
    at = max(sentence.find(anchor), 0)
    start = max(0, at - EXCERPT_CHARS // 2)
    piece = sentence[start:start + EXCERPT_CHARS].strip()
    return ("…" if start else "") + piece + ("…" if start + EXCERPT_CHARS < len(sentence) else "")


def _stems(word: str) -> set[str]:
    """Forms a name's word may take before a case ending ("zabka" -> "zabk", "zabc")."""
    stems = {word}
    if len(word) > 3 and word[-1] in "aeoy":
        stems.add(word[:-1])
    for stem in list(stems):
        for plain, soft in _ALTERNATIONS:
            if stem.endswith(plain) and len(stem) > 3:
                stems.add(stem[: -len(plain)] + soft)
    return stems


def _word_matches(token: str, name_word: str, lang: str) -> bool:
    if token == name_word:
        return True
    if len(name_word) < 3:
        return False
    for stem in _stems(name_word):
        if token.startswith(stem) and token[len(stem):] in _ENDINGS:
            return True
    return lemma(token, lang)[0] == name_word


def _names(text: str, tokens: list[tuple[int, int, str]], names: Iterable[str], kind: str,
           lang: str) -> list[tuple[int, Finding]]:
    out = []
    for name in names:
        parts = [fold(w) for w in _WORD_RE.findall(name or "")]
        if not parts:
            continue
        for i in range(len(tokens) - len(parts) + 1):
            window = tokens[i:i + len(parts)]
            if all(_word_matches(tok[2], part, lang) for tok, part in zip(window, parts, strict=False)):
                start, end = window[0][0], window[-1][1]
                out.append((start, Finding(kind, text[start:end], REASON_KEYS[kind])))
    return out


def _markers(text: str, tokens: list[tuple[int, int, str]]) -> list[tuple[int, Finding]]:
    out = []
    words = [t[2] for t in tokens]
    for marker in _MARKERS:
        n = len(marker)
        for i in range(len(words) - n + 1):
            if tuple(words[i:i + n]) == marker:
                start, end = tokens[i][0], tokens[i + n - 1][1]
                out.append((start, Finding(KIND_CONFIDENTIAL_MARKER, text[start:end],
                                           REASON_KEYS[KIND_CONFIDENTIAL_MARKER])))
    return out
