"""Should koryu read dates in questions with ja-timex instead of its own grammar? Measured, not guessed.

    pip install ja-timex        # measurement only
    python benchmarks/compare_date_parsers.py [--json]

Each phrase has the days a colleague would search (today 2025-01-15, the stored fiscal year 2024). A parser
is right on a phrase when the days it resolves, unaided, are exactly those: ja-timex's DATE values with
every part known (2024-11-15 → that day, 2024-11-XX → that month; XXXX-… has no year and is wrong), its
DURATION/SET values (P1M BEFORE for 先月) are not days and are wrong. koryu's answer is the union of the
ranges `store.query.parse` reads. Also reported: import + set-up time and ms per phrase.
"""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TODAY = dt.date(2025, 1, 15)
PHRASES = [
    ("R6.11", "2024-11-01", "2024-11-30"),
    ("令和6年11月", "2024-11-01", "2024-11-30"),
    ("2024年11月15日", "2024-11-15", "2024-11-15"),
    ("11月15日", "2024-11-15", "2024-11-15"),
    ("11/15", "2024-11-15", "2024-11-15"),
    ("11月16日ー18日", "2024-11-16", "2024-11-18"),
    ("R6.10.12～1.13", "2024-10-12", "2025-01-13"),
    ("3月上旬", "2025-03-01", "2025-03-10"),
    ("11月", "2024-11-01", "2024-11-30"),
    ("先月", "2024-12-01", "2024-12-31"),
    ("今月", "2025-01-01", "2025-01-31"),
    ("来週", "2025-01-20", "2025-01-26"),
    ("去年", "2024-01-01", "2024-12-31"),
    ("昨年度", "2023-04-01", "2024-03-31"),
    ("今年度", "2024-04-01", "2025-03-31"),
    ("夏", "2024-06-01", "2024-08-31"),
    ("夏休み", "2024-07-21", "2024-08-31"),
    ("年末年始", "2024-12-29", "2025-01-03"),
    ("第3四半期", "2024-10-01", "2024-12-31"),
    ("上半期", "2024-04-01", "2024-09-30"),
    ("ゴールデンウィーク", "2024-04-29", "2024-05-05"),
    ("年度末", "2025-03-01", "2025-03-31"),
]


def timex_days(parser, text: str) -> tuple[str, str] | None:
    found = []
    for t in parser.parse(text):
        if t.type != "DATE" or t.value.startswith("X"):
            return None
        y, m, d = t.value.split("-")
        if "X" in m:
            return None
        if "X" in d:
            found += [f"{y}-{m}-01", f"{y}-{m}-{calendar.monthrange(int(y), int(m))[1]:02d}"]
        else:
            found.append(t.value)
    return (min(found), max(found)) if found else None


def koryu_days(lexicon, text: str) -> tuple[str, str] | None:
    from store.query import parse

    q = parse(text, lexicon)
    if q.dates:
        return min(d.start for d in q.dates).isoformat(), max(d.end for d in q.dates).isoformat()
    if q.fiscal_year is not None:
        return f"{q.fiscal_year}-04-01", f"{q.fiscal_year + 1}-03-31"
    return None


def measure(name: str, setup, days) -> dict:
    t = time.perf_counter()
    state = setup()
    setup_ms = (time.perf_counter() - t) * 1000
    right, times, wrong = 0, [], []
    for text, a, b in PHRASES:
        t = time.perf_counter()
        got = days(state, text)
        times.append((time.perf_counter() - t) * 1000)
        if got == (a, b):
            right += 1
        else:
            wrong.append(text)
    return {
        "parser": name,
        "right": right,
        "of": len(PHRASES),
        "setup_ms": round(setup_ms),
        "ms_per_phrase": round(statistics.median(times), 2),
        "wrong": wrong,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    from store.query import Lexicon

    rows = [
        measure(
            "koryu (store/query/dates.py)",
            lambda: Lexicon.build([], [], [2024], TODAY, (dt.date(2024, 4, 1), dt.date(2025, 3, 31))),
            koryu_days,
        )
    ]
    try:

        def setup():
            from ja_timex import TimexParser

            return TimexParser(reference=dt.datetime(TODAY.year, TODAY.month, TODAY.day))

        rows.append(measure("ja-timex", setup, timex_days))
    except ImportError:
        print("(ja-timex not installed: pip install ja-timex)")
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
        return
    for r in rows:
        print(f"{r['parser']:30} {r['right']:2}/{r['of']} right   set-up {r['setup_ms']} ms   {r['ms_per_phrase']} ms/phrase")
        if r["wrong"]:
            print(f"{'':30} wrong: {'、'.join(r['wrong'])}")


if __name__ == "__main__":
    main()
