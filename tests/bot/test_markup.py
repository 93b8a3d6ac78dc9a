"""The core's markup language (bot/markup.py): what counts as a span, and how a syntax maps it."""
import pytest

from bot import markup
from bot.i18n import LANGUAGES, catalog
from bot.markup import Span, Style, Syntax


def test_bold_italic_and_code_are_the_three_spans():
    assert list(markup.spans("Say *hi* to _all_ with `help`.")) == [
        Span(Style.TEXT, "Say "), Span(Style.BOLD, "hi"), Span(Style.TEXT, " to "), Span(Style.ITALIC, "all"),
        Span(Style.TEXT, " with "), Span(Style.CODE, "help"), Span(Style.TEXT, ".")]


@pytest.mark.parametrize("text", [
    "snake_case_name", "2*3*4 = 24", "https://example.com/a_b_c_d", "a * b * c", "*not\nbold*",
    "_ leading space_", "``", "price: 5*", "file_name.txt and _x",
])
def test_marks_inside_words_or_across_lines_are_text(text):
    assert [span.style for span in markup.spans(text)] == [Style.TEXT]
    assert markup.plain(text) == text


def test_spans_do_not_nest_the_inner_marks_are_text():
    spans = list(markup.spans("_Hidden (`leaderboard show` to appear)._"))
    assert spans == [Span(Style.ITALIC, "Hidden (`leaderboard show` to appear).")]
    assert list(markup.spans("`a *b* _c_`")) == [Span(Style.CODE, "a *b* _c_")]


def test_the_default_syntax_writes_a_text_back_as_it_was():
    text = "*Leaderboard*\n1. Ola _(you)_ — `10` points & <more>"
    assert Syntax().render(text) == text


def test_a_syntax_maps_each_span_and_escapes_text_inside_spans_too():
    html = Syntax(text=lambda s: s.replace("<", "&lt;"), bold=lambda s: f"<b>{s}</b>",
                  italic=lambda s: f"<i>{s}</i>", code=lambda s: f"<code>{s}</code>")
    assert html.render("a<b *x<y* _z_ `c<d`") == "a&lt;b <b>x&lt;y</b> <i>z</i> <code>c&lt;d</code>"


def test_plain_drops_every_mark():
    assert markup.plain("*Stats*: _see_ `stats`") == "Stats: see stats"


def texts(lang):
    def strings(value):
        """A text, plural forms, or a command entry's words and lines (bot/registry.py)."""
        if isinstance(value, dict):
            value = list(value.values())
        if isinstance(value, list):
            return [text for inner in value for text in strings(inner)]
        return [value]

    for key, value in catalog(lang).items():
        yield from ((key, v) for v in strings(value))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_bold_and_code_mark_in_the_catalogs_closes_its_span(lang):
    """A mark left open would show as a stray * or ` on every platform."""
    for key, text in texts(lang):
        shown = markup.plain(markup.plain(text))  # twice: a code span may sit in an italic one
        assert "*" not in shown and "`" not in shown, key
