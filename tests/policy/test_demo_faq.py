"""The demo FAQ shipped with the product."""
from __future__ import annotations

import re

from bot.policy.entries import Verdict
from bot.policy.evaluate import metrics, run_questions
from tests.policy.conftest import data_questions


def test_demo_faq_loads_with_both_languages_and_mixed_verdicts(demo_entries):
    assert 18 <= len(demo_entries) <= 30
    assert all(e.question_pl and e.answer_pl and e.tags for e in demo_entries)
    counts = {v: sum(e.verdict is v for e in demo_entries)
              for v in (Verdict.ALLOWED, Verdict.NOT_ALLOWED, Verdict.ASK_FIRST, None)}
    assert all(n >= 3 for n in counts.values()), counts


def test_demo_faq_answers_its_own_questions_in_both_languages(demo_index, demo_entries):
    for entry in demo_entries:
        for question, lang in ((entry.question, "en"), (entry.question_pl, "pl")):
            answer = demo_index.answer(question)
            assert answer.entry == entry, question
            assert answer.language == lang
            assert answer.text == entry.answer_for(lang)


def test_demo_faq_answers_paraphrased_questions_safely(demo_index):
    result = metrics(run_questions(demo_index, data_questions("questions-demo.yaml")))
    assert result["dangerous"] == 0
    assert result["top1"] >= 0.8


def test_demo_faq_does_not_copy_the_shared_sample(demo_entries, shared_policy):
    shared = (shared_policy / "faq.yaml").read_text(encoding="utf-8").lower()
    for entry in demo_entries:
        for text in (entry.answer, entry.answer_pl):
            for sentence in re.split(r"(?<=[.!?])\s+", text):
                if len(sentence) > 40:
                    assert sentence.lower() not in shared, sentence
