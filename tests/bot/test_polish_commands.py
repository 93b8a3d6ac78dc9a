"""Polish is a first language for commands: every command has Polish words, Polish help lists them
with Polish placeholders, typed in any case and with or without diacritics, and a typo gets a
"did you mean" in the reader's language."""
import re

import pytest

from bot import registry
from bot.commands import entry, parse, usage, words_of
from bot.errors import UserFacingError
from bot.i18n import Translator, fold
from bot.services.help import listed as listed_in

registry.load()

ADMIN, OLA = "U_ADMIN", "U_OLA"
# Words that read the same in both languages, so English help may share them with Polish help.
SAME_IN_BOTH = {"faq", "link", "tag", "yaml", "pon"}


def _english_words() -> set[str]:
    """Every word of every English command form and usage line, less those Polish uses too."""
    words = set()
    for decl in registry.ordered():
        words |= {w for form in words_of(decl.name, "en") for w in form}
        words |= set(re.findall(r"[a-z]{2,}", usage(decl.name, "en").lower()))
    polish = {w for decl in registry.ordered() for form in words_of(decl.name, "pl") for w in form}
    return words - polish - SAME_IN_BOTH


def _placeholders(line: str) -> list[str]:
    return re.findall(r"[<\[]([^<>\[\]]+)[>\]]", line)


def test_every_command_has_polish_words_and_a_polish_usage_line():
    for decl in registry.ordered():
        polish, english = words_of(decl.name, "pl"), words_of(decl.name, "en")
        assert polish and not set(polish) & set(english), decl.name
        line = entry(decl.name, "pl").get("usage", "")
        assert line.split()[:len(polish[0])] == list(polish[0]), decl.name
        if _placeholders(usage(decl.name, "en")):
            assert _placeholders(line) and _placeholders(line) != _placeholders(usage(decl.name, "en")), decl.name


def test_every_polish_form_works_in_upper_case_and_without_diacritics():
    for decl in registry.ordered():
        for form in words_of(decl.name, "pl"):
            for typed in (" ".join(form).upper(), fold(" ".join(form))):
                try:
                    assert parse(typed).name == decl.name, typed
                except UserFacingError as refused:  # the words ran the command, which wants arguments
                    assert refused.key in ("error.missing_args", "error.user_expected"), typed


async def test_polish_help_lists_every_command_in_polish_words_with_polish_placeholders(chat):
    chat.locales[ADMIN] = "pl-PL"
    text = await chat.text(ADMIN, "pomoc")
    listed = re.findall(r"^• `([^`]+)`", text, re.MULTILINE)
    helped = listed_in(registry.MEMBER) + listed_in(registry.ADMIN)
    assert len(listed) == len(helped) == len([decl for decl in registry.ordered() if decl.help])
    for name, line in zip(helped, listed, strict=True):
        assert line == usage(name, "pl") and line.startswith(" ".join(words_of(name, "pl")[0])), line
    assert "• `biorę <nr>`" in text and "• `zapytaj <pytanie>`" in text
    assert "• `dodaj <link> [tytuł] [#tag …] [promocja]`" in text


async def test_polish_help_has_no_english_command_word_or_placeholder(chat):
    chat.locales[ADMIN] = "pl-PL"
    text = await chat.text(ADMIN, "POMOC")
    english = _english_words()
    assert {"claim", "shared", "snooze", "question", "title", "id"} <= english  # the check can fail
    found = set(re.findall(r"[a-ząćęłńóśźż_]{2,}", text.lower())) & english
    assert found == set()


@pytest.mark.parametrize(("typed", "lang", "suggested"), [
    ("pomcc", "pl", "pomoc"), ("punky", "pl", "punkty"), ("zapytja", "pl", "zapytaj"), ("Ranknig", "pl", "ranking"),
    ("lsit", "pl", "lista"), ("dolaczz", "pl", "dołącz"), ("faq lsta", "pl", "faq lista"),
    ("hlep", "en", "help"), ("pints", "en", "points"), ("zapytja", "en", "ask"), ("leaderbord", "en", "leaderboard"),
    ("udostepnone 3", "pl", "udostępnione"), ("biroe 3", "pl", "biorę"),
])
def test_a_typo_gets_did_you_mean_in_the_readers_words(typed, lang, suggested):
    with pytest.raises(UserFacingError) as err:
        parse(typed, lang=lang)
    assert err.value.key == "error.unknown_command_suggest"
    assert err.value.params["suggestion"] == suggested


def test_a_word_far_from_any_command_gets_no_suggestion():
    with pytest.raises(UserFacingError) as err:
        parse("banana", lang="pl")
    assert err.value.key == "error.unknown_command"


def test_polish_sub_commands_and_their_choices():
    assert parse("FAQ DODAJ a | b | zapytaj najpierw").name == "faq.add"
    assert parse("faq usun klucz").name == "faq.remove"
    assert parse("harmonogram").name == "schedule.show"
    assert parse("harmonogram wznow zestawienie").args == {"name": "zestawienie"}
    assert parse("przypomnij teraz").name == "nudge.now"
    assert parse("zestawienie teraz").name == "digest"
    assert parse("kryptonim dodaj Falcon").name == "codename.add"
    assert parse("poufne").name == "denylist.list"
    assert parse("biore #4").args == {"target": "4"}
    assert parse("Udostępnione 4 https://x.pl/p").args == {"target": "4", "link": "https://x.pl/p"}
    assert parse("przypomnienia WYLACZ").args == {"state": "off"}


async def test_polish_admin_changes_a_schedule_with_polish_names(chat):
    chat.locales[ADMIN] = "pl"
    assert "wstrzymane" in await chat.text(ADMIN, "harmonogram wstrzymaj przypomnienia")
    refused = await chat.text(ADMIN, "harmonogram wstrzymaj wszystko")
    assert "zestawienie, przypomnienia, podsumowanie" in refused


async def test_a_polish_member_writing_english_still_reads_polish(chat):
    chat.locales[OLA] = "pl-PL"
    assert "Witaj w programie" in await chat.text(OLA, "join")
    assert await chat.text(OLA, "points") == "Masz 0 punktów za 0 udostępnień."
    assert "Czy chodziło o `ranking`?" in await chat.text(OLA, "leaderbord")
    assert await chat.text(OLA, "claim") == "Czegoś brakuje. Użyj tak: `biorę <nr>`"
    assert "`przypomnienia włącz`" in await chat.text(OLA, "nudges off")


async def test_a_policy_answer_follows_the_language_of_the_question(chat):
    await chat.text(ADMIN, "faq add Can I post memes about our product? | Yes, if kind. | allowed")
    chat.locales[OLA] = "pl-PL"
    answer = await chat.text(OLA, "ask Can I post memes about our product?")
    assert "Allowed" in answer and "Yes, if kind." in answer


def test_a_message_shows_the_command_in_the_readers_words():
    pl, en = Translator("pl"), Translator("en")
    assert "`{cmd" not in pl("faq.empty") and "`faq dodaj <pytanie>" in pl("faq.empty")
    assert "`faq add <question>" in en("faq.empty")
    assert "`użyj tego kanału`" in pl("digest.no_channel") and "`use this channel`" in en("digest.no_channel")
    assert "wyślij odpowiedz 3 i treść" in pl("escalation.how", id=3)
