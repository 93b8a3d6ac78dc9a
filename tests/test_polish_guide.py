"""docs/pl/, the coordinator's guide in Polish: linked from the README, every page it lists exists, every
command the bot has is in `polecenia.md` (in its Polish form where it has one) and every command
written there is one the bot runs; the FAQ example is a valid FAQ file."""
import re

from bot import registry
from bot.commands import index, words_of
from bot.i18n import fold
from bot.policy.faq_yaml import load_faq
from tests.conftest import ROOT

GUIDE = ROOT / "docs" / "pl"
PAGES = ("instalacja-slack.md", "instalacja-teams.md", "polecenia.md", "faq-format.md", "pierwszy-miesiac.md")


def read(name: str) -> str:
    return (GUIDE / name).read_text(encoding="utf-8")


def command_of(code: str) -> str | None:
    """The command a code span in the guide runs (`zapytaj <pytanie>` → ask), or None."""
    words = tuple(fold(re.split(r"\s*[<\[\"]", code, maxsplit=1)[0]).split())
    for form, name in index().forms.get(words[0], ()) if words else ():
        if words[:len(form)] == form:
            return name
    return None


def command_cells() -> list[str]:
    """Code spans in the first column of the command tables."""
    rows = [line for line in read("polecenia.md").splitlines() if line.startswith("| `")]
    return [code for row in rows for code in re.findall(r"`([^`]+)`", re.split(r"(?<!\\)\|", row)[1])]


def test_the_readme_links_to_the_polish_guide_at_the_top():
    top = "\n".join((ROOT / "README.md").read_text(encoding="utf-8").splitlines()[:8])
    assert "docs/pl/README.md" in top


def test_the_guide_index_links_every_page_and_every_page_exists():
    index_page = read("README.md")
    for page in PAGES:
        assert f"]({page})" in index_page, page
        assert (GUIDE / page).is_file(), page
    for name in PAGES:
        for target in re.findall(r"\]\(([^)#:]+\.md)", read(name)):
            assert (GUIDE / target).resolve().is_file(), f"{name} → {target}"


def test_every_command_written_in_the_guide_is_one_the_bot_runs():
    unknown = [code for code in command_cells() if command_of(code) is None]
    assert unknown == []


def test_every_command_is_in_the_guide_in_its_polish_form_where_it_has_one():
    cells = command_cells()
    shown = {command_of(code) for code in cells}
    missing = [d.name for d in registry.ordered() if d.help and d.name not in shown]
    assert missing == []
    without_polish = [d.name for d in registry.ordered() if d.help and words_of(d.name, "pl") and not any(
        command_of(code) == d.name and code.lower().startswith(" ".join(words_of(d.name, "pl")[0]))
        for code in cells)]
    assert without_polish == []


def test_the_faq_example_is_a_valid_faq_file():
    example = re.search(r"```yaml\n(.*?)```", read("faq-format.md"), re.DOTALL).group(1)
    entries = load_faq(example)
    assert len(entries) >= 2 and all(e.answer_pl for e in entries)
