"""Which morphological analyser should read the questions? Measured, not guessed.

    pip install -e '.[bench]'      # sudachidict_core, fugashi + unidic-lite, janome (measurement only)
    python benchmarks/compare_analyzers.py [--json]

Every analyser sits behind the same tokenizer seam (benchmarks/analyzers.py), so the parser, the index and
the search are identical and only the segmentation differs. For each one:

- quality: recall / precision on the sentence gold sets (tests/fixtures/queries_sentences_own.json, 262
  questions; queries_sentences_dev.json, 16) and on the keyword gold sets (queries_dev.json +
  queries_own.json, 99), over the FY2024 report;
- parse: p50 / p95 ms of `store.query.parse` per question, warm, in process;
- start: ms to import the analyser, load its dictionary and analyse one question, in a fresh process
  (median of 3) — what a one-shot `koryu ask` pays;
- RSS: MiB of a fresh process that has imported the Slack app, opened the store and parsed every gold
  question with the analyser — the serving footprint; the baseline row (no analyser) is the same process
  with words split by script only;
- size: MB installed (the analyser's distributions as pip recorded them).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import ingest  # noqa: E402
import store  # noqa: E402
from benchmarks.analyzers import MAKERS, available, make  # noqa: E402
from bot.stores import sample_pdf  # noqa: E402
from store.query import parse  # noqa: E402
from tests.store.test_sentences import norm  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"


def load(name: str) -> tuple[list[dict], dt.date]:
    doc = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    if isinstance(doc, dict) and "today" in doc:
        return doc["queries"], dt.date.fromisoformat(doc["today"])
    return (doc["queries"] if isinstance(doc, dict) else doc), dt.date(2026, 12, 1)


def sentence_quality(db, tok, truth_keys, queries, today):
    recalls, precisions = [], []
    lex = db.lexicon(today)
    for q in queries:
        res = db.search(parse(q["q"], lex, tok), limit=None, today=today)
        got = {
            truth_keys.get((r.municipality_code, norm(r.description), norm(r.period_text)), -1 - k)
            for k, r in enumerate(res.records)
        }
        must, allowed = set(q["expected_ids"]), set(q.get("allowed_ids", []))
        if must:
            recalls.append(len(got & must) / len(must))
        precisions.append(len(got & (must | allowed)) / len(got) if got else (1.0 if not must else 0.0))
    return statistics.mean(recalls), statistics.mean(precisions)


def keyword_quality(db, tok, queries, today):
    def key(k: str) -> str:
        code, desc, *period = k.split("|")
        return f"{code}|{norm(desc)}|{norm('|'.join(period))}"

    recalls, precisions = [], []
    lex = db.lexicon(today)
    for q in queries:
        res = db.search(parse(q["query"], lex, tok), limit=None, today=today)
        got = [] if res.relaxed else [key(f"{r.municipality_code}|{r.description}|{r.period_text}") for r in res.records]
        must, allowed = {key(k) for k in q["must"]}, {key(k) for k in q["allowed"]}
        recalls.append(len(must & set(got)) / len(must) if must else 1.0)
        precisions.append(sum(g in allowed for g in got) / len(got) if got else 1.0)
    return statistics.mean(recalls), statistics.mean(precisions)


def percentile(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(p / 100 * len(s) + 0.5) - 1))]


CHILD = """
import sys, time, json
sys.path.insert(0, {root!r})
t = time.perf_counter()
from benchmarks.analyzers import make
tok = make({name!r})
start_ms = (time.perf_counter() - t) * 1000
if {serve}:
    import datetime as dt
    import bot.app, store
    from store.query import parse
    db = store.open({db!r})
    lex = db.lexicon(dt.date(2025, 1, 15))
    for q in json.load(open({questions!r})):
        db.search(parse(q, lex, tok))
rss = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmRSS")) / 1024
print(json.dumps({{"start_ms": start_ms, "rss_mib": rss}}))
"""


def child(name: str, db: Path, questions: Path, serve: bool) -> dict:
    code = CHILD.format(root=str(ROOT), name=name, serve=serve, db=str(db), questions=str(questions))
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    if p.returncode != 0:
        raise RuntimeError(p.stderr[-500:])
    return json.loads(p.stdout.strip().splitlines()[-1])


def installed_mb(dists: tuple[str, ...]) -> float:
    total = 0
    for d in dists:
        dist = metadata.distribution(d)
        total += sum((f.size or 0) for f in dist.files or [])
    return total / 1e6


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="koryu-analyzers-"))
    db_path = tmp / "k.db"
    with store.open(db_path) as db:
        ingest.ingest_file(db, sample_pdf())
    db = store.open(db_path)
    truth = json.loads((FIXTURES / "r6_expected.json").read_text(encoding="utf-8"))["records"]
    truth_keys = {(r["municipality_code"], norm(r["description"]), norm(r["period_text"])): i for i, r in enumerate(truth)}
    own, own_today = load("queries_sentences_own.json")
    dev, dev_today = load("queries_sentences_dev.json")
    kw_dev, _ = load("queries_dev.json")
    kw_own, _ = load("queries_own.json")
    questions = tmp / "questions.json"
    questions.write_text(json.dumps([q["q"] for q in own + dev] + [q["query"] for q in kw_dev + kw_own], ensure_ascii=False))
    rows = []
    for name in available():
        tok = make(name)
        own_r, own_p = sentence_quality(db, tok, truth_keys, own, own_today)
        dev_r, dev_p = sentence_quality(db, tok, truth_keys, dev, dev_today)
        kw = [keyword_quality(db, tok, kw_dev, dt.date(2026, 11, 30)), keyword_quality(db, tok, kw_own, dt.date(2024, 12, 1))]
        lex = db.lexicon(own_today)
        times = []
        for _ in range(3):
            for q in own + dev:
                t = time.perf_counter()
                parse(q["q"], lex, tok)
                times.append((time.perf_counter() - t) * 1000)
        starts = [child(name, db_path, questions, serve=False)["start_ms"] for _ in range(3)]
        rss = child(name, db_path, questions, serve=True)["rss_mib"]
        rows.append(
            {
                "analyser": name,
                "sentences_own": [round(own_r, 3), round(own_p, 3)],
                "sentences_dev": [round(dev_r, 3), round(dev_p, 3)],
                "keywords": [round(statistics.mean(k[0] for k in kw), 3), round(statistics.mean(k[1] for k in kw), 3)],
                "parse_p50_ms": round(statistics.median(times), 2),
                "parse_p95_ms": round(percentile(times, 95), 2),
                "start_ms": round(statistics.median(starts)),
                "serving_rss_mib": round(rss, 1),
                "installed_mb": round(installed_mb(MAKERS[name][1]), 1),
            }
        )
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    print(f"sentence gold: {len(own)} own + {len(dev)} shared dev questions; keyword gold: {len(kw_dev) + len(kw_own)} queries")
    print(
        f"{'analyser':26} {'own R/P':>12} {'dev R/P':>12} {'keyword R/P':>12} {'parse p50/p95 ms':>17} {'start ms':>9} {'RSS MiB':>8} {'size MB':>8}"
    )
    for r in rows:
        print(
            f"{r['analyser']:26} {r['sentences_own'][0]:.3f}/{r['sentences_own'][1]:.3f} {r['sentences_dev'][0]:.3f}/{r['sentences_dev'][1]:.3f} "
            f"{r['keywords'][0]:.3f}/{r['keywords'][1]:.3f} {r['parse_p50_ms']:8.2f}/{r['parse_p95_ms']:<8.2f} {r['start_ms']:9} "
            f"{r['serving_rss_mib']:8.1f} {r['installed_mb']:8.1f}"
        )


if __name__ == "__main__":
    main()
