"""The same records rendered in many layouts read back exactly (tests/fixtures/layouts, built by
tests/fixtures/make_fixtures.py; each fixture's layout is in its .expected.json)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest.report import read_pdf

LAYOUTS = Path(__file__).parent / "fixtures" / "layouts"
FIXTURES = sorted(p.name[: -len(".expected.json")] for p in LAYOUTS.glob("*.expected.json"))


def ws(s):
    return "".join(str(s or "").replace("〜", "～").replace("~", "～").split())


@pytest.mark.parametrize("name", FIXTURES)
def test_layout_reads_exactly(name):
    expected = json.loads((LAYOUTS / f"{name}.expected.json").read_text(encoding="utf-8"))
    report = read_pdf(LAYOUTS / f"{name}.pdf")
    got = [r.to_dict() for r in report.records]
    want = expected["records"]
    assert report.fiscal_year == expected["fiscal_year"]
    problems = []
    for i, (g, w) in enumerate(zip(got, want)):
        for f in ("municipality_code", "municipality", "printed_name"):
            if g[f] != w[f]:
                problems.append((i, f, g[f], w[f], w["description"][:20]))
        for f in ("description", "department", "period_text"):
            if ws(g[f]) != ws(w[f]):
                problems.append((i, f, g[f], w[f]))
        if g["intervals"] != w["intervals"] or g["approximate"] != w["approximate"]:
            problems.append((i, "intervals", g["intervals"], w["intervals"]))
    assert not problems, problems[:8]
    assert len(got) == len(want)


def test_fiscal_year_from_dates_when_the_title_has_none():
    report = read_pdf(LAYOUTS / "no-year-in-title-hairline-borders.pdf")
    assert report.title == "交流実績一覧（協定等締結自治体）" and report.fiscal_year == 2024
    assert any("fiscal year 2024 taken from the dates" in w for w in report.warnings)


def test_progress_is_reported_per_page():
    seen = []
    read_pdf(LAYOUTS / "label-every-page-cid-font-wrapped-periods.pdf", progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]
