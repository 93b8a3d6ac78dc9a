"""Evaluation metrics, the dangerous-answer definition and the CLI entry point."""
from __future__ import annotations

import io
import json

from bot.policy.entries import PolicyEntry, Verdict
from bot.policy.evaluate import (METRIC_KEYS, asks_permission, evaluate, format_report,
                                 load_questions, run_eval_cli)
from bot.policy.faq_yaml import dump_faq

ALLOWED = PolicyEntry("event-photos", "Can I post photos from company events?",
                      "Yes, photos from company events are fine.", verdict=Verdict.ALLOWED)
GUIDE = PolicyEntry("hashtags", "Which hashtags should I use?", "Use #Example.")

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
    assert result["n"] == 5
    # q2 (expected not_allowed) and q4 (out of scope, asks permission) can only be answered
    # with the allowed entry here: both count as dangerous when that happens.
    assert result["dangerous"] >= 1
    assert calls == [(i, 5) for i in range(1, 6)]


def test_permission_questions_are_recognised_in_both_languages():
    assert asks_permission("Can I post this?") and asks_permission("czy moge wrzucic fotke")
    assert asks_permission("Is it ok to share the link?") and asks_permission("Mogę to udostępnić?")
    assert not asks_permission("How many vacation days do I have?")
    assert not asks_permission("Jak skonfigurować VPN?")


def test_report_marks_targets_and_lists_lines():
    report = format_report({"top1": 0.5, "abstain_precision": 1.0, "abstain_recall": 1.0,
                            "dangerous": 2, "p50_ms": 1.0, "p95_ms": 2.0, "n": 10},
                           ["q7: expected x, got y"])
    assert "below target" in report and "MUST BE 0" in report and "q7: expected x" in report


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
    assert "top-1 accuracy" in out.getvalue()
