"""Scoring a gold question set against a store: recall and precision per question kind, and the questions that
miss. A question may carry `after` (the earlier questions of its thread), `parts` (one expectation per question
of a message that asks several) and `answer_contains` (strings the one-line answer must hold).

    python -m tests.gold tests/fixtures/queries_sentences_fifth.json [--db koryu.db]   # prints the figures
"""

from __future__ import annotations

import datetime as dt
import json
import re
import statistics
import sys
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from bot import wording
from store.query import split_questions

FIXTURES = Path(__file__).parent / "fixtures"


def norm(s: str | None) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s or ""))


def record_index(truth: list[dict]):
    """records → the set of their ids in the ground truth (a record not in it gets a negative id)."""
    keys = {(r["municipality_code"], norm(r["description"]), norm(r["period_text"])): i for i, r in enumerate(truth)}

    def ids(records) -> set[int]:
        return {keys.get((r.municipality_code, norm(r.description), norm(r.period_text)), -1 - k) for k, r in enumerate(records)}

    return ids


@dataclass
class Figures:
    """recall/precision: means over questions (a message of several: the mean over its parts); answers: the
    share of questions with `answer_contains` whose one-line answer holds every string; by_kind: kind →
    (n, recall, precision); failures: (question, what was missed)."""

    n: int = 0
    recall: float = 0.0
    precision: float = 0.0
    answers: float = 1.0
    by_kind: dict[str, tuple[int, float, float]] = field(default_factory=dict)
    failures: list[tuple[str, str]] = field(default_factory=list)


def _one(got: set[int], must: set[int], allowed: set[int]) -> tuple[float | None, float]:
    recall = len(got & must) / len(must) if must else None
    precision = len(got & (must | allowed)) / len(got) if got else (1.0 if not must else 0.0)
    return recall, precision


def score(db, index_of, path: Path, today: dt.date | None = None) -> Figures:
    """Ask every question of the set at `path` (its own "today" when it has one) and score the answers."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    queries = doc["queries"] if isinstance(doc, dict) else doc
    today = dt.date.fromisoformat(doc["today"]) if isinstance(doc, dict) and "today" in doc else today
    recalls, precisions, answers = [], [], []
    kinds: dict[str, list[tuple[float | None, float]]] = defaultdict(list)
    figures = Figures(n=len(queries))
    for q in queries:
        after = tuple(q.get("after", ()))
        parts = q.get("parts")
        questions = split_questions(q["q"]) if parts else [q["q"]]
        expectations = parts if parts and len(parts) == len(questions) else [q]
        if parts and len(parts) != len(questions):
            questions = [q["q"]]
            figures.failures.append((q["q"], f"read as {len(split_questions(q['q']))} questions, not {len(parts)}"))
        rs, ps, lines = [], [], []
        for i, (question, want) in enumerate(zip(questions, expectations)):
            earlier = after + tuple(questions[:i])
            res = db.ask(question, limit=None, today=today, **({"after": earlier} if earlier else {}))
            got = index_of(res.records)
            must, allowed = set(want["expected_ids"]), set(want.get("allowed_ids", []))
            r, p = _one(got, must, allowed)
            if r is not None:
                rs.append(r)
            ps.append(p)
            lines.append(wording.answer_line(res))
            if (must and not must <= got) or (got - must - allowed):
                missed = sorted(must - got)[:8]
                extra = sorted(got - must - allowed)[:8]
                figures.failures.append((question, f"missed {missed} extra {extra} as {res.answered.label()}"))
        recall = statistics.mean(rs) if rs else None
        precision = statistics.mean(ps)
        if recall is not None:
            recalls.append(recall)
        precisions.append(precision)
        kinds[q.get("kind", "sentence")].append((recall, precision))
        if q.get("answer_contains"):
            line = " ".join(lines)
            ok = all(s in line for s in q["answer_contains"])
            answers.append(ok)
            if not ok:
                figures.failures.append((q["q"], f"answer line {line!r} lacks {q['answer_contains']}"))
    figures.recall = statistics.mean(recalls)
    figures.precision = statistics.mean(precisions)
    figures.answers = sum(answers) / len(answers) if answers else 1.0
    for kind, pairs in kinds.items():
        rs = [r for r, _ in pairs if r is not None]
        figures.by_kind[kind] = (len(pairs), statistics.mean(rs) if rs else 1.0, statistics.mean(p for _, p in pairs))
    return figures


def main(argv: list[str]) -> int:
    import argparse

    import store

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--db", default="koryu.db")
    parser.add_argument("--failures", action="store_true")
    args = parser.parse_args(argv)
    truth = json.loads((FIXTURES / "r6_expected.json").read_text(encoding="utf-8"))["records"]
    with store.open(args.db) as db:
        f = score(db, record_index(truth), args.path)
    print(f"{args.path.name}: {f.n} questions  recall {f.recall:.3f}  precision {f.precision:.3f}  answers {f.answers:.3f}")
    for kind, (n, r, p) in sorted(f.by_kind.items()):
        print(f"  {kind:10s} {n:4d}  recall {r:.3f}  precision {p:.3f}")
    if args.failures:
        for question, why in f.failures:
            print(f"  ✗ {question}\n      {why}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
