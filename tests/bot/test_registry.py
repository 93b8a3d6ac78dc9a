"""The command registry: every declared command has its words and lines in both catalogs, no words
run two commands, every form that worked before still works, and grammars parse as declared."""
import pytest

from bot import registry
from bot.commands import Command, entry, parse, usage, words_of
from bot.errors import UserFacingError
from bot.i18n import LANGUAGES, catalog, fold
from bot.models import Mention
from bot.registry import MENU_LIMIT, parse_grammar
from tests.fakes.commands import throwaway_command

registry.load()

# Every spelling that ran a command before the registry, and the command it runs.
FORMS = {
    "help": "help", "pomoc": "help", "?": "help", "join": "join", "dołącz": "join", "dolacz": "join",
    "leave": "leave", "wypisz": "leave", "opuść": "leave", "opusc": "leave", "add": "add", "dodaj": "add",
    "list": "list", "lista": "list", "digest now": "digest", "points": "points", "punkty": "points",
    "leaderboard": "leaderboard", "ranking": "leaderboard", "ask x": "ask", "zapytaj x": "ask",
    "faq add a | b": "faq.add", "faq list": "faq.list", "faq remove k": "faq.remove", "faq edit k verdict = ok":
    "faq.edit", "faq import x": "faq.import", "faq export": "faq.export", "faq save 1": "faq.save",
    "answer 1 yes": "answer", "odpowiedz 1 tak": "answer", "odpowiedź 1 tak": "answer", "check x": "check",
    "sprawdź x": "check", "sprawdz x": "check", "denylist add x": "denylist.add",
    "denylist remove x": "denylist.remove", "codename add x": "codename.add", "codename remove x": "codename.remove",
    "denylist": "denylist.list", "codename": "denylist.list", "codenames": "denylist.list", "stats": "stats",
    "statystyki": "stats", "use this channel": "use_channel", "użyj tego kanału": "use_channel",
    "uzyj tego kanalu": "use_channel", "schedule show": "schedule.show", "schedule": "schedule.show",
    "schedule set digest 10:00": "schedule.set", "schedule pause": "schedule.pause",
    "schedule resume": "schedule.resume", "nudge now": "nudge.now", "snooze 2w": "snooze", "wstrzymaj 2w": "snooze",
    "nudges off": "nudges", "przypomnienia wyłącz": "nudges", "claim 1": "claim", "shared 1": "shared",
}


def test_every_form_that_worked_before_runs_the_same_command():
    assert {form: parse(form).name for form in FORMS} == FORMS


def test_every_command_has_its_words_and_usage_in_english_and_an_entry_in_polish():
    for decl in registry.ordered():
        assert words_of(decl.name, "en") and usage(decl.name), decl.name
        assert f"command.{decl.name}" in catalog("pl"), decl.name
        if decl.help:
            assert all(entry(decl.name, lang).get("help") for lang in LANGUAGES), decl.name


def test_no_words_run_two_commands_even_without_diacritics():
    seen: dict[tuple[str, ...], str] = {}
    for decl in registry.ordered():
        for lang in LANGUAGES:
            for form in words_of(decl.name, lang):
                form = tuple(fold(word) for word in form)
                assert seen.setdefault(form, decl.name) == decl.name, f"{form} runs {seen[form]} and {decl.name}"


def test_choice_words_in_the_catalogs_name_the_declared_choices():
    from bot.services.policy import EDITABLE
    from bot.services.schedules import NAMES

    read_by_the_handler = {"faq.edit": set(EDITABLE), "schedule.set": set(NAMES), "snooze": {"off"}}
    for decl in registry.ordered():
        declared = {choice for arg in decl.args for choice in arg.choices} | read_by_the_handler.get(decl.name, set())
        for lang in LANGUAGES:
            assert set(map(str, entry(decl.name, lang).get("choices") or {})) <= declared, decl.name


def test_choices_in_either_language_and_a_word_that_is_no_choice():
    assert parse("ranking pokaz").args == {"visibility": "show"}
    assert parse("leaderboard hide").args == {"visibility": "hide"}
    assert parse("leaderboard").args == {"visibility": None}
    assert parse("przypomnienia wlacz").args == {"state": "on"}
    assert parse("nudges stop").args == {"state": "off"}
    with pytest.raises(UserFacingError) as err:
        parse("leaderboard maybe")
    assert err.value.key == "error.unexpected_args"
    with pytest.raises(UserFacingError) as err:
        parse("nudges maybe")
    assert err.value.key == "error.missing_args" and err.value.params["usage"] == "nudges off|on"


def test_a_content_id_is_read_once_for_every_command_that_takes_one():
    assert parse("claim #12").args == {"target": "12"}
    assert parse("shared #12 https://example.com/p").args == {"target": "12", "link": "https://example.com/p"}
    assert parse("answer #3 yes, go ahead").args == {"target": "3", "text": "yes, go ahead"}


def test_the_menus_offer_at_most_twelve_commands_per_kind_of_conversation():
    for kind in (registry.DIRECT, registry.CHANNEL):
        offered = [decl.name for decl in registry.ordered() if kind in decl.menu]
        assert 1 <= len(offered) <= MENU_LIMIT, (kind, offered)
        assert all(entry(name, "en").get("menu") for name in offered)


def test_a_grammar_that_cannot_be_read_is_refused_when_declared():
    assert parse_grammar("<target:id> [link] ...")[1] is True
    for bad in ("<a...> <b>", "<a:colour>", "target", "<a] "):
        with pytest.raises(ValueError):
            parse_grammar(bad)


def test_a_user_is_taken_from_a_mention_and_refused_without_one():
    async def greet(turn, who, note):
        return None

    ola = Mention("U0OLA", "Ola Nowak", "@Ola Nowak")
    with throwaway_command("test.greet", "<who:user> [note...]", greet, en={"words": ["greet"]},
                           pl={"words": ["pozdrów"]}):
        assert parse("greet @Ola Nowak well done", [ola]) == Command("test.greet", {"who": ola, "note": "well done"})
        assert parse("pozdrów @Ola Nowak", [ola]).args == {"who": ola, "note": None}
        with pytest.raises(UserFacingError) as err:
            parse("greet Ola", [ola])
        assert err.value.key == "error.user_expected" and err.value.params["usage"] == "greet <who> [note…]"
    with pytest.raises(UserFacingError) as err:
        parse("greet @Ola Nowak", [ola])
    assert err.value.key == "error.unknown_command"


def test_a_polish_usage_line_in_the_catalog_is_what_polish_help_and_errors_show(monkeypatch):
    from bot.services.help import help_line

    monkeypatch.setitem(catalog("pl"), "command.ask", {**catalog("pl")["command.ask"], "usage": "zapytaj <pytanie>"})
    with pytest.raises(UserFacingError) as err:
        parse("zapytaj", lang="pl")
    assert err.value.params["usage"] == "zapytaj <pytanie>"
    assert help_line("ask", "pl").startswith("• `zapytaj <pytanie>` — zapytaj, czy")
    with pytest.raises(UserFacingError) as err:
        parse("zapytaj", lang="en")
    assert err.value.params["usage"] == "ask <question>"


def test_every_declared_command_and_button_runs_a_service_function():
    unbound = [decl.name for decl in registry.COMMANDS.values() if decl.handler is None]
    unbound += [verb for verb, decl in registry.ACTIONS.items() if decl.handler is None]
    assert len(registry.COMMANDS) > 30 and unbound == []


async def test_a_command_declared_without_a_service_function_is_answered_as_an_unknown_command(chat):
    with throwaway_command("test.orphan", "", None, en={"words": ["orphan"]}, pl={"words": ["sierota"]}):
        assert parse("orphan").name == "test.orphan"
        assert await chat.text("U_OLA", "orphan") == "I don't know the command `orphan`. Type `help` to see what I can do."


TAILS = ("", "1", "x", "1 x", "x | y", "x y = z", "digest 10:00", "https://example.com/post")


def sample(decl) -> str:
    """A line that runs the command: its English words and the first tail its grammar accepts."""
    words = " ".join(words_of(decl.name, "en")[0])
    for tail in TAILS:
        try:
            if parse(f"{words} {tail}").name == decl.name:
                return f"{words} {tail}"
        except UserFacingError:
            continue
    raise AssertionError(f"no sample line parses as {decl.name}")


async def test_every_command_and_button_that_needs_a_right_is_refused_in_the_core_to_a_member_without_it(chat):
    guarded = [decl for decl in registry.ordered() if decl.right]
    assert len(guarded) > 10
    for decl in guarded:
        reply = await chat.text("U_OLA", sample(decl))
        assert reply == "Only program admins can do that. Ask an admin if you think you should be one.", decl.name
    for verb in [verb for verb, decl in registry.ACTIONS.items() if decl.right]:
        reply = await chat.click("U_OLA", verb, values={"url": "https://example.com/forged"})
        assert reply is not None and reply.text.startswith("Only program admins can do that"), verb
    assert "Only program admins" not in await chat.text("U_ADMIN", "stats")
