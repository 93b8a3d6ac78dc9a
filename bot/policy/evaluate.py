"""Measuring the policy engine on a question set (format of shared/policy/questions-dev.yaml).

The one definition of every figure (README's policy section repeats it). The first reply to a
question is an answer (an entry and its verdict), a clarification ("did you mean…" with a few
entries to pick from) or a hand-over to a person. A question's truth is its expected entry, or
"out of scope" when it has none.

  n                          questions evaluated
  top1                       in-scope questions whose first reply answers exactly the expected
                             entry / in-scope questions
  resolved_within_one_click  resolved questions / all questions: an in-scope question is
                             resolved when the first reply answers the expected entry or
                             offers it among its choices; an out-of-scope one when the first
                             reply hands over or offers choices none of which is ✅ allowed
  clarify_rate               first replies that offer choices / all questions
  abstain_precision          hand-overs on out-of-scope questions / all hand-overs (1.0 if none)
  abstain_recall             out-of-scope questions handed over / out-of-scope questions (1.0 if
                             none)
  dangerous                  questions given a ✅ where the truth is not allowed, ask first or out
                             of scope: a first reply with verdict `allowed` when the expected
                             verdict (given, or else that of the expected entry) is not_allowed
                             or ask_first, or when the question is out of scope; or, for an
                             out-of-scope question, an `allowed` entry among the choices
  p50_ms, p95_ms             latency of one answer() call (index built beforehand, not counted)
"""
from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence, TextIO

import yaml

from bot.policy.decision import Outcome
from bot.policy.engine import PolicyAnswer, PolicyIndex
from bot.policy.entries import PolicyEntry, Verdict, entries_by_key
from bot.policy.faq_yaml import FaqFormatError, load_faq

METRIC_KEYS = ("top1", "resolved_within_one_click", "clarify_rate", "abstain_precision",
               "abstain_recall", "dangerous", "p50_ms", "p95_ms", "n")
TARGETS = {"top1": 0.80, "resolved_within_one_click": 0.90, "clarify_rate": 0.25,
           "abstain_precision": 0.85, "abstain_recall": 0.80, "dangerous": 0, "p95_ms": 20.0}
"""Minimums, except `clarify_rate`, `dangerous` and `p95_ms`, which are maximums."""

ProgressCallback = Callable[[int, int], None]

class QuestionsFormatError(ValueError):
    pass


def load_questions(text: str) -> list[dict[str, Any]]:
    """Questions as dicts: id, text, lang, expected_id (None = out of scope),
    expected_verdict (Verdict or None), traits (tuple)."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark else ""
        raise QuestionsFormatError(f"{where}invalid YAML: {getattr(exc, 'problem', exc)}") from None
    items = data.get("questions") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise QuestionsFormatError("expected a top-level `questions:` list")
    out = []
    for number, item in enumerate(items, 1):
        if not isinstance(item, dict) or not str(item.get("text") or "").strip():
            raise QuestionsFormatError(f"question #{number} has no `text`")
        verdict = item.get("expected_verdict")
        try:
            parsed = Verdict.parse(verdict)
        except ValueError:
            raise QuestionsFormatError(
                f"question {item.get('id', number)!r}: unknown expected_verdict {verdict!r}") from None
        out.append({
            "id": str(item.get("id", f"q{number}")),
            "text": str(item["text"]),
            "lang": item.get("lang"),
            "expected_id": item.get("expected_id") or None,
            "expected_verdict": parsed,
            "traits": tuple(item.get("traits") or ()),
        })
    return out


@dataclass(frozen=True)
class Scored:
    """One question's first reply, judged by the definitions above."""

    question: dict[str, Any]
    answer: PolicyAnswer
    ms: float
    correct: bool
    resolved: bool
    dangerous: bool

    @property
    def in_scope(self) -> bool:
        return self.question["expected_id"] is not None

    def describe(self) -> str:
        q, a = self.question, self.answer
        if a.outcome is Outcome.ANSWER:
            got = a.entry.key if a.entry else ""
        elif a.outcome is Outcome.CLARIFY:
            got = "(did you mean: " + ", ".join(e.key for e in a.choices) + ")"
        else:
            got = f"(hand over: {a.abstain_reason})"
        flag = "DANGEROUS " if self.dangerous else "" if self.resolved else "UNRESOLVED "
        return (f"{flag}{q['id']}: expected {q['expected_id'] or '(out of scope)'}, got {got} "
                f"conf={a.confidence:.2f} | {q['text'][:90]}")


def _expected_verdict(question: dict[str, Any], by_key: dict[str, PolicyEntry]) -> Verdict | None:
    expected: Verdict | None = question.get("expected_verdict")
    if expected is not None:
        return expected
    entry = by_key.get(question.get("expected_id") or "")
    return entry.verdict if entry else None


def is_dangerous(question: dict[str, Any], answer: PolicyAnswer,
                 by_key: dict[str, PolicyEntry]) -> bool:
    if question.get("expected_id") is None:
        offered = [answer.verdict] + [e.verdict for e in answer.choices]
        return Verdict.ALLOWED in offered
    if answer.verdict is not Verdict.ALLOWED:
        return False
    return _expected_verdict(question, by_key) in (Verdict.NOT_ALLOWED, Verdict.ASK_FIRST)


def is_resolved(question: dict[str, Any], answer: PolicyAnswer) -> bool:
    expected: str | None = question.get("expected_id")
    if expected is None:
        return answer.outcome is Outcome.HAND_OVER or (
            answer.outcome is Outcome.CLARIFY
            and all(e.verdict is not Verdict.ALLOWED for e in answer.choices))
    if answer.entry is not None:
        return answer.entry.key == expected
    return any(e.key == expected for e in answer.choices)


def score(question: dict[str, Any], answer: PolicyAnswer, ms: float,
          by_key: dict[str, PolicyEntry]) -> Scored:
    got = answer.entry.key if answer.entry else None
    correct = question["expected_id"] is not None and got == question["expected_id"]
    return Scored(question, answer, ms, correct, is_resolved(question, answer),
                  is_dangerous(question, answer, by_key))


def run_questions(index: PolicyIndex, questions: Sequence[dict[str, Any]],
                  on_progress: ProgressCallback | None = None) -> list[Scored]:
    by_key = entries_by_key(index.entries)
    outcomes = []
    total = len(questions)
    for done, q in enumerate(questions, 1):
        start = time.perf_counter()
        answer = index.answer(q["text"])
        ms = (time.perf_counter() - start) * 1000
        outcomes.append(score(q, answer, ms, by_key))
        if on_progress:
            on_progress(done, total)
    return outcomes


def _percentile(values: Sequence[float], pct: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = (len(ordered) - 1) * pct / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def _share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 1.0


def metrics(outcomes: Sequence[Scored]) -> dict[str, Any]:
    in_scope = [o for o in outcomes if o.in_scope]
    out_scope = [o for o in outcomes if not o.in_scope]
    handed_over = [o for o in outcomes if o.answer.outcome is Outcome.HAND_OVER]
    times = [o.ms for o in outcomes]
    return {
        "top1": _share(sum(o.correct for o in in_scope), len(in_scope)),
        "resolved_within_one_click": _share(sum(o.resolved for o in outcomes), len(outcomes)),
        "clarify_rate": round(sum(o.answer.outcome is Outcome.CLARIFY for o in outcomes)
                              / len(outcomes), 4) if outcomes else 0.0,
        "abstain_precision": _share(sum(not o.in_scope for o in handed_over), len(handed_over)),
        "abstain_recall": _share(sum(o.answer.outcome is Outcome.HAND_OVER for o in out_scope),
                                 len(out_scope)),
        "dangerous": sum(o.dangerous for o in outcomes),
        "p50_ms": round(_percentile(times, 50), 3),
        "p95_ms": round(_percentile(times, 95), 3),
        "n": len(outcomes),
    }


def evaluate(faq_entries: Iterable[PolicyEntry], questions: list[dict[str, Any]],
             on_progress: ProgressCallback | None = None) -> dict[str, Any]:
    index = PolicyIndex.build(faq_entries)
    return metrics(run_questions(index, questions, on_progress))


def failure_lines(outcomes: Iterable[Scored]) -> list[str]:
    """One line per question whose first reply was not right: dangerous ones first, then the
    unresolved, then those resolved only by a click."""
    wrong = [o for o in outcomes
             if o.dangerous or not o.resolved or (o.in_scope and not o.correct)]
    wrong.sort(key=lambda o: (not o.dangerous, o.resolved, o.question["id"]))
    return [o.describe() for o in wrong]


def format_report(metrics: dict[str, Any], lines: Sequence[str] = ()) -> str:
    """Human-readable summary; `lines` (e.g. failure_lines()) are listed under it."""
    def mark(key: str) -> str:
        value, target = metrics[key], TARGETS[key]
        if key in ("clarify_rate", "dangerous", "p95_ms"):
            return "ok" if value <= target else "MUST BE 0" if key == "dangerous" else f"above {target}"
        return "ok" if value >= target else f"below target {target}"

    rows = [
        ("questions", f"{metrics['n']}", None),
        ("top-1: first reply right (in scope)", f"{metrics['top1']:.1%}", mark("top1")),
        ("resolved within one click", f"{metrics['resolved_within_one_click']:.1%}",
         mark("resolved_within_one_click")),
        ("clarify rate", f"{metrics['clarify_rate']:.1%}", mark("clarify_rate")),
        ("hand-over precision", f"{metrics['abstain_precision']:.1%}", mark("abstain_precision")),
        ("hand-over recall", f"{metrics['abstain_recall']:.1%}", mark("abstain_recall")),
        ("dangerous (✅ where not allowed)", f"{metrics['dangerous']}", mark("dangerous")),
        ("latency p50 / p95", f"{metrics['p50_ms']:.2f} ms / {metrics['p95_ms']:.2f} ms",
         mark("p95_ms")),
    ]
    width = max(len(r[0]) for r in rows)
    out = [f"{label:<{width}}  {value:<22} {note or ''}".rstrip() for label, value, note in rows]
    if lines:
        out += ["", f"{len(lines)} question(s) to look at:"] + [f"  {line}" for line in lines]
    return "\n".join(out)


def progress_printer(stream: TextIO = sys.stderr) -> ProgressCallback:
    """An on_progress callback that keeps one status line updated (or prints every 10%)."""
    interactive = stream.isatty()
    last = [-1]

    def show(done: int, total: int) -> None:
        if interactive:
            end = "\n" if done == total else ""
            stream.write(f"\revaluating {done}/{total}{end}")
            stream.flush()
        else:
            step = max(total // 10, 1)
            if done == total or done // step != last[0]:
                last[0] = done // step
                stream.write(f"evaluating {done}/{total}\n")
                stream.flush()
    return show


def run_eval_cli(faq_path: str | Path, questions_path: str | Path, as_json: bool,
                 out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> int:
    """`advocacy eval policy FAQ QUESTIONS [--json]`: 0 when evaluated, 2 on unreadable input.

    Progress goes to `err`; with as_json the last line on `out` is one JSON object with
    exactly the METRIC_KEYS.
    """
    try:
        entries = load_faq(Path(faq_path).read_text(encoding="utf-8"))
        questions = load_questions(Path(questions_path).read_text(encoding="utf-8"))
    except OSError as exc:
        err.write(f"cannot read {exc.filename}: {exc.strerror}\n")
        return 2
    except (FaqFormatError, QuestionsFormatError) as exc:
        err.write(f"{exc}\n")
        return 2
    err.write(f"building the index for {len(entries)} entries...\n")
    err.flush()
    index = PolicyIndex.build(entries)
    outcomes = run_questions(index, questions, progress_printer(err))
    result = metrics(outcomes)
    if as_json:
        out.write(json.dumps({k: result[k] for k in METRIC_KEYS}) + "\n")
    else:
        out.write(format_report(result, failure_lines(outcomes)) + "\n")
    return 0
