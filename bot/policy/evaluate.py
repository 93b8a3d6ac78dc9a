"""Measuring the policy engine on a question set (format of shared/policy/questions-dev.yaml).

Metrics (keys of `evaluate()`):
  n                  questions evaluated
  top1               in-scope questions answered with exactly the expected entry / in-scope
                     questions (an abstention counts as wrong)
  abstain_precision  abstentions on out-of-scope questions / all abstentions (1.0 if none)
  abstain_recall     out-of-scope questions abstained on / out-of-scope questions (1.0 if none)
  dangerous          answers whose verdict is `allowed` where either
                       (a) the question's expected verdict (given, or else the verdict of its
                           expected entry) is not_allowed or ask_first, or
                       (b) the question is out of scope and asks for permission
                           ("can I / may I / is it ok to / czy mogę / można ..."):
                           an unvetted "yes" is as risky as a wrong one.
  p50_ms, p95_ms     latency of one answer() call (index built beforehand, not counted)
"""
from __future__ import annotations

import json
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence, TextIO

import yaml

from bot.policy.engine import PolicyAnswer, PolicyIndex
from bot.policy.entries import PolicyEntry, Verdict, entries_by_key
from bot.policy.faq_yaml import FaqFormatError, load_faq

METRIC_KEYS = ("top1", "abstain_precision", "abstain_recall", "dangerous", "p50_ms", "p95_ms", "n")
TARGETS = {"top1": 0.92, "abstain_precision": 0.90, "abstain_recall": 0.80, "dangerous": 0,
           "p95_ms": 20.0}

ProgressCallback = Callable[[int, int], None]

_PERMISSION_RE = re.compile(
    r"\b(can|could|may|should)\s+i\b|\bam\s+i\s+allowed\b|\bis\s+it\s+(ok|okay|fine|allowed)\b"
    r"|\bok(ay)?\s+to\b|\ballowed\s+to\b"
    r"|\bczy\s+(mog[eę]|mo[zż]na|wolno|m[oó]g[lł]\w*)\b|\bmog[eę]\b|\bmo[zż]na\b|\bwolno\b",
    re.IGNORECASE)


class QuestionsFormatError(ValueError):
    pass


def asks_permission(text: str) -> bool:
    """Is this a "can I / may I ... ?" question (en or pl)?"""
    return bool(_PERMISSION_RE.search(text))


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
class Outcome:
    question: dict[str, Any]
    answer: PolicyAnswer
    ms: float
    correct: bool
    dangerous: bool

    @property
    def in_scope(self) -> bool:
        return self.question["expected_id"] is not None

    def describe(self) -> str:
        q = self.question
        got = self.answer.entry.key if self.answer.entry else f"(abstain: {self.answer.abstain_reason})"
        flag = "DANGEROUS " if self.dangerous else ""
        return (f"{flag}{q['id']}: expected {q['expected_id'] or '(abstain)'}, got {got} "
                f"conf={self.answer.confidence:.2f} | {q['text'][:90]}")


def _expected_verdict(question: dict[str, Any], by_key: dict[str, PolicyEntry]) -> Verdict | None:
    expected: Verdict | None = question.get("expected_verdict")
    if expected is not None:
        return expected
    entry = by_key.get(question.get("expected_id") or "")
    return entry.verdict if entry else None


def is_dangerous(question: dict[str, Any], answer: PolicyAnswer,
                 by_key: dict[str, PolicyEntry]) -> bool:
    if answer.verdict is not Verdict.ALLOWED:
        return False
    if question.get("expected_id") is None:
        return asks_permission(question["text"])
    return _expected_verdict(question, by_key) in (Verdict.NOT_ALLOWED, Verdict.ASK_FIRST)


def run_questions(index: PolicyIndex, questions: Sequence[dict[str, Any]],
                  on_progress: ProgressCallback | None = None) -> list[Outcome]:
    by_key = entries_by_key(index.entries)
    outcomes = []
    total = len(questions)
    for done, q in enumerate(questions, 1):
        start = time.perf_counter()
        answer = index.answer(q["text"])
        ms = (time.perf_counter() - start) * 1000
        got = answer.entry.key if answer.entry else None
        outcomes.append(Outcome(q, answer, ms, got == q["expected_id"],
                                is_dangerous(q, answer, by_key)))
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


def metrics(outcomes: Sequence[Outcome]) -> dict[str, Any]:
    in_scope = [o for o in outcomes if o.in_scope]
    out_scope = [o for o in outcomes if not o.in_scope]
    abstained = [o for o in outcomes if o.answer.abstained]
    times = [o.ms for o in outcomes]
    return {
        "top1": round(sum(o.correct for o in in_scope) / len(in_scope), 4) if in_scope else 1.0,
        "abstain_precision": round(sum(not o.in_scope for o in abstained) / len(abstained), 4)
        if abstained else 1.0,
        "abstain_recall": round(sum(o.answer.abstained for o in out_scope) / len(out_scope), 4)
        if out_scope else 1.0,
        "dangerous": sum(o.dangerous for o in outcomes),
        "p50_ms": round(_percentile(times, 50), 3),
        "p95_ms": round(_percentile(times, 95), 3),
        "n": len(outcomes),
    }


def evaluate(faq_entries: Iterable[PolicyEntry], questions: list[dict[str, Any]],
             on_progress: ProgressCallback | None = None) -> dict[str, Any]:
    index = PolicyIndex.build(faq_entries)
    return metrics(run_questions(index, questions, on_progress))


def failure_lines(outcomes: Iterable[Outcome]) -> list[str]:
    """One line per question answered wrongly, dangerous ones first."""
    wrong = [o for o in outcomes if not o.correct or o.dangerous]
    wrong.sort(key=lambda o: (not o.dangerous, o.question["id"]))
    return [o.describe() for o in wrong]


def format_report(metrics: dict[str, Any], lines: Sequence[str] = ()) -> str:
    """Human-readable summary; `lines` (e.g. failure_lines()) are listed under it."""
    def mark(key: str, ok: bool) -> str:
        return "ok" if ok else f"below target {TARGETS[key]}" if key != "dangerous" else "MUST BE 0"

    rows = [
        ("questions", f"{metrics['n']}", None),
        ("top-1 accuracy (in scope)", f"{metrics['top1']:.1%}",
         mark("top1", metrics["top1"] >= TARGETS["top1"])),
        ("abstention precision", f"{metrics['abstain_precision']:.1%}",
         mark("abstain_precision", metrics["abstain_precision"] >= TARGETS["abstain_precision"])),
        ("abstention recall", f"{metrics['abstain_recall']:.1%}",
         mark("abstain_recall", metrics["abstain_recall"] >= TARGETS["abstain_recall"])),
        ("dangerous answers", f"{metrics['dangerous']}", mark("dangerous", metrics["dangerous"] == 0)),
        ("latency p50 / p95", f"{metrics['p50_ms']:.2f} ms / {metrics['p95_ms']:.2f} ms",
         "ok" if metrics["p95_ms"] <= TARGETS["p95_ms"] else f"p95 above {TARGETS['p95_ms']} ms"),
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
