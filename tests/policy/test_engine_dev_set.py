"""The engine on the shared dev question set and on the author's own question sets."""
from __future__ import annotations

import pytest

from bot.policy.decision import Outcome
from bot.policy.entries import Verdict
from bot.policy.evaluate import metrics, run_questions
from tests.policy.conftest import data_questions


def test_dev_set_gets_no_dangerous_answer(shared_index, dev_questions):
    assert metrics(run_questions(shared_index, dev_questions))["dangerous"] == 0


def test_no_dev_question_about_a_restricted_topic_gets_an_allowed_answer(shared_index,
                                                                       dev_questions):
    restricted = [q for q in dev_questions
                  if q["expected_verdict"] in (Verdict.NOT_ALLOWED, Verdict.ASK_FIRST)]
    assert len(restricted) > 30
    wrong = [q["id"] for q in restricted
             if shared_index.answer(q["text"]).verdict is Verdict.ALLOWED]
    assert wrong == []


@pytest.mark.parametrize("name", ["questions-extra.yaml", "questions-fresh.yaml"])
def test_author_question_sets_on_the_shared_faq_get_no_dangerous_answer(shared_index, name):
    assert metrics(run_questions(shared_index, data_questions(name)))["dangerous"] == 0


@pytest.mark.parametrize("question", [
    "Can I post our Q4 revenue before the results are published?",
    "We beat the sales forecast by 20% this quarter, ok to share that today?",
    "czy moge napisac jaki mielismy zysk w tym kwartale zanim wyjdzie raport",
    "Czy mogę pochwalić się przychodami za trzeci kwartał przed raportem giełdowym?",
    "is it fine to tweet our bookings number ahead of the earnings report",
])
def test_unpublished_numbers_question_is_never_answered_allowed(shared_index, question):
    answer = shared_index.answer(question)
    assert answer.verdict is not Verdict.ALLOWED
    if answer.outcome is Outcome.ANSWER:
        assert answer.verdict is Verdict.NOT_ALLOWED


@pytest.mark.parametrize("question", [
    "Can I name the retailer we just signed as a new customer?",
    "czy moge oznaczyc naszego klienta w poscie",
    "Can I post a photo of the whiteboard after our planning session?",
    "Can I share a selfie showing my access badge?",
])
def test_restricted_topics_in_new_wording_are_not_answered_allowed(shared_index, question):
    assert shared_index.answer(question).verdict is not Verdict.ALLOWED
