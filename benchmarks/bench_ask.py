"""One-shot `koryu ask` wall time: a fresh process that starts Python, loads the analyser and its
dictionary, reads the question and prints the answer — what a person at a terminal waits for.

    python benchmarks/bench_ask.py [--repeat 3] [--json]

Runs a mix of sentence questions against a store holding the sample FY2024 report. Baselines measured
in the same run: the bare interpreter (`python -c pass`) and the CLI without a search (`koryu --version`),
so the figure can be read as "start-up of Python + click" plus "koryu's own work".
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import ingest  # noqa: E402
import store  # noqa: E402
from benchmarks.questions import SENTENCES  # noqa: E402
from bot.stores import sample_pdf  # noqa: E402
from tests.conftest import koryu_bin  # noqa: E402

QUESTIONS = SENTENCES[:10]
# read through JMdict and the word vectors (store.query.meanings, store.query.near), which load on first use
MEANING_QUESTIONS = [
    "school lunch events",
    "Which city had the most exchanges?",
    "スイーツ系のコラボを探しています",
    "旅行っぽい企画はありますか",
    "一番多い自治体は？",
]


def timed(cmd: list[str]) -> float:
    t = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    ms = (time.perf_counter() - t) * 1000
    if p.returncode != 0:
        raise RuntimeError(f"{cmd}: {p.stderr[-300:]}")
    return ms


def summary(ms: list[float]) -> dict[str, float]:
    s = sorted(ms)
    return {"p50_ms": round(statistics.median(s)), "p95_ms": round(s[min(len(s) - 1, int(len(s) * 0.95))]), "n": len(s)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "k.db"
        with store.open(db) as s:
            ingest.ingest_file(s, sample_pdf())
        koryu = koryu_bin()
        timed([koryu, "ask", "warm", "--db", str(db)])  # the OS page cache, as for anyone's second question
        ask = [timed([koryu, "ask", q, "--db", str(db)]) for _ in range(args.repeat) for q in QUESTIONS]
        meaning = [timed([koryu, "ask", q, "--db", str(db)]) for _ in range(args.repeat) for q in MEANING_QUESTIONS]
        python = [timed([sys.executable, "-c", "pass"]) for _ in range(args.repeat * 3)]
        version = [timed([koryu, "--version"]) for _ in range(args.repeat * 3)]
    out = {
        "koryu_ask": summary(ask),
        "koryu_ask_english_near": summary(meaning),
        "baseline_python": summary(python),
        "baseline_koryu_version": summary(version),
    }
    if args.json:
        print(json.dumps(out))
        return
    a, p, v = out["koryu_ask"], out["baseline_python"], out["baseline_koryu_version"]
    print(f"one-shot koryu ask, {len(QUESTIONS)} sentence questions x {args.repeat}:")
    m = out["koryu_ask_english_near"]
    print(f"  koryu ask          p50 {a['p50_ms']:5} ms   p95 {a['p95_ms']:5} ms")
    print(
        f"  … English, near    p50 {m['p50_ms']:5} ms   p95 {m['p95_ms']:5} ms   ({len(MEANING_QUESTIONS)} questions that load JMdict/vectors)"
    )
    print(f"  koryu --version    p50 {v['p50_ms']:5} ms   (Python + the CLI, no search)")
    print(f"  python -c pass     p50 {p['p50_ms']:5} ms   (the interpreter alone)")


if __name__ == "__main__":
    main()
