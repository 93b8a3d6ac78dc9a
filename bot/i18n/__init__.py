"""Every user-facing string, in English and Polish, from one catalog (en.yaml, pl.yaml).

A value is a string with `{placeholders}`, or a mapping of CLDR plural categories
(`one`, `few`, `many`, `other`) chosen with Babel's plural rules for the language.
"""
from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml
from babel import Locale
from babel.plural import PluralRule

LANGUAGES = ("en", "pl")
_DIR = Path(__file__).parent


@cache
def catalog(lang: str) -> dict[str, Any]:
    with open(_DIR / f"{lang}.yaml", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def language_for(locale: str | None, default: str) -> str:
    """A member's language follows their platform locale (`pl-PL`, `pl_PL`, `pl`), else the default."""
    if locale:
        code = locale.replace("_", "-").split("-")[0].lower()
        if code in LANGUAGES:
            return code
    return default


@cache
def plural_rule(lang: str) -> PluralRule:
    """The language's CLDR plural rule (Babel parses locale data on every `Locale.parse`)."""
    return Locale.parse(lang).plural_form


class Translator:
    def __init__(self, lang: str):
        self.lang = lang if lang in LANGUAGES else "en"
        self._strings = catalog(self.lang)
        self._plural = plural_rule(self.lang)

    def __call__(self, message: str, /, **params: Any) -> str:
        found = self._strings.get(message)
        value: str | dict[str, str] = catalog("en").get(message, message) if found is None else found
        if isinstance(value, dict):
            value = value.get(self._plural(abs(int(params.get("n", 0)))), value.get("other", message))
        return value.format(**params) if params else value

    def n(self, message: str, n: int, /, **params: Any) -> str:
        return self(message, n=n, **params)
