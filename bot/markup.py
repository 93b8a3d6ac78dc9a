"""The core's markup: the small language message text is written in, and how a renderer maps it.

Catalog strings and services mark text with three spans, and nothing else is markup:

    *bold*     _italic_     `code`

A mark opens only where it does not touch a word on its outside (so `snake_case_name`, `2*3*4`
and a URL's underscores are text) and closes on the same line; spans do not nest (inside one,
the other marks are text, which the platform may still show its own way). Links are not
markup: a card carries its URL.

A renderer states its platform's syntax once, as a `Syntax`, and renders every text with it;
`Syntax.render(text)` is the only place the marks are parsed.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import Enum


class Style(Enum):
    TEXT = "text"
    BOLD = "bold"
    ITALIC = "italic"
    CODE = "code"


@dataclass(frozen=True)
class Span:
    style: Style
    text: str


SPANS = re.compile(r"(?<![\w*])\*(\S[^*\n]*?)\*(?!\w)|(?<![\w_])_(\S[^_\n]*?)_(?!\w)|`([^`\n]+)`")
_STYLES = (Style.BOLD, Style.ITALIC, Style.CODE)


def spans(text: str) -> Iterator[Span]:
    """The text as a sequence of spans, in order; joined back (with their marks) it is the text."""
    at = 0
    for match in SPANS.finditer(text):
        if match.start() > at:
            yield Span(Style.TEXT, text[at:match.start()])
        group = next(i for i in (1, 2, 3) if match.group(i) is not None)
        yield Span(_STYLES[group - 1], match.group(group))
        at = match.end()
    if at < len(text):
        yield Span(Style.TEXT, text[at:])


def as_is(text: str) -> str:
    """Text unchanged; as a span's mapping, the span shown without its marks."""
    return text


@dataclass(frozen=True)
class Syntax:
    """How one platform shows each span. `text` is applied to all text, inside spans too (an
    escape); `bold`, `italic` and `code` wrap a span's (escaped) text. The defaults write the
    core's own marks back, so `Syntax()` renders a text as it is."""

    text: Callable[[str], str] = as_is
    bold: Callable[[str], str] = lambda s: f"*{s}*"
    italic: Callable[[str], str] = lambda s: f"_{s}_"
    code: Callable[[str], str] = lambda s: f"`{s}`"

    def render(self, text: str) -> str:
        if self.text is as_is:
            return SPANS.sub(self._span, text)
        out: list[str] = []
        at = 0
        for match in SPANS.finditer(text):
            out += (self.text(text[at:match.start()]), self._span(match))
            at = match.end()
        out.append(self.text(text[at:]))
        return "".join(out)

    def _span(self, match: re.Match[str]) -> str:
        bold, italic, code = match.groups()
        if bold is not None:
            return self.bold(self.text(bold))
        if italic is not None:
            return self.italic(self.text(italic))
        return self.code(self.text(code))


PLAIN = Syntax(bold=as_is, italic=as_is, code=as_is)


def plain(text: str) -> str:
    """The text without any marks: for places that show text as it is."""
    return PLAIN.render(text)
