"""`advocacy shell`: the whole flow a newcomer tries in a minute, in English and Polish."""
import re
import subprocess
import sys
from dataclasses import replace

import pytest

from entry.app import create_app
from handlers.shell.session import ShellSession
from tests.conftest import ROOT


@pytest.fixture
async def shell(db, settings, clock):
    app = await create_app(replace(settings, admins=frozenset({"shell:admin"}), channel="shell=#general"),
                           clock, migrate=False, demo=True)
    out: list[str] = []
    session = ShellSession(app, out.append)
    session.out = out
    session.clock = clock
    yield session
    await app.db.dispose()


def last_button(out: list[str], label: str) -> str:
    text = "\n".join(out)
    return re.findall(rf"\[(\d+)\] {re.escape(label)}", text)[-1]


async def test_a_newcomer_runs_the_whole_program_in_the_shell(shell):
    out = shell.out
    await shell.feed("join")
    assert "Welcome aboard" in out[-1]
    await shell.feed(":as admin")
    shell.clock.advance(minutes=1)
    await shell.feed("add https://example.com/blog/shell-demo Shell demo post #demo")
    assert "Added #" in out[-1]
    await shell.feed("digest now")
    printed = "\n".join(out)
    assert "[#general] bot:" in printed and "┌─ Shell demo post" in printed
    assert "Posted 3 suggestions to #general" in printed
    shared = last_button(out, "✅ I posted it")
    await shell.feed(":as ola")
    await shell.feed(f":click {shared}")
    assert "+10 points" in "\n".join(out[-3:])
    await shell.feed(f":click {shared}")
    assert "counted once" in "\n".join(out[-2:])
    await shell.feed("points")
    assert "You have 10 points" in out[-1]
    await shell.feed("leaderboard")
    assert "Ola: 10 points" in out[-1]


async def test_ask_answers_from_the_demo_faq_in_english_and_polish(shell):
    await shell.feed("ask Can I post our quarterly revenue before it is published?")
    english = shell.out[-1]
    assert "⛔" in english
    await shell.feed(":lang pl")
    await shell.feed("czy mogę opublikować wyniki finansowe przed ich ogłoszeniem?")
    polish = shell.out[-1]
    assert "⛔ Niedozwolone" in polish


async def test_an_unclear_question_asks_which_faq_question_was_meant_and_a_click_answers(shell):
    await shell.feed("ask Can I share our results?")
    card = "\n".join(shell.out[-2:])
    assert "Did you mean" in card and "None of these" in card and "✅" not in card
    await shell.feed(f":click {last_button(shell.out, 'Can I share our results after the quarterly report')}")
    answer = shell.out[-1]
    assert "✅ Allowed" in answer and "Answer to: “Can I share our results after the quarterly" in answer
    await shell.feed(f":click {last_button(shell.out, 'None of these')}")
    assert "ask the communications team" in shell.out[-1]  # nobody to hand it to in a fresh shell


async def test_clicking_a_link_button_only_shows_where_it_goes(shell):
    await shell.feed(":as admin")
    await shell.feed("digest now")
    await shell.feed(f":click {last_button(shell.out, 'Share on LinkedIn')}")
    assert shell.out[-1].startswith("(opens https://www.linkedin.com/sharing/share-offsite/")


async def test_unknown_button_numbers_are_explained(shell):
    await shell.feed(":click 999")
    assert "no button 999" in shell.out[-1]


def test_advocacy_shell_runs_in_a_terminal(tmp_path):
    script = "join\n:as admin\ndigest now\npoints\n:quit\n"
    result = subprocess.run([sys.executable, "-m", "entry.cli", "shell"], input=script, text=True,
                            capture_output=True, cwd=ROOT, timeout=60,
                            env={"PATH": "/usr/bin:/bin", "DATABASE_URL": f"sqlite:///{tmp_path}/shell.db"})
    assert result.returncode == 0, result.stderr
    assert "Welcome aboard" in result.stdout
    assert "Posted 3 suggestions to #general" in result.stdout
