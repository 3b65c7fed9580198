#!/usr/bin/env python
"""Measure the report reader against random layouts: generate cases, read each with ``ingest.report.read_any``, classify.

    python scripts/layout_attack.py --seeds 1000-1299 [--jobs 2] [--out DIR] [--builtin-fonts] [--fail-on-wrong]

Each seed is drawn by tests/fixtures/layout_generator.py (file + truth), then read with the project's public entry
point only.  Classes:

* ``exact``               records expected, nothing raised, the multiset of records equals the truth on
                          (series, fiscal_year, municipality_code, municipality, description, department, period_text,
                          intervals, approximate) -- texts compared without whitespace, ～/〜/~ folded;
* ``refused``             an IngestError where records were expected;
* ``refused-as-expected`` the truth says refuse and an IngestError was raised;
* ``silently-wrong``      records stored that differ from the truth (or stored where refusal was expected);
* ``crash``               any other exception (or a time-out);
* ``generator-error``     the generator itself failed (a bug of the instrument, not of the reader).

Prints counts per class, then per grammar dimension value the number of cases not ``exact`` / ``refused-as-expected``,
then one line per such case (and per refused-as-expected case).  Writes ``results.jsonl`` into --out.  Exit code 0
(a measurement) unless --fail-on-wrong is given and some case is silently wrong.
"""

from __future__ import annotations

import argparse
import collections
import json
import multiprocessing
import re
import signal
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for extra in (ROOT, ROOT / "tests" / "fixtures"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

CLASSES = ["exact", "refused", "refused-as-expected", "silently-wrong", "crash", "generator-error"]
GOOD = {"exact", "refused-as-expected"}
FIELDS = [
    "series",
    "fiscal_year",
    "municipality_code",
    "municipality",
    "description",
    "department",
    "period_text",
    "intervals",
    "approximate",
]
_WS = re.compile(r"\s+")
_TILDE = re.compile("[～〜~]")


def parse_seeds(spec: str) -> list[int]:
    """'1000-1299' or '1,5,9-12' -> list of seeds."""
    seeds: list[int] = []
    for part in spec.split(","):
        part = part.strip()
        if not part:
            continue
        if "-" in part:
            a, b = part.split("-", 1)
            seeds += list(range(int(a), int(b) + 1))
        else:
            seeds.append(int(part))
    return seeds


def norm_text(value: object) -> str:
    """Text compared without any whitespace and with the wave dashes folded."""
    return _TILDE.sub("～", _WS.sub("", "" if value is None else str(value)))


def norm_intervals(value: object) -> tuple:
    out = []
    for pair in value or []:
        out.append(tuple(None if x is None else str(x)[:10] for x in pair))
    return tuple(out)


def record_key(series: str, fiscal_year: object, d: dict) -> tuple:
    """The compared fields of one record."""
    return (
        series,
        None if fiscal_year is None else int(fiscal_year),
        str(d.get("municipality_code") or ""),
        d.get("municipality") or "",
        norm_text(d.get("description")),
        norm_text(d.get("department")),
        norm_text(d.get("period_text")),
        norm_intervals(d.get("intervals")),
        bool(d.get("approximate")),
    )


def _short(text: str, n: int = 28) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def first_difference(truth: list[tuple], got: list[tuple]) -> str:
    """A one-line account of how the stored records differ from the truth."""
    missing = collections.Counter(truth) - collections.Counter(got)
    extra = collections.Counter(got) - collections.Counter(truth)
    n_missing, n_extra = sum(missing.values()), sum(extra.values())
    head = f"missing {n_missing} / extra {n_extra}"
    if not missing and not extra:
        return head
    if not missing:
        e = next(k for k in got if k in extra)
        return f'{head}: + {e[3] or e[2] or "(no municipality)"} "{_short(e[4])}" ({e[6]})'
    m = next(k for k in truth if k in missing)
    if not extra:
        return f'{head}: {m[3]} "{_short(m[4])}" ({m[6]})'
    best = max(extra, key=lambda e: sum(a == b for a, b in zip(m, e)))
    parts = []
    for i, name in enumerate(FIELDS):
        if m[i] == best[i] or (name == "municipality_code" and m[3] != best[3]):
            continue
        if name == "municipality":
            parts.append(f"{m[i] or '∅'} ≠ {best[i] or '∅'}")
        elif name in ("description", "department", "period_text"):
            parts.append(f"{name[:6]} «{_short(m[i], 24)}» ≠ «{_short(best[i], 24)}»")
        else:
            parts.append(f"{name} {m[i]} ≠ {best[i]}")
    return f"{head}: " + "; ".join(parts) + f' "{_short(m[4])}"'


def _truth_keys(truth: dict, series_of) -> list[tuple]:
    keys = []
    for lst in truth["lists"]:
        series = series_of(lst["title"])
        for rec in lst["records"]:
            keys.append(record_key(series, lst["fiscal_year"], rec))
    return keys


def _got_keys(reports) -> list[tuple]:
    keys = []
    for rep in reports:
        for rec in rep.records:
            d = rec.to_dict()
            keys.append(record_key(d.get("series") or rep.series, rep.fiscal_year, d))
    return keys


class _Timeout(Exception):
    pass


def _alarm(_signum, _frame):
    raise _Timeout()


def run_case(job: tuple[int, str, bool, int]) -> dict:
    """Generate one case, read it, classify it."""
    seed, out, builtin, timeout = job
    from layout_generator import generate

    from ingest.report import IngestError, read_any, series_of

    result: dict = {"seed": seed}
    t0 = time.perf_counter()
    try:
        case = generate(seed, Path(out) / "cases", builtin_fonts_only=builtin)
    except Exception:
        result.update({"class": "generator-error", "detail": traceback.format_exc().strip().splitlines()[-1], "grammar": {}})
        return result
    t1 = time.perf_counter()
    truth = json.loads(case.truth_path.read_text(encoding="utf-8"))
    result.update(
        {"file": str(case.path), "kind": case.kind, "expect": case.expect, "grammar": case.grammar, "t_gen": round(t1 - t0, 3)}
    )
    truth_keys = _truth_keys(truth, series_of)
    result["n_truth"] = len(truth_keys)
    signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(timeout)
    try:
        reports = read_any(case.path)
        got = _got_keys(reports)
        error = None
    except IngestError as exc:
        error = ("refused", str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
    except _Timeout:
        error = ("crash", f"timeout after {timeout} s")
    except Exception:
        error = ("crash", traceback.format_exc().strip().splitlines()[-1])
    finally:
        signal.alarm(0)
    result["t_read"] = round(time.perf_counter() - t1, 3)
    if error:
        cls, detail = error
        if cls == "refused" and case.expect == "refuse":
            cls = "refused-as-expected"
        result.update({"class": cls, "detail": detail, "n_got": None})
        if case.expect == "refuse":
            result["why_refuse"] = case.why_refuse
        return result
    result["n_got"] = len(got)
    if case.expect == "refuse":
        result.update(
            {"class": "silently-wrong", "detail": f"stored {len(got)} records where refusal was expected ({case.why_refuse})"}
        )
    elif collections.Counter(got) == collections.Counter(truth_keys):
        result.update({"class": "exact", "detail": ""})
    else:
        result.update({"class": "silently-wrong", "detail": first_difference(truth_keys, got)})
    return result


def summarise_grammar(g: dict) -> str:
    """A short line naming the main dimensions of a case."""
    if not g:
        return "?"
    label = g.get("label", "?")
    for key in ("label_fill", "label_break", "pref_partner", "heading_marker"):
        if key in g:
            label += "/" + str(g[key])
    parts = [f"{g.get('kind')}:{g.get('producer')}", label, f"hdr{g.get('header_rows')}-{g.get('header_repeat')}"]
    if g.get("kind") != "csv":
        parts.append(str(g.get("rules")))
    if g.get("kind") == "pdf":
        rot = f"/R{g['rotate']}" if g.get("rotate") else ""
        parts += [f"{g.get('paper')}-{g.get('orientation')}{rot}", str(g.get("font")), f"p{g.get('pages')}-{g.get('breaks')}"]
    if g.get("extras") != "none":
        parts.append(f"x:{g.get('extras')}")
    if g.get("lists") == 2:
        parts.append(f"2lists:{g.get('second_list')}")
    if g.get("fiscal_year") != 2024:
        parts.append(f"fy{g.get('fiscal_year')}")
    if g.get("encoding"):
        parts.append(str(g["encoding"]))
    return " ".join(parts)


def print_summary(results: list[dict], seeds_spec: str, wall: float) -> None:
    n = len(results)
    counts = collections.Counter(r["class"] for r in results)
    gen = [r["t_gen"] for r in results if "t_gen" in r]
    read = [r["t_read"] for r in results if "t_read" in r]
    print(
        f"layout attack: seeds {seeds_spec} ({n} cases), wall {wall:.1f} s; "
        f"mean generate {sum(gen) / max(len(gen), 1):.2f} s/case, mean read {sum(read) / max(len(read), 1):.2f} s/case"
    )
    kinds = collections.Counter(r.get("kind") for r in results)
    refuse = sum(1 for r in results if r.get("expect") == "refuse")
    print(
        "kinds: "
        + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items(), key=lambda kv: str(kv[0])))
        + f"; expect refuse: {refuse}"
    )
    print()
    print(f"{'class':22s} {'n':>5s} {'%':>6s}")
    for cls in CLASSES:
        if counts.get(cls) or cls in ("exact", "refused", "silently-wrong", "crash"):
            print(f"{cls:22s} {counts.get(cls, 0):5d} {100 * counts.get(cls, 0) / max(n, 1):6.1f}")
    print()
    print("not exact / refused-as-expected, per grammar dimension value (bad/total  classes):")
    table: dict[tuple[str, str], list] = collections.defaultdict(lambda: [0, 0, collections.Counter()])
    for r in results:
        for dim, value in (r.get("grammar") or {}).items():
            if dim == "records":
                value = "8-20" if value <= 20 else "21-40" if value <= 40 else "41+"
            cell = table[(dim, str(value))]
            cell[1] += 1
            if r["class"] not in GOOD:
                cell[0] += 1
                cell[2][r["class"]] += 1
    rows = [(dim, value, bad, tot, cls) for (dim, value), (bad, tot, cls) in table.items() if bad]
    rows.sort(key=lambda x: (x[0], -x[2] / x[3], x[1]))
    for dim, value, bad, tot, cls in rows:
        detail = ", ".join(f"{k} {v}" for k, v in cls.most_common())
        print(f"  {dim + '=' + value:42s} {bad:3d}/{tot:<4d} {100 * bad / tot:5.1f}%  {detail}")
    print()
    print("cases (not exact):")
    for r in results:
        if r["class"] == "exact":
            continue
        print(f"  {r['seed']:6d}  {summarise_grammar(r.get('grammar') or {})}  {r['class']}: {r.get('detail', '')}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="generate random report layouts and classify how read_any does on them")
    ap.add_argument("--seeds", required=True, help="e.g. 1000-1299 or 1,5,9-12")
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--out", type=Path, default=Path("/tmp/layout_attack"))
    ap.add_argument("--builtin-fonts", action="store_true", help="Heisei CID fonts only, never LibreOffice")
    ap.add_argument("--timeout", type=int, default=300, help="seconds allowed to read one file")
    ap.add_argument("--fail-on-wrong", action="store_true", help="exit 1 when any case is silently wrong")
    args = ap.parse_args(argv)
    seeds = parse_seeds(args.seeds)
    args.out.mkdir(parents=True, exist_ok=True)
    jobs = [(seed, str(args.out), args.builtin_fonts, args.timeout) for seed in seeds]
    t0 = time.perf_counter()
    results = []
    with open(args.out / "results.jsonl", "w", encoding="utf-8") as fh:
        if args.jobs > 1:
            with multiprocessing.Pool(args.jobs, maxtasksperchild=50) as pool:
                for res in pool.imap(run_case, jobs):
                    results.append(res)
                    fh.write(json.dumps(res, ensure_ascii=False, default=str) + "\n")
        else:
            for job in jobs:
                res = run_case(job)
                results.append(res)
                fh.write(json.dumps(res, ensure_ascii=False, default=str) + "\n")
    print_summary(results, args.seeds, time.perf_counter() - t0)
    print(f"\nresults: {args.out / 'results.jsonl'}; files: {args.out / 'cases'}")
    if args.fail_on_wrong and any(r["class"] == "silently-wrong" for r in results):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
