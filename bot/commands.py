"""The one command language, parsed once for every platform.

The commands are those declared in the registry (bot/registry.py); the words that run each one, in
English and in Polish, come from the catalogs (`command.<name>.words`), and every language's words
work for everyone, in any case and with or without diacritics (`DOŁĄCZ`, `dolacz`). A word one typo
away gets a "did you mean" in the reader's language. `parse("add https://x.y/post Great read #ai promo")` gives
`Command("add", {"url": ..., "title": "Great read", "tags": ["ai"], "promotional": True})`.
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from bot import registry
from bot.errors import UserFacingError
from bot.i18n import LANGUAGES, catalog, command_words, fold
from bot.models import Mention
from bot.registry import Arg, Args, CommandDecl, ExtraArgs, MissingArgs

MAX_TEXT = 3000
SUGGEST_CUTOFF = 0.7  # "pomcc" → pomoc (0.8), "zapytja" → zapytaj (0.86); "hello" suggests nothing


@dataclass(frozen=True)
class Command:
    name: str
    args: Args = field(default_factory=dict)


QUESTION_WORDS = {
    "can", "may", "could", "should", "is", "am", "are", "do", "does", "what", "how", "when", "who",
    "czy", "jak", "co", "kiedy", "gdzie", "moge", "wolno", "mozna", "where", "which",
}  # folded (`fold`): "mogę" is "moge"


def _normalized(word: str) -> str:
    """How a command word is shown and stored in the index before `fold`: NFC, lower case."""
    return unicodedata.normalize("NFC", word).lower()


def entry(name: str, lang: str) -> dict[str, Any]:
    """A command's catalog entry in one language (`words`, `usage`, `help`, `menu`, `choices`)."""
    found = catalog(lang).get(f"command.{name}")
    return found if isinstance(found, dict) else {}


def words_of(name: str, lang: str) -> list[tuple[str, ...]]:
    return [tuple(_normalized(w) for w in str(form).split()) for form in entry(name, lang).get("words", ())]


def usage(name: str, lang: str = "en") -> str:
    """The usage line in this language (English where the language has none), else from the grammar."""
    for source in (lang, "en"):
        text = entry(name, source).get("usage")
        if text:
            return str(text)
    decl = registry.COMMANDS[name]
    forms = words_of(name, "en")
    shown = [" ".join(forms[0]) if forms else name]
    for arg in decl.args:
        label = "|".join(arg.choices) if arg.choices else arg.name + ("…" if arg.rest else "")
        shown.append(f"[{label}]" if arg.optional else f"<{label}>")
    return " ".join(shown)


def choice_of(name: str, word: str) -> str | None:
    """The choice a word names among a command's `choices`, in any language (None if none)."""
    return index().choices.get(name, {}).get(fold(word))


def choice_words(name: str, choice: str, lang: str) -> str:
    """How a choice is written in a language (its first word there, else the choice itself)."""
    words = (entry(name, lang).get("choices") or {}).get(choice)
    return str(words[0]) if words else choice


class _Index:
    """Every spelling of every command, folded (`fold`) and grouped by its first word, longest first;
    built once per registry change (a test may declare a throwaway command)."""

    def __init__(self) -> None:
        self.forms: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        self.spellings: dict[str, str] = {}  # "faq dodaj" → "faq.add", for "did you mean"
        self.choices: dict[str, dict[str, str]] = {}
        for decl in registry.ordered():
            for lang in LANGUAGES:
                for form in words_of(decl.name, lang):
                    folded = tuple(fold(word) for word in form)
                    if folded:
                        self.forms.setdefault(folded[0], []).append((folded, decl.name))
                        self.spellings.setdefault(" ".join(folded), decl.name)
            self.choices[decl.name] = {
                fold(str(word)): value for lang in LANGUAGES
                for value, words in (entry(decl.name, lang).get("choices") or {}).items()
                for word in [value, *words]}
        for spellings in self.forms.values():
            spellings.sort(key=lambda pair: -len(pair[0]))  # stable: among equals, the earlier declaration


_index: _Index | None = None


def _forget() -> None:
    global _index
    _index = None


registry.on_change(_forget)


def index() -> _Index:
    global _index
    if _index is None:
        _index = _Index()
    return _index


def _match(words: list[str]) -> tuple[str, int] | None:
    """The longest command whose words (in any language) start `words`."""
    for form, name in index().forms.get(words[0], ()):
        if tuple(words[:len(form)]) == form:
            return name, len(form)
    return None


def _did_you_mean(words: list[str]) -> str | None:
    """The command the first words are most likely a typo of: each spelling is compared with as many
    words as it has (`faq lsit` with `faq list`), the closest one wins."""
    best, name = 0.0, None
    for spelling, command in index().spellings.items():
        typed = " ".join(words[:spelling.count(" ") + 1])
        score = difflib.SequenceMatcher(None, typed, spelling).ratio()
        if score > best:
            best, name = score, command
    return name if best >= SUGGEST_CUTOFF else None


def _looks_like_question(text: str, words: list[str]) -> bool:
    return "?" in text or (len(words) >= 3 and words[0] in QUESTION_WORDS)


def _take_user(rest: str, mentions: Sequence[Mention]) -> tuple[Mention, str]:
    """The person mentioned at the start of `rest`, and what follows."""
    for mention in sorted(mentions, key=lambda m: -len(m.text)):
        if mention.text and rest.startswith(mention.text):
            after = rest[len(mention.text):]
            if not after or after[0].isspace():
                return mention, after.strip()
    raise MissingArgs()


def _arguments(decl: CommandDecl, rest: str, mentions: Sequence[Mention], lang: str) -> Args:
    """Fill the declaration's grammar from the words after the command."""
    if decl.parser is not None:
        return dict(decl.parser(rest))
    args: Args = {}
    for arg in decl.args:
        if not rest:
            if not arg.optional:
                raise MissingArgs()
            args[arg.name] = None
            continue
        if arg.kind == "user":
            try:
                args[arg.name], rest = _take_user(rest, mentions)
            except MissingArgs:
                if not arg.optional:
                    raise UserFacingError("error.user_expected", usage=usage(decl.name, lang)) from None
                args[arg.name] = None
            continue
        word, rest = (rest, "") if arg.rest else _first_word(rest)
        value = _convert(decl, arg, word)
        if value is None and arg.kind == "choice":
            if not arg.optional:
                raise MissingArgs()
            raise ExtraArgs()
        args[arg.name] = value
    if rest and not decl.ignore_rest:
        raise ExtraArgs()
    return args


def _first_word(text: str) -> tuple[str, str]:
    word, *more = text.split(maxsplit=1)
    return word, more[0].strip() if more else ""


def _convert(decl: CommandDecl, arg: Arg, value: str) -> str | None:
    if arg.kind == "id":
        return value.lstrip("#")
    if arg.kind == "lower":
        return value.lower()
    if arg.kind == "choice":
        found = choice_of(decl.name, value)
        return found if found in arg.choices else None
    return value


def parse(text: str | None, mentions: Sequence[Mention] = (), lang: str = "en") -> Command:
    """Parse one line typed by a member. Raises `UserFacingError` with what to do instead, showing the
    usage line in the member's language `lang`."""
    text = (text or "").strip()
    if len(text) > MAX_TEXT:
        raise UserFacingError("error.too_long", limit=MAX_TEXT, length=len(text))
    if text.startswith("/"):
        text = re.sub(r"^/\S+\s*", "", text)
    if not text:
        return Command("help")
    raw_words = text.split()
    words = [fold(w) for w in raw_words]
    found = _match(words)
    if found is None:
        if _looks_like_question(text, words):
            return Command("ask", {"question": text})
        guess = _did_you_mean(words)
        if guess:
            raise UserFacingError("error.unknown_command_suggest", word=raw_words[0][:40],
                                  suggestion=command_words(guess, lang))
        raise UserFacingError("error.unknown_command", word=raw_words[0][:40])
    name, consumed = found
    parts = text.split(maxsplit=consumed)
    rest = parts[consumed].strip() if len(parts) > consumed else ""
    try:
        args = _arguments(registry.COMMANDS[name], rest, mentions, lang)
    except MissingArgs:
        raise UserFacingError("error.missing_args", usage=usage(name, lang)) from None
    except ExtraArgs:
        raise UserFacingError("error.unexpected_args", usage=usage(name, lang)) from None
    return Command(name, args)
