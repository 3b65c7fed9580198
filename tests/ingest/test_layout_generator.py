"""The reader against random report layouts it was not tuned to (tests/fixtures/layout_generator.py, measured
by scripts/layout_attack.py): a fixed sample of seeds, drawn with the fonts reportlab carries (no font files),
must hold no silently wrong reading and no crash, and read most cases exactly. The full measurement over fresh
seeds is in the README (`python scripts/layout_attack.py --seeds …`)."""

from __future__ import annotations

import collections
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
for extra in (ROOT / "scripts", ROOT / "tests" / "fixtures"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

SEEDS = range(1, 61)
EXACT_FLOOR = 0.80  # measured 0.917 on these seeds with these fonts; a floor, not the aim (0.90)


@pytest.mark.slow
def test_generated_layouts_are_read_exactly_or_refused_never_wrong(tmp_path):
    from layout_attack import run_case

    results = [run_case((seed, str(tmp_path), True, 120)) for seed in SEEDS]
    classes = collections.Counter(r["class"] for r in results)
    bad = [
        (r["seed"], r["class"], r.get("detail", "")[:120])
        for r in results
        if r["class"] in ("silently-wrong", "crash", "generator-error")
    ]
    assert not bad, bad
    good = classes["exact"] + classes["refused-as-expected"]
    assert good / len(results) >= EXACT_FLOOR, classes


def test_the_generator_draws_the_same_case_for_a_seed(tmp_path):
    from layout_generator import generate

    first = generate(7, tmp_path / "a", builtin_fonts_only=True)
    second = generate(7, tmp_path / "b", builtin_fonts_only=True)
    assert first.path.read_bytes() == second.path.read_bytes()
    assert first.truth_path.read_text(encoding="utf-8") == second.truth_path.read_text(encoding="utf-8")


# Seeds of fresh batches whose first reading showed a kind since fixed (drawn here with the fonts reportlab
# carries, so the geometry is not the batch's own): a centred period wider than its cell (900049, 1000206),
# the rest of a split row under a shaded header (900066), a label cut by a page break (900090), rules drawn cell
# by cell around a merged 所管課 (900103), spacer rows (1038), light grey zebra with total lines (1089), a
# note under a workbook's table (300004), a group title wider than its columns (300027), a second list's title
# inside one grid (1000006); a ー or 、 hanging past its cell over the next cell's first glyph (1600202,
# 1600076, 1600116); a 。 hanging past a rule drawn cell by cell (1600069); 茨城県 running from the 県 column
# into 石岡市's (1600197); a label's line standing between two white stripes, placed by its cell's fill
# (1600238); a label clipped to its cell drawn under the header (1600294); a range cut by a page break whose end
# is dated (R6.4.1～ / R7.3.31, 1800222) or a period cell's next dated line alone on the next page (2000157); a
# label and its department cut by the break (岐阜県坂祝 / 町, アカデミー推 / 進課, 2000080); a page whose white
# leaves a column boundary to guess, read at the previous page's under the same titles (2000039) or where a
# centred title's column ends (2000194); 小計 | 5件 with the department's column first (2000169); ※ in a 備考
# cell, not a note under the table (2000220, 2000228); a title written one per line over many lines (2000246); a
# one-row block's label centred on its row at a page's foot (2000269). Each is read exactly.
FIXED_KINDS = (
    900049,
    900066,
    900090,
    900103,
    1000206,
    1038,
    1089,
    300004,
    300027,
    1000006,
    200067,
    300217,
    400148,
    1000054,
    1226,
    400175,
    1600202,
    1600069,
    1600197,
    1600238,
    1600294,
    1600076,
    1600116,
    1900116,
    1800222,
    2000157,
    2000080,
    2000039,
    2000194,
    2000169,
    2000220,
    2000228,
    2000246,
    2000269,
)

# Seeds whose reading must be refused, with the reason (English part of the message): a row left under the
# table whose No. and date stand centred between its description's lines, stored as nothing before
# (1200062); the rest of a row cut by a page break read into the next row's department cell (1500273); a
# label cut in half by a page break, both halves shown in part (1100157); a period centred over the previous
# page's column boundary, R|8.2.8 (1800092); an empty city cell at a page's foot beside a prefecture's label
# (1900136); a place name alone under a table without a label column (1900286) — each stored wrong before.
REFUSED_KINDS = {
    1200062: "outside the table, standing like a row",
    1500273: "one cell holds two texts with white between them",
    1100157: "glyphs their clipping path shows only in part",
    1800092: "cuts through glyphs",
    1900136: "a city cell empty at the page's foot: undecided",
    1900286: "outside the table, standing like a row",
}


@pytest.mark.slow
def test_layouts_of_fixed_kinds_are_read_exactly(tmp_path):
    from layout_attack import run_case

    results = [run_case((seed, str(tmp_path), True, 120)) for seed in FIXED_KINDS]
    assert [(r["seed"], r["class"]) for r in results] == [(seed, "exact") for seed in FIXED_KINDS], [
        (r["seed"], r.get("detail", "")[:160]) for r in results if r["class"] != "exact"
    ]


@pytest.mark.slow
def test_layouts_of_refused_kinds_are_refused_with_their_reason(tmp_path):
    from layout_attack import run_case

    results = {seed: run_case((seed, str(tmp_path), True, 120)) for seed in REFUSED_KINDS}
    for seed, reason in REFUSED_KINDS.items():
        assert results[seed]["class"] in ("refused", "refused-as-expected"), (seed, results[seed]["class"])
        assert reason in results[seed]["detail"], (seed, results[seed]["detail"][:300])
