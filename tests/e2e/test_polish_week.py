"""A week of the program in Polish, in the real shell, on the fake clock: joining, the Monday digest,
saving for later, sharing with a link, the monthly summary, nudges (one snoozed from its button), a
policy question answered and one escalated and answered, points and the leaderboard. Nobody meets an
English word."""
import re
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from entry.app import create_app
from bot.i18n import catalog
from bot.services.policy import import_entries
from bot.services.turn import Context
from bot.unit_of_work import run_in_unit_of_work
from handlers.shell.session import ShellSession
from scheduler import jobs
from storage.repositories import Repositories
from tests.bot.test_i18n import _texts
from tests.conftest import FIRST_START, ROOT

WARSAW = ZoneInfo("Europe/Warsaw")
MEMBERS = ("ola", "piotr", "kasia", "admin")
# Not English to a Polish reader: names, the platform, and the web.
SHARED = {"linkedin", "faq", "https", "www", "com", "posts", "url", "link", "tag", "ola", "piotr", "kasia", "admin"}
# The shell's own frame around what the bot says (a terminal, not the bot).
SHELL_FRAME = re.compile(r"^\((only you|you are now [^)]*|direct message[^)]*|in #general)\) ?(bot:)?|"
                         r"^\[[^\]]+\] bot( updated \S+)?:|`:click[^`]*`|\[\d+\]", re.MULTILINE)
URL = re.compile(r"https?://\S+")
SLUG = re.compile(r"\b\w+(?:-\w+)+\b")  # an id such as a FAQ entry's (`office-and-warehouse-photos`): data


def _words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[A-Za-ząćęłńóśźżĄĆĘŁŃÓŚŹŻ]{3,}", re.sub(r"\{[^}]*\}", " ", text))}


def english_only_words() -> set[str]:
    """Words the English catalog uses and the Polish one never does outside `code` (where a command
    word written in English would be the very thing to catch)."""
    english = {w for key, value in catalog("en").items() if not key.startswith("command.")
               for text in _texts(value) for w in _words(text)}
    polish = {w for key, value in catalog("pl").items() if not key.startswith("command.")
              for text in _texts(value) for w in _words(re.sub(r"`[^`]*`", " ", text))}
    return english - polish - SHARED


def english_in(transcript: str) -> set[str]:
    said = SLUG.sub(" ", SHELL_FRAME.sub(" ", URL.sub(" ", transcript)))
    return _words(said) & english_only_words()


def at(clock, *args):
    clock.set(datetime(*args, tzinfo=WARSAW))


@pytest.fixture
async def shell(db, settings, clock):
    async with db.transaction() as session:
        await Repositories(session).program.record_first_start(FIRST_START)
    app = await create_app(replace(settings, admins=frozenset({"shell:admin"}), channel="shell=#general",
                                   language="pl"), clock, migrate=False, demo=False)
    faq = (ROOT / "bot" / "demo" / "faq.yaml").read_text(encoding="utf-8")
    await run_in_unit_of_work(app, lambda uow: import_entries(Context(uow, app.settings), faq, None))
    out: list[str] = []
    session = ShellSession(app, out.append)
    session.out = out
    yield session
    await app.db.dispose()


async def say(shell, who: str, line: str) -> str:
    """What `who` sees after typing `line` (everything the shell printed since)."""
    before = len(shell.out)
    await shell.feed(f":as {who}")
    await shell.feed(line)
    return "\n".join(shell.out[before + 1:])


def button(text: str, label: str) -> str:
    return re.findall(rf"\[(\d+)\] {re.escape(label)}", text)[-1]


async def test_a_week_of_the_program_in_polish(shell, clock):
    app = shell.app
    week: list[str] = []

    at(clock, 2026, 11, 29, 18, 0)  # Sunday: the library and the team
    for url, title in (("https://example.com/blog/jak-pracujemy-zdalnie", "Jak pracujemy zdalnie #kultura"),
                       ("https://example.com/blog/zima-na-drogach", "Pięć lekcji z zimy na drogach #logistyka"),
                       ("https://example.com/kariera/zespol-gdansk", "Poznaj zespół z Gdańska #kariera")):
        added = await say(shell, "admin", f"dodaj {url} {title}")
        assert "Dodano #" in added and "do biblioteki" in added
        week.append(added)
    helped = await say(shell, "ola", "pomoc")
    assert "Oto co możesz wpisać" in helped and "`biorę <nr>`" in helped
    week.append(helped)
    for member in ("ola", "piotr", "kasia"):
        joined = await say(shell, member, "dołącz")
        assert "Witaj w programie" in joined
        week.append(joined)

    at(clock, 2026, 11, 30, 9, 0)  # Monday: the digest
    before = len(shell.out)
    assert await jobs.weekly_digest(app) == 3
    await app.dispatcher.drain()
    digest = "\n".join(shell.out[before:])
    week.append(digest)
    assert digest.count("[#general] bot:") == 3
    assert "┌─ Jak pracujemy zdalnie" in digest
    assert "Proponowany opis: Warto przeczytać: Jak pracujemy zdalnie" in digest
    assert "Wrzuć na LinkedIn" in digest and "Zapisz na później" in digest and "✅ Opublikowano" in digest
    assert "udostępniło 0 osób" in digest
    ids = re.findall(r"Nr (\d+) ·", digest)

    at(clock, 2026, 11, 30, 10, 30)  # Ola saves one for later, then shares it with the link to her post
    claimed = await say(shell, "ola", f"biorę {ids[0]}")
    assert "Zapisano na później" in claimed
    shared = await say(shell, "ola", f"udostępnione {ids[0]} https://www.linkedin.com/posts/ola-zdalnie")
    assert "Dzięki za udostępnienie" in shared and "Masz teraz 15 punktów" in shared
    assert "udostępniła 1 osoba" in shared  # the channel's card, updated
    also = await say(shell, "ola", f"biorę {ids[1]}")  # saved for later, not shared this week
    week += [claimed, shared, also]

    at(clock, 2026, 11, 30, 15, 0)  # Piotr shares with the button, then adds the link in its field
    clicked = await say(shell, "piotr", f":click {button(digest, '✅ Opublikowano')}")
    assert "+10 pkt" in clicked and "Masz teraz 10 punktów" in clicked
    linked = await say(shell, "piotr", f":click {button(clicked, 'Zapisz link')} https://www.linkedin.com/posts/piotr-1")
    assert "Link zapisany, +5 pkt. Masz teraz 15 punktów." in linked
    week += [clicked, linked]

    at(clock, 2026, 12, 1, 9, 0)  # Tuesday, the first working day of December: November's summary
    before = len(shell.out)
    assert await jobs.monthly_summary(app) == 1
    await app.dispatcher.drain()
    summary = "\n".join(shell.out[before:])
    assert "[DM to admin] bot:" in summary or "DM" in summary
    assert "Program ambasadorski, listopad 2026" in summary
    assert "Udostępnienia: 2 (w poprzednim miesiącu nie było żadnych)" in summary
    assert "Aktywni ambasadorzy: 2 z 3 w programie" in summary
    week.append(summary)

    at(clock, 2026, 12, 1, 10, 15)  # the day's nudges: Kasia, who has shared nothing, hears of the new posts
    before = len(shell.out)
    assert await jobs.nudge_check(app) == 1
    await app.dispatcher.drain()
    nudge = "\n".join(shell.out[before:])
    assert "Cześć Kasia! W tym tygodniu są nowe propozycje" in nudge
    assert "Nie przypominaj mi" in nudge and "Odłóż o 2 tygodnie" in nudge
    snoozed = await say(shell, "kasia", f":click {button(nudge, 'Odłóż o 2 tygodnie')}")
    assert "Przypomnienia wstrzymane do 15 grudnia (za 2 tygodnie)." in snoozed
    week += [nudge, snoozed]

    at(clock, 2026, 12, 2, 11, 0)  # Wednesday: two policy questions
    answered = await say(shell, "ola", "czy mogę opublikować wyniki finansowe przed ich ogłoszeniem?")
    assert "⛔ Niedozwolone" in answered and "Czy to pomogło?" in answered
    escalated = await say(shell, "kasia", "czy mogę przyprowadzić psa do biura w piątek?")
    assert "Nie mam pewności, więc nie będę zgadywać" in escalated
    assert "Pytanie od: Kasia" in escalated  # the admin's card, printed as it is sent
    ask_id = re.search(r"wyślij \S+ (\d+) i treść", escalated).group(1)  # no backticks or <placeholders> in the card
    reply = await say(shell, "admin", f"odpowiedz {ask_id} Tak, w piątki, jeśli w biurze jest spokojnie.")
    assert "Wysłano do: Kasia." in reply
    assert "Kasia, w sprawie Twojego pytania" in reply and "Tak, w piątki" in reply
    week += [answered, escalated, reply]

    at(clock, 2026, 12, 3, 11, 0)  # Thursday: what Ola saved on Monday is gently recalled
    before = len(shell.out)
    assert await jobs.nudge_check(app) == 1
    await app.dispatcher.drain()
    reminder = "\n".join(shell.out[before:])
    assert "Cześć Ola, delikatne przypomnienie: „Pięć lekcji z zimy na drogach”, zapisane na później 3 dni temu" in reminder
    week.append(reminder)

    at(clock, 2026, 12, 4, 16, 0)  # Friday
    points = await say(shell, "ola", "punkty")
    assert "Masz 15 punktów za 1 udostępnienie." in points
    board = await say(shell, "kasia", "ranking")
    assert "Ranking" in board and "Ola: 15 punktów" in board and "Piotr: 15 punktów" in board
    week += [points, board]

    transcript = "\n".join(week)
    assert english_in(transcript) == set(), transcript


def test_the_english_check_catches_an_english_sentence():
    assert english_in("(only you) bot: Thanks for sharing! You now have 15 points.") >= {"thanks", "sharing", "points"}
    assert english_in("(only you) bot: Dzięki za udostępnienie! Masz teraz 15 punktów.") == set()
