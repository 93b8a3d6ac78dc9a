"""The core knows no chat platform: adding one touches only handlers/ and manifests/."""
import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORE = ["bot", "storage", "scheduler"]
PLATFORM_WORDS = re.compile(r"slack|teams|block ?kit|adaptive ?card|bolt|botframework|msteams", re.I)


def _sources():
    for package in CORE:
        for path in (ROOT / package).rglob("*"):
            if path.suffix in (".py", ".yaml") and "__pycache__" not in path.parts:
                yield path


def test_core_never_imports_an_adapter_or_a_platform_sdk():
    for path in _sources():
        if path.suffix != ".py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert not name.startswith(("handlers.", "slack", "microsoft_agents")), f"{path}: {name}"
                if name == "handlers":
                    assert path == ROOT / "bot" / "cli.py", f"{path}: only the CLI composes adapters"


def test_core_does_not_speak_of_platforms():
    for path in _sources():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            assert not PLATFORM_WORDS.search(line), f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
