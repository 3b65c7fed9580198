"""Search latency at scale, against the obvious alternatives measured in the same run on the same data.

    python benchmarks/bench_search.py --records 100000 [--json] [--db PATH]

Builds a store of N synthetic records (benchmarks/synth.py: real descriptions recombined, national
municipalities, ten fiscal years), then runs two fixed mixes — keyword queries (short words, names,
readings, dates, several terms) and sentence questions as staff write them (particles, question words,
regions, seasons, old names, emoji) — through:

- koryu: `Store.ask(text, limit=20)` (parse with the analyser, search, first page, the one-line answer's
  figures), as the bot and CLI call it; `parse` alone for the sentences;
- like_scan: the query's words as `LIKE '%word%'` over description, department and municipality (no index);
- rapidfuzz_scan: `process.extract(query, descriptions, scorer=fuzz.partial_ratio, score_cutoff=90)`.

The sentence mix is also run on the real FY2024 report (123 records), where the parse dominates. Prints
p50 / p95 / p99 in milliseconds for each, and the koryu / LIKE p50 ratio. With --json, one object:
{"records", "queries", "koryu", "koryu_sentences", "parse_sentences", "report_sentences", "like_scan",
"rapidfuzz_scan", "build_s", "speedup_p50"}.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.questions import SENTENCES  # noqa: E402
from benchmarks.synth import build_store  # noqa: E402

QUERIES = [
    "給食",
    "防災",
    "物産展",
    "柔道",
    "講演会",
    "くまモン",
    "スタンプラリー",
    "森鴎外記念館",
    "金沢市",
    "かなざわ",
    "kanazawa",
    "熊本県",
    "盛岡",
    "札幌市",
    "11月",
    "R7.3",
    "令和6年11月",
    "2024年11月15日",
    "今年度",
    "11月 物産展",
    "金沢市 物産展",
    "経済課 11月",
    "熊本 講演会",
    "防災ミーティング 3月",
    "物産展 自治体別",
    "大阪市",
    "津和野町 お米",
    "J-VER",
    "朝顔 ほおずき",
    "図書館 展示",
]


def percentiles(ms: list[float]) -> dict[str, float]:
    s = sorted(ms)

    def pct(p: float) -> float:
        return s[min(len(s) - 1, max(0, round(p / 100 * len(s) + 0.5) - 1))]

    return {"p50_ms": round(statistics.median(s), 2), "p95_ms": round(pct(95), 2), "p99_ms": round(pct(99), 2)}


def run(fn, queries: list[str], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        for q in queries:
            t = time.perf_counter()
            fn(q)
            times.append((time.perf_counter() - t) * 1000)
    return times


def main() -> None:
    ap = argparse.ArgumentParser(description="koryu search latency vs a LIKE scan and a rapidfuzz scan")
    ap.add_argument("--records", type=int, default=100_000)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--db", help="reuse/keep the synthetic store here (built if missing)")
    ap.add_argument("--repeat", type=int, default=3, help="passes over the query mix for koryu and LIKE")
    args = ap.parse_args()

    started = time.perf_counter()
    path = Path(args.db) if args.db else Path(tempfile.mkdtemp(prefix="koryu-bench-")) / f"synthetic-{args.records}.db"
    if path.exists():
        import store

        db = store.open(path)
        if db.count() != args.records:
            raise SystemExit(f"{path} holds {db.count()} records, not {args.records}")
    else:
        db = build_store(path, args.records)
    build_s = time.perf_counter() - started
    db.ask("warm up")
    for q in SENTENCES:  # the analyser's dictionary pages and the country-wide name table, once
        db.ask(q)

    koryu_ms = run(lambda q: db.ask(q, limit=20), QUERIES, args.repeat)
    sentences_ms = run(lambda q: db.ask(q, limit=20), SENTENCES, args.repeat)
    lexicon = db.lexicon()
    from store.query import parse

    parse_ms = run(lambda q: parse(q, lexicon), SENTENCES, args.repeat)
    report_ms = _report_sentences(args.repeat)

    conn = db.conn

    def like_scan(q: str) -> int:
        words = [w for w in q.split() if w]
        where = " AND ".join("(description LIKE ? OR department LIKE ? OR municipality LIKE ?)" for _ in words)
        params = [p for w in words for p in (f"%{w}%",) * 3]
        conn.execute(f"SELECT count(*) FROM records WHERE {where}", params).fetchone()
        return len(conn.execute(f"SELECT * FROM records WHERE {where} LIMIT 20", params).fetchall())

    like_ms = run(like_scan, QUERIES, args.repeat)

    from rapidfuzz import fuzz, process

    descriptions = [r[0] for r in conn.execute("SELECT description FROM records")]
    fuzz_queries = QUERIES[:: max(1, len(QUERIES) // 10)]  # a scan per query is slow: a third of the mix, once

    def fuzz_scan(q: str) -> int:
        return len(process.extract(q, descriptions, scorer=fuzz.partial_ratio, score_cutoff=90, limit=None))

    fuzz_ms = run(fuzz_scan, fuzz_queries, 1)

    out = {
        "records": args.records,
        "queries": len(QUERIES),
        "koryu": percentiles(koryu_ms),
        "koryu_sentences": percentiles(sentences_ms),
        "parse_sentences": percentiles(parse_ms),
        "report_sentences": percentiles(report_ms),
        "like_scan": percentiles(like_ms),
        "rapidfuzz_scan": {**percentiles(fuzz_ms), "queries": len(fuzz_queries)},
        "build_s": round(build_s, 1),
        "total_s": round(time.perf_counter() - started, 1),
    }
    out["speedup_p50"] = round(out["like_scan"]["p50_ms"] / max(out["koryu"]["p50_ms"], 1e-6), 1)
    if args.json:
        print(json.dumps(out))
        return
    print(
        f"{args.records:,} records, {len(QUERIES)} keyword queries and {len(SENTENCES)} sentences x {args.repeat} "
        f"(store built in {build_s:.1f} s); report_sentences: the sentences on the FY2024 report (123 records)"
    )
    for name in ("koryu", "koryu_sentences", "parse_sentences", "report_sentences", "like_scan", "rapidfuzz_scan"):
        r = out[name]
        print(f"  {name:17} p50 {r['p50_ms']:8.2f} ms   p95 {r['p95_ms']:8.2f} ms   p99 {r['p99_ms']:8.2f} ms")
    print(f"  koryu is {out['speedup_p50']}x faster than the LIKE scan at p50; total {out['total_s']} s")


def _report_sentences(repeat: int) -> list[float]:
    """The sentence mix, parsed and answered on the real FY2024 report."""
    import ingest
    import store
    from bot.stores import sample_pdf

    with tempfile.TemporaryDirectory() as tmp:
        report = store.open(Path(tmp) / "r6.db")
        ingest.ingest_file(report, sample_pdf())
        for q in SENTENCES:
            report.ask(q)
        times = run(lambda q: report.ask(q, limit=20), SENTENCES, repeat)
        report.close()
    return times


if __name__ == "__main__":
    main()
