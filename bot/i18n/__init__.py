"""Every user-facing string, in English and Polish, from one catalog (en.yaml, pl.yaml).

A value is a string with `{placeholders}`, or a mapping of CLDR plural categories
(`one`, `few`, `many`, `other`) chosen with Babel's plural rules for the language.

A message that tells the reader what to type names the command, never its words: `{cmd:leave}`
becomes `leave` in English and `opuść` in Polish, the first of the command's words in the reader's
catalog (`command.<name>.words`); words after the name are the command's choices (`{cmd:nudges on}`
→ `przypomnienia włącz`), other words are kept as written.
"""
from __future__ import annotations

import re
import string
import unicodedata
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
        strings: dict[str, Any] = yaml.safe_load(fh)
    return strings


def language_for(locale: str | None, default: str) -> str:
    """A member's language follows their platform locale (`pl-PL`, `pl_PL`, `pl`), else the default."""
    if locale:
        code = locale.replace("_", "-").split("-")[0].lower()
        if code in LANGUAGES:
            return code
    return default


COMMAND_REF = re.compile(r"\{cmd:([a-z_.]+)((?: [^{}\s]+)*)\}")


def placeholders(text: str) -> set[str]:
    """The `{names}` a text needs from its caller (command references are resolved by the catalog)."""
    return {name for _, name, _, _ in string.Formatter().parse(COMMAND_REF.sub("", text)) if name}


def fold(text: str) -> str:
    """How typed words are compared: lower case, without diacritics ("Dołącz" → "dolacz")."""
    decomposed = unicodedata.normalize("NFKD", text.lower().replace("ł", "l"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def command_words(name: str, lang: str) -> str:
    """How the reader types a command (and its choices): `nudges on` → `przypomnienia włącz`."""
    name, *choices = name.split()
    for source in (lang, "en"):
        entry = catalog(source).get(f"command.{name}")
        if isinstance(entry, dict) and entry.get("words"):
            break
    else:
        raise KeyError(f"no words for the command {name!r}")
    shown = [str(entry["words"][0])]
    for choice in choices:
        words = (entry.get("choices") or {}).get(choice) or \
            (catalog("en").get(f"command.{name}", {}).get("choices") or {}).get(choice) or [choice]
        shown.append(str(words[0]))
    return " ".join(shown)


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
        if "{cmd:" in value:
            value = COMMAND_REF.sub(lambda ref: self.cmd(ref[1] + ref[2]), value)
        return value.format(**params) if params else value

    def cmd(self, name: str) -> str:
        """The words that run a command in this language (see `command_words`)."""
        return command_words(name, self.lang)

    def n(self, message: str, n: int, /, **params: Any) -> str:
        return self(message, n=n, **params)
