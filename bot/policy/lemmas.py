"""Dictionary forms of English and Polish words, tolerant of Polish typed without diacritics.

simplemma only knows correctly spelled words, and chat Polish is often typed without
diacritics ("zdjecie", "moge"). For a word neither dictionary knows we try putting the
diacritics back, fewest changes first, and keep the first spelling simplemma knows.
"""
from __future__ import annotations

import itertools
from functools import lru_cache
from typing import Container

import simplemma

from bot.policy.text import fold

_PL_DIACRITICS = {"a": "aą", "c": "cć", "e": "eę", "l": "lł", "n": "nń", "o": "oó", "s": "sś",
                  "z": "zźż"}
_MAX_SPELLINGS = 1024


def is_known(word: str, lang: str) -> bool:
    return simplemma.is_known(word, lang=lang)


@lru_cache(maxsize=1 << 16)
def restore_polish(word: str) -> str | None:
    """The Polish spelling of a word typed without diacritics, or None when there is none."""
    options = [_PL_DIACRITICS.get(c, c) for c in word]
    if all(len(o) == 1 for o in options) or len(word) < 2:
        return None
    size = 1
    for o in options:
        size *= len(o)
    if size > _MAX_SPELLINGS:
        return None
    spellings = sorted(("".join(p) for p in itertools.product(*options)),
                       key=lambda s: sum(a != b for a, b in zip(s, word, strict=False)))
    for spelling in spellings[1:]:
        if is_known(spelling, "pl"):
            return spelling
    return None


@lru_cache(maxsize=1 << 17)
def lemma(word: str, lang: str) -> tuple[str, bool]:
    """(folded dictionary form, known) of a lower-case word, trying `lang` first.

    Unknown words come back folded but otherwise as typed, with known=False.
    """
    if any(c.isdigit() for c in word):
        return fold(word), True
    other = "pl" if lang == "en" else "en"
    for candidate in (lang, other):
        if is_known(word, candidate):
            return fold(simplemma.lemmatize(word, lang=candidate)), True
    restored = restore_polish(word) if not any(c in "ąćęłńóśźż" for c in word) else None
    if restored:
        return fold(simplemma.lemmatize(restored, lang="pl")), True
    return fold(word), False


_EN_SUFFIXES = ("ly", "ness", "ment", "ing", "ed", "er", "s")


def english_base(word: str, vocabulary: Container[str]) -> str | None:
    """A shorter English word in `vocabulary` that `word` derives from ("monthly" -> "month").

    Only used for words the index does not have; the lemmatizer already handles inflection.
    """
    for suffix in _EN_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            base = word[: -len(suffix)]
            if base in vocabulary:
                return base
            if base + "e" in vocabulary:
                return base + "e"
    return None
