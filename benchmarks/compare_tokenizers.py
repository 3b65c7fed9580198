"""Which tokenisation should the full-text index use? Measured, not guessed.

    python benchmarks/compare_tokenizers.py [--records 50000] [--json]

Every approach sees the same records and the same parsed queries (koryu's parser turns municipality names,
departments and dates into filters); only how the remaining terms are matched differs. Quality is measured
on the gold queries (tests/fixtures/queries_dev.json and queries_own.json) over the FY2024 report; index size
and query time on N synthetic records (benchmarks/synth.py).

Approaches:
- bigram: koryu's index — folded text as overlapping character bigrams in FTS5 (unicode61 on the bigrams),
  a term is the phrase of its bigrams; 1-character terms use LIKE.
- trigram+LIKE: FTS5's trigram tokenizer on folded text; terms under 3 characters fall back to LIKE.
- trigram: FTS5 trigram alone (a 2-character term finds nothing).
- sudachi: SudachiPy (mode A, normalized forms) words in FTS5; a term is the phrase of its words.
- unicode61 raw: SQLite's default tokenizer on the text as printed (no folding).
- LIKE raw: substring search over the text as printed (no folding, no index).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import ingest  # noqa: E402
import store  # noqa: E402
from benchmarks.synth import build_store  # noqa: E402
from bot.stores import sample_pdf  # noqa: E402
from store.normalize import bigrams, fold, word_chars  # noqa: E402
from store.query import Query, parse  # noqa: E402
from store.sql import fts_phrase, ids_statement  # noqa: E402

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"


def _quote(s: str) -> str:
    return '"' + s.replace('"', '""') + '"'


class Approach:
    name = ""

    def build(self, conn: sqlite3.Connection, rows: list[tuple[int, str]]) -> None: ...

    def match(self, conn: sqlite3.Connection, alternatives: list[str], raw: str) -> set[int]: ...


class Bigram(Approach):
    name = "bigram (koryu)"

    def build(self, conn, rows):
        conn.execute("CREATE VIRTUAL TABLE idx USING fts5(t, tokenize='unicode61 remove_diacritics 0')")
        conn.executemany("INSERT INTO idx(rowid, t) VALUES (?, ?)", [(i, " ".join(bigrams(t))) for i, t in rows])
        conn.execute("CREATE TABLE txt(id INTEGER PRIMARY KEY, t TEXT)")
        conn.executemany("INSERT INTO txt VALUES (?, ?)", [(i, fold(t)) for i, t in rows])

    def match(self, conn, alternatives, raw):
        out: set[int] = set()
        for a in alternatives:
            phrase = fts_phrase(a)
            if phrase:
                out |= {r[0] for r in conn.execute("SELECT rowid FROM idx WHERE idx MATCH ?", (phrase,))}
            else:
                out |= {r[0] for r in conn.execute("SELECT id FROM txt WHERE t LIKE ?", (f"%{a}%",))}
        return out


class Trigram(Approach):
    name = "trigram + LIKE fallback"
    fallback = True

    def build(self, conn, rows):
        conn.execute("CREATE VIRTUAL TABLE idx USING fts5(t, tokenize='trigram')")
        conn.executemany("INSERT INTO idx(rowid, t) VALUES (?, ?)", [(i, word_chars(t)) for i, t in rows])
        if self.fallback:
            # the trigram table answers LIKE '%給食%' with no rows (SQLite 3.40); scan a plain copy instead
            conn.execute("CREATE TABLE txt(id INTEGER PRIMARY KEY, t TEXT)")
            conn.executemany("INSERT INTO txt VALUES (?, ?)", [(i, word_chars(t)) for i, t in rows])

    def match(self, conn, alternatives, raw):
        out: set[int] = set()
        for a in alternatives:
            w = word_chars(a)
            if len(w) >= 3:
                out |= {r[0] for r in conn.execute("SELECT rowid FROM idx WHERE idx MATCH ?", (_quote(w),))}
            elif self.fallback and w:
                out |= {r[0] for r in conn.execute("SELECT id FROM txt WHERE instr(t, ?) > 0", (w,))}
        return out


class TrigramOnly(Trigram):
    name = "trigram only"
    fallback = False


class Sudachi(Approach):
    name = "sudachi (mode A)"

    def __init__(self):
        from sudachipy import dictionary, tokenizer

        self.mode = tokenizer.Tokenizer.SplitMode.A
        try:
            self.tok = dictionary.Dictionary(dict="core").tokenizer(self.mode)
        except Exception:  # sudachidict_core not installed: the small dictionary koryu ships with
            self.tok = dictionary.Dictionary(dict="small").tokenizer(self.mode)

    def words(self, text: str) -> list[str]:
        return [fold(m.normalized_form()) for m in self.tok.tokenize(fold(text)[:4000]) if word_chars(m.surface())]

    def build(self, conn, rows):
        conn.execute("CREATE VIRTUAL TABLE idx USING fts5(t, tokenize='unicode61 remove_diacritics 0')")
        conn.executemany(
            "INSERT INTO idx(rowid, t) VALUES (?, ?)",
            [(i, " ".join(re.sub(r"\W", "", w) or "_" for w in self.words(t))) for i, t in rows],
        )

    def match(self, conn, alternatives, raw):
        out: set[int] = set()
        for a in alternatives:
            words = [re.sub(r"\W", "", w) for w in self.words(a)]
            words = [w for w in words if w]
            if words:
                out |= {r[0] for r in conn.execute("SELECT rowid FROM idx WHERE idx MATCH ?", (_quote(" ".join(words)),))}
        return out


class Unicode61Raw(Approach):
    name = "unicode61 (raw text)"

    def build(self, conn, rows):
        conn.execute("CREATE VIRTUAL TABLE idx USING fts5(t)")
        conn.executemany("INSERT INTO idx(rowid, t) VALUES (?, ?)", rows)

    def match(self, conn, alternatives, raw):
        try:
            return {r[0] for r in conn.execute("SELECT rowid FROM idx WHERE idx MATCH ?", (_quote(raw),))}
        except sqlite3.OperationalError:
            return set()


class LikeRaw(Approach):
    name = "LIKE substring (raw text)"

    def build(self, conn, rows):
        conn.execute("CREATE TABLE txt(id INTEGER PRIMARY KEY, t TEXT)")
        conn.executemany("INSERT INTO txt VALUES (?, ?)", rows)

    def match(self, conn, alternatives, raw):
        return {r[0] for r in conn.execute("SELECT id FROM txt WHERE instr(t, ?) > 0", (raw,))}


def approaches() -> list[Approach]:
    out: list[Approach] = [Bigram(), Trigram(), TrigramOnly()]
    try:
        out.append(Sudachi())
    except ImportError:
        print("(sudachipy not installed: pip install sudachipy sudachidict_core to include it)", file=sys.stderr)
    return out + [Unicode61Raw(), LikeRaw()]


def record_texts(db: store.Store) -> list[tuple[int, str]]:
    return [
        (rowid, f"{d}\n{dep}\n{m} {p}")
        for rowid, d, dep, m, p in db.conn.execute(
            "SELECT rowid, description, department, municipality, printed_name FROM records"
        )
    ]


def filter_ids(db: store.Store, q: Query) -> set[int]:
    """The rowids every part but the words allows (places, departments, dates: the same for every approach)."""
    st = ids_statement(q.replace(terms=(), excluded_terms=()))
    return {r[0] for r in db.conn.execute(st.sql, st.bind())}


def evaluate(db: store.Store, approach: Approach, conn: sqlite3.Connection, gold: list[dict], today: dt.date):
    lexicon = db.lexicon(today)
    keys = {
        rowid: f"{c}|{''.join(d.split())}|{''.join(p.split())}"
        for rowid, c, d, p in db.conn.execute("SELECT rowid, municipality_code, description, period_text FROM records")
    }
    recalls, precisions, times = [], [], []
    for g in gold:
        q = parse(g["query"], lexicon)
        started = time.perf_counter()
        ids = filter_ids(db, q)
        for term in q.terms:
            ids &= approach.match(conn, list(term.alternatives), term.text)
        times.append((time.perf_counter() - started) * 1000)
        got = [keys[i].replace("〜", "～").replace("~", "～") for i in ids]
        must = {
            "|".join([k.split("|")[0], "".join(k.split("|")[1].split()), "".join("|".join(k.split("|")[2:]).split())])
            .replace("〜", "～")
            .replace("~", "～")
            for k in g["must"]
        }
        allowed = {
            "|".join([k.split("|")[0], "".join(k.split("|")[1].split()), "".join("|".join(k.split("|")[2:]).split())])
            .replace("〜", "～")
            .replace("~", "～")
            for k in g["allowed"]
        }
        recalls.append(len(must & set(got)) / len(must) if must else 1.0)
        precisions.append(sum(k in allowed for k in got) / len(got) if got else 1.0)
    return statistics.mean(recalls), statistics.mean(precisions), statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--records", type=int, default=50000, help="synthetic records for size and speed")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="koryu-tok-"))
    real = store.open(tmp / "real.db")
    ingest.ingest_file(real, sample_pdf())
    gold_dev = json.loads((FIXTURES / "queries_dev.json").read_text(encoding="utf-8"))["queries"]
    gold_own = json.loads((FIXTURES / "queries_own.json").read_text(encoding="utf-8"))["queries"]
    synth = build_store(tmp / "synth.db", args.records)
    synth_rows = record_texts(synth)
    queries = [g["query"] for g in gold_dev + gold_own]
    results = []
    for a in approaches():
        conn = sqlite3.connect(":memory:")
        a.build(conn, record_texts(real))
        r_dev = evaluate(real, a, conn, gold_dev, dt.date(2026, 11, 30))
        r_own = evaluate(real, a, conn, gold_own, dt.date(2024, 12, 1))
        # size and speed at scale
        path = tmp / (re.sub(r"\W+", "_", a.name) + ".db")
        big = sqlite3.connect(path)
        started = time.perf_counter()
        a.build(big, synth_rows)
        big.commit()
        build_s = time.perf_counter() - started
        big.execute("VACUUM")
        size = os.path.getsize(path)
        fake = [{"query": q, "must": [], "allowed": []} for q in queries]
        _, _, p50 = evaluate(synth, a, big, fake, dt.date(2024, 12, 1))
        results.append(
            {
                "approach": a.name,
                "dev_recall": r_dev[0],
                "dev_precision": r_dev[1],
                "own_recall": r_own[0],
                "own_precision": r_own[1],
                "index_mb": size / 1e6,
                "build_s": build_s,
                "query_p50_ms": p50,
            }
        )
        big.close()
    if args.json:
        print(json.dumps({"records": args.records, "results": results}, ensure_ascii=False, indent=1))
        return
    print(
        f"gold: {len(gold_dev)} dev + {len(gold_own)} own queries over 123 records; size/speed on {args.records:,} synthetic records"
    )
    print(f"{'approach':28} {'dev R':>6} {'dev P':>6} {'own R':>6} {'own P':>6} {'index MB':>9} {'build s':>8} {'p50 ms':>7}")
    for r in results:
        print(
            f"{r['approach']:28} {r['dev_recall']:6.3f} {r['dev_precision']:6.3f} {r['own_recall']:6.3f} {r['own_precision']:6.3f} "
            f"{r['index_mb']:9.1f} {r['build_s']:8.1f} {r['query_p50_ms']:7.1f}"
        )


if __name__ == "__main__":
    main()
