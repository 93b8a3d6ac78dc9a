"""Is a chat question English or Polish? Robust to missing diacritics and code-switching."""
from __future__ import annotations

from bot.policy.lemmas import is_known, restore_polish
from bot.policy.text import STOP_EN, STOP_PL, fold, words

_PL_LETTERS = set("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ")
_STOP_EN_ONLY = STOP_EN - STOP_PL
_STOP_PL_ONLY = STOP_PL - STOP_EN


def detect_language(text: str, *, dictionaries: bool = True) -> str:
    """"pl" or "en" (the default when there is no evidence either way).

    Polish letters and Polish function words are the strongest signals; words only one of the
    two dictionaries knows break ties. Mixed questions ("mozna wrzucic bookings za Q3?")
    usually have Polish grammar words, so they count as Polish, which is what the asker reads.
    `dictionaries=False` judges by letters and function words alone: for text written with care
    (a caption, a title) that is enough, and it never waits seconds for the dictionaries to load.
    """
    pl = 3.0 * sum(c in _PL_LETTERS for c in text)
    en = 0.0
    for word in words(text)[:200]:
        low = word.lower()
        folded = fold(low)
        if folded in _STOP_PL_ONLY:
            pl += 2
        elif low in _STOP_EN_ONLY:
            en += 2
        elif dictionaries:
            known_pl = is_known(low, "pl") or restore_polish(folded) is not None
            known_en = is_known(low, "en")
            if known_pl and not known_en:
                pl += 1
            elif known_en and not known_pl:
                en += 1
    return "pl" if pl > en else "en"
