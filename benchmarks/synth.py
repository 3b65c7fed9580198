"""Synthetic records derived from the real FY2024 ones, for benchmarks at any size.

Records vary the municipality (any of the national list), the description (real descriptions with their
clauses recombined and partners' names swapped in), the department and the dates (shifted across ten fiscal
years), so the full-text index holds a realistic spread of bigrams rather than 100,000 copies of 123 rows.
Deterministic for a given seed.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

from ingest.periods import parse_period
from store.gazetteer import all_municipalities
from store.records import Record, assign_ids

HERE = Path(__file__).resolve().parent
TRUTH = HERE.parent / "tests" / "fixtures" / "r6_expected.json"


def synthetic_records(n: int, seed: int = 7) -> list[Record]:
    """n records (list of store.records.Record with ids), fiscal years 2016–2025."""
    rng = random.Random(seed)
    real = json.loads(TRUTH.read_text(encoding="utf-8"))["records"]
    places = [m for m in all_municipalities() if m.kind != "ward"]
    clauses = [c for r in real for c in re.split(r"(?<=[、。])", r["description"]) if len(c) > 3]
    departments = sorted({r["department"] for r in real})
    out: list[Record] = []
    periods: dict[tuple[str, int], object] = {}
    for i in range(n):
        base = real[i % len(real)]
        m = places[rng.randrange(len(places))]
        desc = base["description"]
        if rng.random() < 0.6:
            desc = "".join(rng.sample(clauses, rng.randint(1, 3)))
        desc = desc.replace("金沢市", m.local_name).replace("津和野町", m.local_name)
        fy = rng.randint(2016, 2025)
        shift = fy - 2024
        era = "R" if fy >= 2019 else "H"

        def era_year(y: int) -> str:
            return str(y - 2018) if y >= 2019 else str(y - 1988)

        text = re.sub(
            r"R(\d)\.", lambda mm, era=era, shift=shift: f"{era}{era_year(int(mm.group(1)) + 2018 + shift)}.", base["period_text"]
        )
        if era == "H":
            text = text.replace("R", "H")
        period = periods.get((text, fy)) or periods.setdefault((text, fy), parse_period(text, fy))
        out.append(
            Record(
                fiscal_year=fy,
                municipality=m.full_name,
                municipality_code=m.code,
                printed_name=m.full_name,
                description=desc,
                department=rng.choice(departments),
                period_text=text,
                intervals=period.iso_intervals(),
                approximate=period.approximate,
                source={"file": f"synthetic-{fy}.pdf", "page": 1 + i % 40},
            )
        )
    assign_ids(out)
    return out


def build_store(path: str | Path, n: int, seed: int = 7):
    """A store at `path` holding n synthetic records, one report per fiscal year."""
    import store
    from ingest import municipality_rows

    records = synthetic_records(n, seed)
    db = store.open(path)
    db.conn.execute("PRAGMA synchronous = OFF")  # a benchmark fixture, rebuilt at will
    by_year: dict[int, list[Record]] = {}
    for r in records:
        by_year.setdefault(r.fiscal_year, []).append(r)
    for fy, recs in sorted(by_year.items()):
        db.replace_report(
            {"fiscal_year": fy, "title": f"synthetic {fy}", "source_file": f"synthetic-{fy}.pdf"}, recs, municipality_rows(recs)
        )
    return db
