"""The one command language, parsed once for every platform.

`parse("add https://x.y/post Great read #ai promo")` gives
`Command("add", {"url": ..., "title": "Great read", "tags": ["ai"], "promotional": True})`.
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.errors import UserFacingError

MAX_TEXT = 3000


@dataclass(frozen=True)
class Command:
    name: str
    args: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Spec:
    name: str
    words: tuple[str, ...]
    usage: str
    parse: Callable[[str], dict[str, Any]] | None = None
    aliases: tuple[tuple[str, ...], ...] = ()
    listed: bool = True


def _none(rest: str) -> dict[str, Any]:
    if rest:
        raise _Extra()
    return {}


class _Extra(Exception):
    pass


def _required(label: str) -> Callable[[str], dict[str, Any]]:
    def parse(rest: str) -> dict[str, Any]:
        if not rest:
            raise _Missing()
        return {label: rest}

    return parse


class _Missing(Exception):
    pass


def _add(rest: str) -> dict[str, Any]:
    if not rest:
        return {}
    url, *words = rest.split()
    tags: list[str] = []
    title: list[str] = []
    promotional = False
    for word in words:
        if word.startswith("#") and len(word) > 1:
            tags.append(word[1:].lower())
        elif word.lower() in ("promo", "promotional", "promocja"):
            promotional = True
        else:
            title.append(word)
    return {"url": url, "title": " ".join(title), "tags": tags, "promotional": promotional}


def _faq_add(rest: str) -> dict[str, Any]:
    parts = [p.strip() for p in rest.split("|")]
    if len(parts) < 2 or not parts[0] or not parts[1]:
        raise _Missing()
    verdict = parts[2] if len(parts) > 2 and parts[2] else None
    return {"question": parts[0], "answer": parts[1], "verdict": verdict}


def _target(rest: str) -> dict[str, Any]:
    if not rest:
        raise _Missing()
    target, *more = rest.split()
    return {"target": target.lstrip("#"), "link": more[0] if more else None}


def _faq_edit(rest: str) -> dict[str, Any]:
    key, _, change = rest.partition(" ")
    field, _, value = change.strip().partition(" ")
    value = value.strip()
    if value.startswith("="):
        value = value[1:].strip()
    if not key or not field or not value:
        raise _Missing()
    return {"target": key, "field": field.lower().rstrip("="), "value": value}


def _id_and_text(label: str) -> Callable[[str], dict[str, Any]]:
    def parse(rest: str) -> dict[str, Any]:
        target, _, more = rest.partition(" ")
        if not target or not more.strip():
            raise _Missing()
        return {"target": target.lstrip("#"), label: more.strip()}

    return parse


def _faq_save(rest: str) -> dict[str, Any]:
    target, _, verdict = rest.partition(" ")
    if not target:
        raise _Missing()
    return {"target": target.lstrip("#"), "verdict": verdict.strip() or None}


def _leaderboard(rest: str) -> dict[str, Any]:
    word = rest.lower()
    if word in ("", "hide", "show", "ukryj", "pokaż", "pokaz"):
        return {"visibility": {"ukryj": "hide", "pokaż": "show", "pokaz": "show"}.get(word, word) or None}
    raise _Extra()


def _optional(label: str) -> Callable[[str], dict[str, Any]]:
    return lambda rest: {label: rest.lower() or None}


def _schedule_set(rest: str) -> dict[str, Any]:
    name, _, spec = rest.partition(" ")
    spec = spec.strip().strip('"').strip("'").strip("“”")
    if not name or not spec:
        raise _Missing()
    return {"name": name.lower(), "spec": spec}


def _on_off(rest: str) -> dict[str, Any]:
    word = rest.lower()
    if word in ("off", "stop", "wyłącz", "wylacz"):
        return {"on": False}
    if word in ("on", "start", "włącz", "wlacz"):
        return {"on": True}
    raise _Missing()


SPECS: tuple[Spec, ...] = (
    Spec("help", ("help",), "help", _none, aliases=(("pomoc",), ("?",))),
    Spec("join", ("join",), "join", _none, aliases=(("dołącz",), ("dolacz",))),
    Spec("leave", ("leave",), "leave", _none, aliases=(("wypisz",), ("opuść",), ("opusc",))),
    Spec("add", ("add",), "add <url> [title words] [#tag …] [promo]", _add, aliases=(("dodaj",),)),
    Spec("list", ("list",), "list", _none, aliases=(("lista",),)),
    Spec("digest", ("digest", "now"), "digest now", _none),
    Spec("points", ("points",), "points", _none, aliases=(("punkty",),)),
    Spec("leaderboard", ("leaderboard",), "leaderboard [hide|show]", _leaderboard,
         aliases=(("ranking",),)),
    Spec("ask", ("ask",), "ask <question>", _required("question"), aliases=(("zapytaj",),)),
    Spec("faq.add", ("faq", "add"), "faq add <question> | <answer> [| allowed|not allowed|ask first]",
         _faq_add),
    Spec("faq.list", ("faq", "list"), "faq list", _none),
    Spec("faq.remove", ("faq", "remove"), "faq remove <id>", _required("target")),
    Spec("faq.edit", ("faq", "edit"), "faq edit <id> question|answer|question_pl|answer_pl|verdict|tags = <text>",
         _faq_edit),
    Spec("faq.import", ("faq", "import"), "faq import <YAML in the faq.yaml format>", _required("yaml")),
    Spec("faq.export", ("faq", "export"), "faq export", _none),
    Spec("faq.save", ("faq", "save"), "faq save <question id> [allowed|not allowed|ask first]", _faq_save),
    Spec("answer", ("answer",), "answer <question id> <your answer>", _id_and_text("text"),
         aliases=(("odpowiedz",), ("odpowiedź",))),
    Spec("check", ("check",), "check <draft post text>", _required("draft"), aliases=(("sprawdź",), ("sprawdz",))),
    Spec("denylist.add", ("denylist", "add"), "denylist add <confidential name>", _required("term")),
    Spec("denylist.remove", ("denylist", "remove"), "denylist remove <name>", _required("term")),
    Spec("codename.add", ("codename", "add"), "codename add <unreleased product code name>", _required("term")),
    Spec("codename.remove", ("codename", "remove"), "codename remove <name>", _required("term")),
    Spec("denylist.list", ("denylist",), "denylist", _none, aliases=(("codename",), ("codenames",))),
    Spec("stats", ("stats",), "stats", _none, aliases=(("statystyki",),)),
    Spec("use_channel", ("use", "this", "channel"), "use this channel", _none,
         aliases=(("użyj", "tego", "kanału"), ("uzyj", "tego", "kanalu"))),
    Spec("schedule.show", ("schedule", "show"), "schedule show", _none, aliases=(("schedule",),)),
    Spec("schedule.set", ("schedule", "set"), 'schedule set digest|nudges|monthly "mon 09:00"', _schedule_set),
    Spec("schedule.pause", ("schedule", "pause"), "schedule pause [digest|nudges|monthly]", _optional("name")),
    Spec("schedule.resume", ("schedule", "resume"), "schedule resume [digest|nudges|monthly]",
         _optional("name")),
    Spec("nudge.now", ("nudge", "now"), "nudge now", _none),
    Spec("snooze", ("snooze",), "snooze <2w|5d|off>", _required("duration"), aliases=(("wstrzymaj",),)),
    Spec("nudges", ("nudges",), "nudges off|on", _on_off, aliases=(("przypomnienia",),)),
    Spec("claim", ("claim",), "claim <content id>", _target),
    Spec("shared", ("shared",), "shared <content id> [link to your post]", _target),
)

QUESTION_WORDS = {
    "can", "may", "could", "should", "is", "am", "are", "do", "does", "what", "how", "when", "who",
    "czy", "jak", "co", "kiedy", "gdzie", "mogę", "moge", "wolno", "można", "mozna", "where", "which",
}


def _fold(word: str) -> str:
    return unicodedata.normalize("NFC", word).lower()


def _forms_by_first_word() -> dict[str, list[tuple[tuple[str, ...], Spec]]]:
    """Every spelling of every command, grouped by its first word, longest first."""
    forms: dict[str, list[tuple[tuple[str, ...], Spec]]] = {}
    for spec in SPECS:
        for form in (spec.words, *spec.aliases):
            forms.setdefault(form[0], []).append((form, spec))
    for spellings in forms.values():
        spellings.sort(key=lambda pair: -len(pair[0]))  # stable: among equals, the earlier spec
    return forms


_FORMS = _forms_by_first_word()


def _match(words: list[str]) -> tuple[Spec, int] | None:
    """The longest spec whose words (or an alias) start `words`."""
    for form, spec in _FORMS.get(words[0], ()):
        if tuple(words[:len(form)]) == form:
            return spec, len(form)
    return None


def _looks_like_question(text: str, words: list[str]) -> bool:
    return "?" in text or (len(words) >= 3 and words[0] in QUESTION_WORDS)


def usage(name: str) -> str:
    return next(spec.usage for spec in SPECS if spec.name == name)


def parse(text: str | None) -> Command:
    """Parse one line typed by a member. Raises `UserFacingError` with what to do instead."""
    text = (text or "").strip()
    if len(text) > MAX_TEXT:
        raise UserFacingError("error.too_long", limit=MAX_TEXT, length=len(text))
    if text.startswith("/"):
        text = re.sub(r"^/\S+\s*", "", text)
    if not text:
        return Command("help")
    raw_words = text.split()
    words = [_fold(w) for w in raw_words]
    found = _match(words)
    if found is None:
        if _looks_like_question(text, words):
            return Command("ask", {"question": text})
        vocabulary = sorted({" ".join(s.words) for s in SPECS if s.listed})
        guess = difflib.get_close_matches(" ".join(words[:3]), vocabulary, n=1, cutoff=0.6) or \
            difflib.get_close_matches(words[0], vocabulary, n=1, cutoff=0.6)
        if guess:
            raise UserFacingError("error.unknown_command_suggest", word=raw_words[0][:40], suggestion=guess[0])
        raise UserFacingError("error.unknown_command", word=raw_words[0][:40])
    spec, consumed = found
    parts = text.split(maxsplit=consumed)
    rest = parts[consumed].strip() if len(parts) > consumed else ""
    try:
        args = spec.parse(rest) if spec.parse else {}
    except _Missing:
        raise UserFacingError("error.missing_args", usage=spec.usage) from None
    except _Extra:
        raise UserFacingError("error.unexpected_args", usage=spec.usage) from None
    return Command(spec.name, args)
