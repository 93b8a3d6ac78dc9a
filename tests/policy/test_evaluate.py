"""Evaluation metrics (their one definition, checked on synthetic first replies) and the CLI."""
from __future__ import annotations

import io
import json

import pytest

from bot.policy.engine import PolicyAnswer
from bot.policy.entries import PolicyEntry, Verdict
from bot.policy.evaluate import (METRIC_KEYS, evaluate, format_report, load_questions, metrics,
                                 run_eval_cli, score)
from bot.policy.faq_yaml import dump_faq

ALLOWED = PolicyEntry("event-photos", "Can I post photos from company events?",
                      "Yes, photos from company events are fine.", verdict=Verdict.ALLOWED)
GUIDE = PolicyEntry("hashtags", "Which hashtags should I use?", "Use #Example.")
FORBIDDEN = PolicyEntry("customer-photos", "Can I post photos with customers?", "No.",
                        verdict=Verdict.NOT_ALLOWED)
ASK = PolicyEntry("press", "Can I talk to journalists?", "Ask first.", verdict=Verdict.ASK_FIRST)
BY_KEY = {e.key: e for e in (ALLOWED, GUIDE, FORBIDDEN, ASK)}

QUESTIONS = """\
questions:
- id: q1
  text: Can I post photos from the company event?
  lang: en
  expected_id: event-photos
  expected_verdict: allowed
- id: q2
  text: Can I post photos from the company event with our customers?
  lang: en
  expected_id: customer-photos
  expected_verdict: not_allowed
- id: q3
  text: Which hashtags should I use?
  lang: en
  expected_id: hashtags
- id: q4
  text: Can I post photos of the company event buffet?
  lang: en
  expected_id: null
- id: q5
  text: What time does the canteen close?
  lang: en
  expected_id: null
"""


def test_metrics_have_exactly_the_agreed_keys_and_count_dangerous_answers():
    questions = load_questions(QUESTIONS)
    calls = []
    result = evaluate([ALLOWED, GUIDE], questions, on_progress=lambda d, t: calls.append((d, t)))
    assert set(result) == set(METRIC_KEYS)
    assert {"top1", "resolved_within_one_click", "clarify_rate", "abstain_precision",
            "abstain_recall", "dangerous", "p95_ms"} <= set(result)
    assert result["n"] == 5
    assert calls == [(i, 5) for i in range(1, 6)]


def question(expected: str | None, verdict: str | None = None) -> dict:
    return {"id": "q", "text": "?", "expected_id": expected,
            "expected_verdict": Verdict.parse(verdict), "traits": ()}


def answered(entry: PolicyEntry) -> PolicyAnswer:
    return PolicyAnswer(entry, entry.verdict, 0.9, "en")


def clarified(*entries: PolicyEntry) -> PolicyAnswer:
    return PolicyAnswer(None, None, 0.5, "en", choices=entries)


HANDED_OVER = PolicyAnswer(None, None, 0.0, "en", "out_of_scope")


@pytest.mark.parametrize("truth, reply, correct, resolved, dangerous", [
    # in scope: right only when the first reply answers it; resolved also by a clarify offering it
    (question("event-photos", "allowed"), answered(ALLOWED), True, True, False),
    (question("event-photos", "allowed"), clarified(FORBIDDEN, ALLOWED), False, True, False),
    (question("event-photos", "allowed"), clarified(FORBIDDEN, ASK), False, False, False),
    (question("event-photos", "allowed"), HANDED_OVER, False, False, False),
    (question("hashtags"), answered(ALLOWED), False, False, False),
    # a ✅ where the truth is stricter is dangerous on the first reply only
    (question("customer-photos", "not_allowed"), answered(ALLOWED), False, False, True),
    (question("press", "ask_first"), answered(ALLOWED), False, False, True),
    (question("customer-photos"), answered(ALLOWED), False, False, True),
    (question("customer-photos", "not_allowed"), clarified(ALLOWED, FORBIDDEN), False, True, False),
    # out of scope: resolved by a hand-over or by choices without a ✅; any ✅ is dangerous
    (question(None), HANDED_OVER, False, True, False),
    (question(None), clarified(FORBIDDEN, GUIDE), False, True, False),
    (question(None), clarified(FORBIDDEN, ALLOWED), False, False, True),
    (question(None), answered(ALLOWED), False, False, True),
    (question(None), answered(GUIDE), False, False, False),
])
def test_each_first_reply_is_judged_by_the_one_definition(truth, reply, correct, resolved,
                                                           dangerous):
    scored = score(truth, reply, 1.0, BY_KEY)
    assert (scored.correct, scored.resolved, scored.dangerous) == (correct, resolved, dangerous)


def test_rates_count_in_scope_top1_and_all_questions_for_clicks_and_clarifies():
    scored = [score(question("event-photos"), answered(ALLOWED), 1.0, BY_KEY),
              score(question("event-photos"), clarified(FORBIDDEN, ALLOWED), 2.0, BY_KEY),
              score(question("press"), HANDED_OVER, 3.0, BY_KEY),
              score(question(None), HANDED_OVER, 4.0, BY_KEY),
              score(question(None), clarified(FORBIDDEN), 5.0, BY_KEY)]
    result = metrics(scored)
    assert result["top1"] == round(1 / 3, 4)
    assert result["resolved_within_one_click"] == round(4 / 5, 4)
    assert result["clarify_rate"] == round(2 / 5, 4)
    assert result["abstain_precision"] == 0.5      # one of the two hand-overs was out of scope
    assert result["abstain_recall"] == 0.5         # one of the two out-of-scope was handed over
    assert result["dangerous"] == 0 and result["n"] == 5


def test_report_marks_targets_and_lists_lines():
    report = format_report({"top1": 0.5, "resolved_within_one_click": 0.95, "clarify_rate": 0.4,
                            "abstain_precision": 1.0, "abstain_recall": 1.0, "dangerous": 2,
                            "p50_ms": 1.0, "p95_ms": 2.0, "n": 10},
                           ["q7: expected x, got y"])
    assert "below target" in report and "MUST BE 0" in report and "q7: expected x" in report
    assert "resolved within one click" in report and "above 0.25" in report


def test_cli_json_mode_prints_one_json_object_last(tmp_path):
    faq = tmp_path / "faq.yaml"
    faq.write_text(dump_faq([ALLOWED, GUIDE]), encoding="utf-8")
    questions = tmp_path / "questions.yaml"
    questions.write_text(QUESTIONS, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    assert run_eval_cli(faq, questions, as_json=True, out=out, err=err) == 0
    last = out.getvalue().strip().splitlines()[-1]
    assert set(json.loads(last)) == set(METRIC_KEYS)
    assert "evaluating 5/5" in err.getvalue()


def test_cli_reports_a_broken_faq_with_its_line_and_exit_code_2(tmp_path):
    faq = tmp_path / "faq.yaml"
    faq.write_text("entries:\n- id: a\n  question: [unclosed\n", encoding="utf-8")
    questions = tmp_path / "questions.yaml"
    questions.write_text(QUESTIONS, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    assert run_eval_cli(faq, questions, as_json=False, out=out, err=err) == 2
    assert "line" in err.getvalue() and out.getvalue() == ""


def test_cli_human_mode_prints_the_report(tmp_path):
    faq = tmp_path / "faq.yaml"
    faq.write_text(dump_faq([ALLOWED, GUIDE]), encoding="utf-8")
    questions = tmp_path / "questions.yaml"
    questions.write_text(QUESTIONS, encoding="utf-8")
    out = io.StringIO()
    assert run_eval_cli(faq, questions, as_json=False, out=out, err=io.StringIO()) == 0
    assert "top-1: first reply right" in out.getvalue()
