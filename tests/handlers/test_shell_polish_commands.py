"""`advocacy shell` in Polish, the way a Polish employee types: no diacritics, upper case, typos,
missing arguments. Every reply names commands in Polish."""
import re

from bot import registry
from bot.commands import words_of
from tests.handlers.test_shell import last_button, shell  # noqa: F401  (a fixture)

TRANSCRIPT = [  # (typed, a piece of the reply)
    ("pomoc", "• `biorę <nr>` — zapisz treść na później"),
    ("DOLACZ", "Wpisz `opuść`, kiedy zechcesz przestać."),
    ("pomcc", "Czy chodziło o `pomoc`?"),
    ("punky", "Czy chodziło o `punkty`?"),
    ("zapytja o wyniki", "Czy chodziło o `zapytaj`?"),
    ("biore", "Czegoś brakuje. Użyj tak: `biorę <nr>`"),
    ("udostepnione", "Użyj tak: `udostępnione <nr> [link do posta]`"),
    ("ranking pokaz teraz", "To polecenie nie przyjmuje nic więcej. Użyj tak: `ranking [ukryj|pokaż]`"),
    ("wstrzymaj", "Użyj tak: `wstrzymaj <2 tygodnie|5 dni|do 15 grudnia|wyłącz>`"),
    ("wstrzymaj 2 tyg.", "Przypomnienia wstrzymane do 7 grudnia (za 2 tygodnie)."),
    ("wstrzymaj piec dni", "`wstrzymaj dwa tygodnie` (słownie od jednego do czterech)"),
    ("wstrzymaj do 31 lutego", "Nie ma takiego dnia jak „do 31 lutego”."),
    ("przypomnienia WYLACZ", "`przypomnienia włącz` włącza je ponownie."),
    ("opusc", "Wpisz `dołącz`, żeby wrócić."),
]
ADMIN_TRANSCRIPT = [
    ("dodaj", "Użyj tak: `dodaj <link> [tytuł] [#tag …] [promocja]`"),
    ("harmonogram ustaw zestawienie pn 9:00", "Cotygodniowe zestawienie: w poniedziałek o 9:00 (aktywne)"),
    ("harmonogram ustaw zestawienie pon 25:00", "Nie rozumiem dnia i godziny „pon 25:00”."),
    ("harmonogram wstrzymaj wszystko", "Użyj jednego z: zestawienie, przypomnienia, podsumowanie."),
    ("faq usun", "Użyj tak: `faq usuń <klucz>`"),
    ("poufne", "`poufne dodaj <nazwa>`, `kryptonim dodaj <nazwa>`"),
]


def _english_only_words() -> set[str]:
    english = {w for decl in registry.ordered() for form in words_of(decl.name, "en") for w in form}
    polish = {w for decl in registry.ordered() for form in words_of(decl.name, "pl") for w in form}
    return english - polish


async def test_a_polish_member_and_admin_meet_only_polish_commands_in_the_shell(shell):  # noqa: F811
    english = _english_only_words()
    await shell.feed(":lang pl")
    await shell.feed(":dm")
    for user, lines in (("ola", TRANSCRIPT), ("admin", ADMIN_TRANSCRIPT)):
        await shell.feed(f":as {user}")
        await shell.feed(":lang pl")
        for typed, expected in lines:
            await shell.feed(typed)
            reply = shell.out[-1]
            assert expected in reply, (typed, reply)
            commands = {w for quoted in re.findall(r"`([^`]+)`", reply) for w in quoted.lower().split()}
            assert commands & english == set(), (typed, reply)
