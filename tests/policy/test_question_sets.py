"""The blind and training question sets in bench/policy/: well formed, answerable from the shared FAQ
(every expected entry exists and carries the verdict the question expects), disjoint, and the blind
set frozen: it is for reporting only, so any edit to it fails here."""
from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path

import pytest

from bot.policy.evaluate import load_questions

SETS = Path(__file__).resolve().parents[2] / "bench" / "policy"
BLIND = SETS / "questions-blind.yaml"
TRAIN = SETS / "questions-train.yaml"
BLIND_SHA256 = "649ec28fc4f2809edab5ca4d8c49dcec5992c4e57395b8568a21862aac24c770"
MINIMUM = {BLIND: 140, TRAIN: 150}


def _questions(path: Path) -> list[dict]:
    return load_questions(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", [BLIND, TRAIN], ids=lambda p: p.name)
def test_set_is_large_half_polish_a_fifth_out_of_scope_with_unique_ids(path):
    questions = _questions(path)
    share = Counter(q["lang"] for q in questions)
    out_of_scope = sum(q["expected_id"] is None for q in questions)
    assert len(questions) >= MINIMUM[path]
    assert len({q["id"] for q in questions}) == len(questions)
    assert 0.4 <= share["pl"] / len(questions) <= 0.6
    assert 0.15 <= out_of_scope / len(questions) <= 0.25


@pytest.mark.parametrize("path", [BLIND, TRAIN], ids=lambda p: p.name)
def test_third_language_questions_expect_a_handover(path):
    foreign = [q for q in _questions(path) if q["lang"] not in ("en", "pl")]
    assert foreign, "a few questions in a third language"
    assert all(q["expected_id"] is None and "other_language" in q["traits"] for q in foreign)


@pytest.mark.parametrize("path", [BLIND, TRAIN], ids=lambda p: p.name)
def test_every_expected_entry_exists_with_the_expected_verdict(path, shared_entries):
    verdicts = {entry.key: entry.verdict for entry in shared_entries}
    wrong = [(q["id"], q["expected_id"], q["expected_verdict"]) for q in _questions(path)
             if q["expected_id"] is not None
             and (q["expected_id"] not in verdicts or q["expected_verdict"] != verdicts[q["expected_id"]])]
    assert not wrong, f"unknown entry or verdict other than the entry's: {wrong}"


@pytest.mark.parametrize("path", [BLIND, TRAIN], ids=lambda p: p.name)
def test_out_of_scope_questions_expect_no_verdict(path):
    assert all(q["expected_verdict"] is None for q in _questions(path) if q["expected_id"] is None)


def test_training_set_shares_no_question_with_the_blind_set():
    def texts(path: Path) -> set[str]:
        return {" ".join(q["text"].lower().split()) for q in _questions(path)}

    assert not texts(BLIND) & texts(TRAIN)


def test_blind_set_is_frozen():
    digest = hashlib.sha256(BLIND.read_bytes()).hexdigest()
    assert digest == BLIND_SHA256, (
        f"{BLIND.relative_to(SETS.parents[1])} is frozen: it is a blind set for reporting only and must "
        "not be edited or tuned on. Put new questions in questions-train.yaml (fitting) or the dev set "
        "(tuning); a new blind set needs a new file written without looking at the engine.")
