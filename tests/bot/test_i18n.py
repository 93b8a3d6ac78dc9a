import re

from bot import registry
from bot.commands import entry
from bot.i18n import COMMAND_REF, LANGUAGES, Translator, catalog, fold, language_for, placeholders


def _texts(value) -> list[str]:
    """Every string in a catalog value (a text, plural forms, or a command entry's words and lines)."""
    if isinstance(value, dict):
        return [text for inner in value.values() for text in _texts(inner)]
    if isinstance(value, list):
        return [text for inner in value for text in _texts(inner)]
    return [value]


def _placeholders(value) -> set[str]:
    return {name for text in _texts(value) for name in placeholders(text)}


def _command_refs(value) -> set[str]:
    return {ref[1] + ref[2] for text in _texts(value) for ref in COMMAND_REF.finditer(text)}


def test_polish_and_english_catalogs_have_the_same_keys_and_placeholders():
    en, pl = catalog("en"), catalog("pl")
    assert set(en) == set(pl)
    for key in en:
        if not key.startswith("command."):  # words and usage lines, not texts with placeholders
            assert _placeholders(en[key]) == _placeholders(pl[key]), key
            assert _command_refs(en[key]) == _command_refs(pl[key]), key


def test_a_message_names_the_command_to_type_in_the_readers_words():
    registry.load()
    refs = {ref for lang in LANGUAGES for value in catalog(lang).values() for ref in _command_refs(value)}
    assert len(refs) > 10
    for ref in refs:
        name, *choices = ref.split()
        assert name in registry.COMMANDS, ref
        for choice in choices:
            assert all(choice in (entry(name, lang).get("choices") or {}) or lang == "en" for lang in LANGUAGES), ref
    assert Translator("pl")("join.already") == "Już jesteś w programie. Wpisz `opuść`, jeśli chcesz zrezygnować."
    assert "`leave`" in Translator("en")("join.already")
    assert "`przypomnienia włącz`" in Translator("pl")("nudge.stopped")
    assert "`ranking pokaż`" in Translator("pl")("leaderboard.you_hidden")
    assert "`leaderboard show`" in Translator("en")("leaderboard.you_hidden")
    assert "`udostępnione 7 https://" in Translator("pl")("link.how", id=7)


def test_polish_plurals_follow_polish_grammar():
    t = Translator("pl")
    assert t.n("points.balance", 1, shares=1).startswith("Masz 1 punkt ")
    assert t.n("points.balance", 3, shares=1).startswith("Masz 3 punkty ")
    assert t.n("points.balance", 5, shares=1).startswith("Masz 5 punktów ")
    assert t.n("points.balance", 22, shares=1).startswith("Masz 22 punkty ")


def test_a_balance_puts_each_number_in_its_own_plural():
    from bot.services.points import balance_line

    assert balance_line(Translator("en"), 10, 1) == "You have 10 points from 1 share."
    assert balance_line(Translator("en"), 1, 2) == "You have 1 point from 2 shares."
    assert balance_line(Translator("pl"), 15, 1) == "Masz 15 punktów za 1 udostępnienie."
    assert balance_line(Translator("pl"), 22, 5) == "Masz 22 punkty za 5 udostępnień."


def test_language_follows_the_platform_locale_then_the_default():
    assert language_for("pl-PL", "en") == "pl"
    assert language_for("pl_PL", "en") == "pl"
    assert language_for("de-DE", "pl") == "pl"
    assert language_for(None, "en") == "en"


def test_no_message_writes_a_command_by_hand():
    """A command in a message is a `{cmd:…}` reference, so each reader sees it in their own words."""
    registry.load()
    first_words = {fold(form.split()[0]) for decl in registry.ordered() for lang in LANGUAGES
                   for form in entry(decl.name, lang).get("words", ()) if form != "?"}
    by_hand = {(lang, key): quoted for lang in LANGUAGES for key, value in catalog(lang).items()
               if not key.startswith("command.") for text in _texts(value)
               for quoted in _quoted_first_words(text) if fold(quoted) in first_words}
    assert by_hand == {}
    assert _quoted_first_words("Wpisz `leave`, żeby `{cmd:join}`") == ["leave"]  # the scan sees one


def _quoted_first_words(text: str) -> list[str]:
    return [span.split()[0] for span in re.findall(r"`([^`]+)`", text) if not span.startswith("{")]
