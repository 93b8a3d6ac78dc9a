"""Policy engine fixtures: the shared dev FAQ and questions (../shared/policy from the repo
root, skipped when absent), the shipped demo FAQ, and indexes built once per session."""
from __future__ import annotations

from pathlib import Path

import pytest

from bot.policy.engine import PolicyIndex
from bot.policy.evaluate import load_questions
from bot.policy.faq_yaml import load_faq

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).resolve().parent / "data"
DEMO_FAQ = ROOT / "bot" / "demo" / "faq.yaml"


def _read(path: Path) -> str:
    assert path.exists(), f"{path} is missing"
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def shared_entries(shared_policy):
    return load_faq(_read(shared_policy / "faq.yaml"))


@pytest.fixture(scope="session")
def dev_questions(shared_policy):
    return load_questions(_read(shared_policy / "questions-dev.yaml"))


@pytest.fixture(scope="session")
def shared_index(shared_entries):
    return PolicyIndex.build(shared_entries)


@pytest.fixture(scope="session")
def demo_entries():
    return load_faq(_read(DEMO_FAQ))


@pytest.fixture(scope="session")
def demo_index(demo_entries):
    return PolicyIndex.build(demo_entries)


def data_questions(name: str) -> list[dict]:
    return load_questions(_read(DATA / name))
