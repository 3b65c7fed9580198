"""Near words: which semantic resource reads a word no record holds best. The same parser, search and gold
questions; only `Meanings.near` differs.

    python benchmarks/compare_near_words.py [--json]

Resources compared, each limited to the records' own words:
- chiVe word vectors from GiNZA's ja-ginza model (store/query/data/near_words.bin; the chosen one);
- JMdict glosses: record words whose English glosses share the most gloss words with the asked word's;
- none: the word is left out (what koryu did before).

Scored on the questions of kind "near" in tests/fixtures/queries_sentences_fifth.json (written by someone who saw
neither the code nor the records' wording for them) and, so that a resource is not bought with regressions, on
the whole own sentence gold set. Start is the time to build the records' vocabulary with the resource and answer
one near word; RSS is this process's peak after all questions (resource.getrusage).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import ingest  # noqa: E402
import store  # noqa: E402
from bot.stores import sample_pdf  # noqa: E402
from store.query import meanings as meanings_module  # noqa: E402
from store.query.meanings import Meanings, default_dictionary, english_tokens  # noqa: E402
from store.query.tokenizer import default_tokenizer  # noqa: E402
from tests.gold import FIXTURES, record_index, score  # noqa: E402


def by_glosses(self: Meanings, word: str) -> tuple[tuple[str, float], ...]:
    """Record words sharing the most gloss words with `word` (at least one not common), best first."""
    own = frozenset(t for _, g in default_dictionary().glosses(word) for t in english_tokens(g)) - self.common
    scores: dict[str, int] = defaultdict(int)
    for t in own:
        for w in self.by_token.get(t, ()):
            scores[w] += 1
    if not scores:
        return ()
    best = max(scores.values())
    return tuple((w, 1.0) for w, s in sorted(scores.items()) if s == best and w != word)[:4]


STRATEGIES = {
    "chiVe vectors (ja-ginza), chosen": Meanings.near,
    "JMdict glosses": by_glosses,
    "none (word left out)": lambda self, word: (),
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    truth = json.loads((FIXTURES / "r6_expected.json").read_text(encoding="utf-8"))["records"]
    index_of = record_index(truth)
    fifth = json.loads((FIXTURES / "queries_sentences_fifth.json").read_text(encoding="utf-8"))
    near_only = {**fifth, "queries": [q for q in fifth["queries"] if q["kind"] == "near"]}
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "k.db"
        with store.open(db_path) as s:
            ingest.ingest_file(s, sample_pdf())
        near_path = Path(tmp) / "near.json"
        near_path.write_text(json.dumps(near_only, ensure_ascii=False), encoding="utf-8")
        for name, near in STRATEGIES.items():
            meanings_module.Meanings.near = near  # type: ignore[method-assign]
            with store.open(db_path) as db:
                lexicon = db.lexicon()
                lexicon._meanings = None
                started = time.perf_counter()
                built = Meanings.build(lexicon.descriptions, default_tokenizer())
                lexicon._meanings = built
                built.near("スイーツ")
                start_ms = (time.perf_counter() - started) * 1000
                f_near = score(db, index_of, near_path)
                f_own = score(db, index_of, FIXTURES / "queries_sentences_own.json")
            out[name] = {
                "near_recall": round(f_near.recall, 3),
                "near_precision": round(f_near.precision, 3),
                "own_recall": round(f_own.recall, 3),
                "own_precision": round(f_own.precision, 3),
                "start_ms": round(start_ms),
            }
    out["peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    if args.json:
        print(json.dumps(out, ensure_ascii=False))
        return
    print(f"{'resource':36} near R / P      own R / P      start ms")
    for name, r in out.items():
        if isinstance(r, dict):
            print(
                f"{name:36} {r['near_recall']:.3f} / {r['near_precision']:.3f}  "
                f"{r['own_recall']:.3f} / {r['own_precision']:.3f}  {r['start_ms']:6}"
            )
    print(f"peak RSS of this process: {out['peak_rss_mib']} MiB")


if __name__ == "__main__":
    main()
