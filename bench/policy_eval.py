"""Policy engine figures: accuracy on a question set, held-out threshold check, and speed
with the store padded to 500 entries.

    .venv/bin/python bench/policy_eval.py [--faq F] [--questions Q] [--pad 500] [--no-holdout]

Defaults are ../shared/policy/faq.yaml and questions-dev.yaml (relative to the repo root).
Extra sets (tests/policy/data/, and the blind and training sets in bench/policy/) are reported too
when present.
"""
from __future__ import annotations

import argparse
import itertools
import random
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import bm25s  # noqa: E402

from bot.policy.engine import PolicyAnswer, PolicyIndex  # noqa: E402
from bot.policy.entries import PolicyEntry, Verdict  # noqa: E402
from bot.policy.evaluate import (failure_lines, format_report, load_questions,  # noqa: E402
                                 metrics, progress_printer, run_questions, score)
from bot.policy.faq_yaml import load_faq  # noqa: E402

SHARED = ROOT.parent / "shared" / "policy"
DATA = ROOT / "tests" / "policy" / "data"
EXTRA_SETS = (
    ("shared FAQ + extra set (seen while tuning)", SHARED / "faq.yaml",
     DATA / "questions-extra.yaml"),
    ("shared FAQ + fresh set (never tuned on)", SHARED / "faq.yaml",
     DATA / "questions-fresh.yaml"),
    ("demo FAQ + its own question set", ROOT / "bot" / "demo" / "faq.yaml",
     DATA / "questions-demo.yaml"),
    ("shared FAQ + blind set (frozen, report only)", SHARED / "faq.yaml",
     ROOT / "bench" / "policy" / "questions-blind.yaml"),
    ("shared FAQ + training set (for fitting)", SHARED / "faq.yaml",
     ROOT / "bench" / "policy" / "questions-train.yaml"),
)
GRID = {
    "min_confidence": (0.05, 0.1, 0.15, 0.2),
    "min_confidence_allowed": (0.2, 0.3, 0.4),
    "close_ratio": (0.7, 0.8, 0.9),
    "allowed_margin": (0.6, 0.7, 0.8),
    "support_margin": (0.15, 0.25, 0.35),
    "offtopic_ratio": (0.4, 0.5, 0.6),
}
MAX_CLARIFY_RATE = 0.25

# Words for synthetic distractor entries: workplace topics a policy FAQ might also cover,
# none of them about social media, so they never answer a dev question correctly by chance.
_TOPICS = [pair.split("/") for pair in """
parking/parking garden/ogród bicycle/rower library/biblioteka kitchen/kuchnia plants/rośliny
recycling/recykling printer/drukarka locker/szafka shower/prysznic umbrella/parasol
aquarium/akwarium piano/pianino chess/szachy yoga/joga running/bieganie football/piłka
volunteering/wolontariat blood-donation/krwiodawstwo charity/dobroczynność carpool/dojazdy
shuttle/autobus bakery/piekarnia pharmacy/apteka laundry/pralnia tailor/krawiec cinema/kino
theatre/teatr museum/muzeum orchestra/orkiestra choir/chór mentoring/mentoring
language-course/kurs-językowy book-club/klub-książki board-games/gry-planszowe
hiking/wędrówki sailing/żeglarstwo archery/łucznictwo climbing/wspinaczka cycling/kolarstwo
swimming/pływanie marathon/maraton fitness/fitness meditation/medytacja nutrition/żywienie
ergonomics/ergonomia
""".split()]
_EN_FILLER = ("schedule rules booking team members weekly monthly sign-up form coordinator "
              "equipment room hours guests budget calendar reminder newsletter channel").split()
_PL_FILLER = ("harmonogram zasady rezerwacja członkowie tygodniowo miesięcznie zapisy formularz "
              "koordynator sprzęt sala godziny goście budżet kalendarz przypomnienie kanał").split()


def synthetic_entries(count: int, seed: int = 7) -> list[PolicyEntry]:
    """Distractor entries shaped like real ones (two languages, ~60-word answers)."""
    rng = random.Random(seed)
    verdicts = [Verdict.ALLOWED, Verdict.NOT_ALLOWED, Verdict.ASK_FIRST, None]
    out = []
    for n in range(count):
        topic_en, topic_pl = (t.replace("-", " ") for t in rng.choice(_TOPICS))
        en_words = " ".join(rng.choices(_EN_FILLER, k=40))
        pl_words = " ".join(rng.choices(_PL_FILLER, k=40))
        out.append(PolicyEntry(
            key=f"synthetic-{n:04d}",
            question=f"How does the {topic_en} {rng.choice(_EN_FILLER)} work at the company?",
            answer=f"The {topic_en} {en_words}.",
            question_pl=f"Jak działa {topic_pl} {rng.choice(_PL_FILLER)} w firmie?",
            answer_pl=f"{topic_pl.capitalize()} {pl_words}.",
            tags=(topic_en.replace(" ", "-"), rng.choice(_EN_FILLER)),
            verdict=rng.choice(verdicts),
        ))
    return out


def plain_bm25(entries: list[PolicyEntry], questions: list[dict[str, Any]]) -> dict[str, Any]:
    """The baseline to beat: bm25s over the raw FAQ text, always answering its top hit."""
    corpus = [" ".join(filter(None, (e.question, e.question_pl, e.answer, e.answer_pl,
                                     " ".join(e.tags)))) for e in entries]
    retriever = bm25s.BM25()
    retriever.index(bm25s.tokenize(corpus, show_progress=False), show_progress=False)
    by_key = {e.key: e for e in entries}
    outcomes = []
    for q in questions:
        start = time.perf_counter()
        tokens = bm25s.tokenize([q["text"]], show_progress=False)
        docs, _ = retriever.retrieve(tokens, k=1, show_progress=False)
        entry = entries[int(docs[0][0])]
        answer = PolicyAnswer(entry, entry.verdict, 1.0, "en")
        ms = (time.perf_counter() - start) * 1000
        outcomes.append(score(q, answer, ms, by_key))
    return metrics(outcomes)


def split_holdout(questions: list[dict[str, Any]], share: int = 3) -> tuple[list, list]:
    """Every `share`-th question (by id) is held out; the rest is used for tuning."""
    ordered = sorted(questions, key=lambda q: q["id"])
    held = [q for i, q in enumerate(ordered) if i % share == share - 1]
    tune = [q for i, q in enumerate(ordered) if i % share != share - 1]
    return tune, held


def _objective(m: dict[str, Any]) -> float:
    if m["dangerous"]:
        return -1.0
    over = max(0.0, m["clarify_rate"] - MAX_CLARIFY_RATE)
    return (m["top1"] + m["resolved_within_one_click"] + m["abstain_precision"]
            + m["abstain_recall"] - 4 * over)


def tune_thresholds(index: PolicyIndex, questions: list[dict[str, Any]]) -> dict[str, float]:
    """Grid search of the decision thresholds (the ranking does not depend on them).

    Among equally good settings the one closest to the shipped defaults wins, so that a
    flat plateau does not pick an arbitrary corner.
    """
    base = index.settings
    best: tuple[float, float, dict[str, float]] | None = None
    names = list(GRID)
    combos = list(itertools.product(*(GRID[n] for n in names)))
    progress = progress_printer(sys.stdout)
    for done, values in enumerate(combos, 1):
        progress(done, len(combos))
        params = dict(zip(names, values, strict=True))
        index.settings = replace(base, **params)
        score = _objective(metrics(run_questions(index, questions)))
        distance = sum(abs(params[n] - getattr(base, n)) for n in names)
        if best is None or (score, -distance) > (best[0], -best[1]):
            best = (score, distance, params)
    index.settings = base
    assert best is not None
    return best[2]


def _line(label: str, m: dict[str, Any]) -> str:
    return (f"{label:<44} top1={m['top1']:.3f}  one-click={m['resolved_within_one_click']:.3f}  "
            f"clarify={m['clarify_rate']:.3f}  hand-over P={m['abstain_precision']:.3f} "
            f"R={m['abstain_recall']:.3f}  dangerous={m['dangerous']}  "
            f"p50={m['p50_ms']:.2f}ms p95={m['p95_ms']:.2f}ms  n={m['n']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--faq", default=str(SHARED / "faq.yaml"))
    parser.add_argument("--questions", default=str(SHARED / "questions-dev.yaml"))
    parser.add_argument("--pad", type=int, default=500, help="store size for the speed run")
    parser.add_argument("--no-holdout", action="store_true", help="skip the threshold search")
    parser.add_argument("--verbose", action="store_true", help="list every miss")
    args = parser.parse_args(argv)

    entries = load_faq(Path(args.faq).read_text(encoding="utf-8"))
    questions = load_questions(Path(args.questions).read_text(encoding="utf-8"))
    print(f"FAQ: {args.faq} ({len(entries)} entries); questions: {args.questions} "
          f"({len(questions)})", flush=True)

    start = time.perf_counter()
    index = PolicyIndex.build(entries)
    print(f"index built in {time.perf_counter() - start:.2f}s", flush=True)
    outcomes = run_questions(index, questions, progress_printer(sys.stdout))
    dev = metrics(outcomes)
    print(format_report(dev, failure_lines(outcomes) if args.verbose else ()))
    print(_line("baseline: plain BM25 over the FAQ text", plain_bm25(entries, questions)))
    print()

    if not args.no_holdout:
        tune, held = split_holdout(questions)
        print(f"held-out check: tuning thresholds on {len(tune)} questions, "
              f"testing on the other {len(held)} ...", flush=True)
        tuned = tune_thresholds(index, tune)
        print(f"  thresholds chosen on the tuning part: {tuned}")
        print(f"  shipped defaults:                     "
              f"{ {n: getattr(index.settings, n) for n in GRID} }")
        print(_line("  shipped defaults, tuning part", metrics(run_questions(index, tune))))
        print(_line("  shipped defaults, held-out part", metrics(run_questions(index, held))))
        shipped = index.settings
        index.settings = replace(shipped, **tuned)
        print(_line("  tuned-on-2/3 thresholds, held-out part",
                    metrics(run_questions(index, held))))
        index.settings = shipped
        print()

    for label, faq_path, questions_path in EXTRA_SETS:
        if faq_path.exists() and questions_path.exists():
            other = PolicyIndex.build(load_faq(faq_path.read_text(encoding="utf-8")))
            print(f"{label} ...", flush=True)
            extra = run_questions(other, load_questions(questions_path.read_text(encoding="utf-8")),
                                  progress_printer(sys.stdout))
            print(_line(label, metrics(extra)))
            if args.verbose:
                for line in failure_lines(extra):
                    print(f"    {line}")
    print()

    if args.pad > len(entries):
        padded = entries + synthetic_entries(args.pad - len(entries))
        start = time.perf_counter()
        big = PolicyIndex.build(padded)
        print(f"padded store: {len(padded)} entries, index built in "
              f"{time.perf_counter() - start:.2f}s", flush=True)
        rounds = 3
        runs = [run_questions(big, questions, progress_printer(sys.stdout) if r == 0 else None)
                for r in range(rounds)]
        first = metrics(runs[0])
        all_runs = metrics([o for run in runs for o in run])
        print(_line(f"{len(padded)}-entry store (accuracy, run 1)", first))
        print(f"{len(padded)}-entry store latency over {rounds} runs of {len(questions)} questions: "
              f"p50={all_runs['p50_ms']:.2f} ms, p95={all_runs['p95_ms']:.2f} ms")
        long_question = ("Can I post about our quarterly revenue? " * 300)[:10_000]
        start = time.perf_counter()
        answer = big.answer(long_question)
        print(f"10,000-character question: {(time.perf_counter() - start) * 1000:.2f} ms, "
              f"answer={answer.entry.key if answer.entry else answer.abstain_reason}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
