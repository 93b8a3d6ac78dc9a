"""Layers, each with the imports it may use. The core knows no chat platform: adding one touches only
handlers/ and manifests/. Start-up (`entry/`) is the one package that composes them all, and nothing
imports it."""
import ast
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORE = ["bot", "storage", "scheduler"]
PLATFORM_WORDS = re.compile(r"slack|teams|block ?kit|adaptive ?card|bolt|botframework|msteams", re.I)

# What each layer may import besides the standard library. `entry` may import anything.
ALLOWED = {
    "storage": {"storage", "sqlalchemy", "alembic", "aiosqlite", "asyncpg"},
    "bot": {"bot", "storage", "sqlalchemy", "pydantic", "pydantic_settings", "yaml", "babel", "holidays", "idna",
            "simplemma", "rapidfuzz", "bm25s", "numpy"},
    "scheduler": {"scheduler", "bot", "storage", "sqlalchemy", "apscheduler"},
    "handlers": {"handlers", "bot", "storage", "aiohttp", "yarl", "pydantic", "slack_bolt", "slack_sdk",
                 "microsoft_agents"},
}
ANYTHING = "entry"


def imported_modules(source: str) -> list[str]:
    """Every absolute import in a module, those inside functions and `if TYPE_CHECKING:` included."""
    names = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def forbidden_imports(layer: str, path: str, source: str) -> list[str]:
    allowed = ALLOWED[layer]
    return [f"{path} imports {name}: {layer}/ may import only the standard library and {sorted(allowed)}"
            for name in imported_modules(source)
            if (top := name.partition(".")[0]) not in allowed and top not in sys.stdlib_module_names]


def _modules(package: str):
    return (path for path in sorted((ROOT / package).rglob("*.py")) if "__pycache__" not in path.parts)


def test_every_package_is_a_layer_with_its_imports_or_the_start_up():
    packages = {path.parent.name for path in ROOT.glob("*/__init__.py")} - {"tests", "bench"}
    assert packages == set(ALLOWED) | {ANYTHING}


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_each_layer_imports_only_what_it_is_allowed(layer):
    problems = [problem for path in _modules(layer)
                for problem in forbidden_imports(layer, str(path.relative_to(ROOT)), path.read_text(encoding="utf-8"))]
    assert problems == []


@pytest.mark.parametrize("layer, source", [
    ("bot", "from handlers.slack.app import setup"),
    ("bot", "import scheduler.jobs"),
    ("bot", "def serve():\n    from aiohttp import web"),
    ("bot", "from entry.app import create_app"),
    ("storage", "from bot.models import Message"),
    ("scheduler", "from slack_sdk import WebClient"),
    ("handlers", "from scheduler.service import SchedulerService"),
    ("handlers", "from entry.web import create_web_app"),
])
def test_an_import_outside_the_layer_is_named_with_its_module(layer, source):
    name = imported_modules(source)[0]
    assert forbidden_imports(layer, f"{layer}/example.py", source) == [
        f"{layer}/example.py imports {name}: {layer}/ may import only the standard library and "
        f"{sorted(ALLOWED[layer])}"]


def test_the_standard_library_and_the_layer_itself_are_allowed():
    assert forbidden_imports("bot", "bot/example.py", "import asyncio\nfrom bot.models import Message\n"
                                                      "from storage.db import Database") == []


def _core_sources():
    for package in CORE:
        for path in (ROOT / package).rglob("*"):
            if path.suffix in (".py", ".yaml") and "__pycache__" not in path.parts:
                yield path


def test_core_does_not_speak_of_platforms():
    for path in _core_sources():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            assert not PLATFORM_WORDS.search(line), f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
