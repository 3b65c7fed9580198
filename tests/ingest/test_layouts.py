"""The same records rendered in many layouts read back exactly (tests/fixtures/layouts, built by
tests/fixtures/make_fixtures.py; each fixture's layout is in its .expected.json)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest.report import read_pdf, read_pdf_reports

LAYOUTS = Path(__file__).parents[1] / "fixtures" / "layouts"
FIXTURES = sorted(p.name[: -len(".expected.json")] for p in LAYOUTS.glob("*.expected.json"))


def ws(s):
    return "".join(str(s or "").replace("〜", "～").replace("~", "～").split())


@pytest.mark.slow
@pytest.mark.parametrize("name", FIXTURES)
def test_layout_reads_exactly(name):
    expected = json.loads((LAYOUTS / f"{name}.expected.json").read_text(encoding="utf-8"))
    reports = read_pdf_reports(LAYOUTS / f"{name}.pdf")
    got = [r.to_dict() for report in reports for r in report.records]
    want = expected["records"]
    assert {report.fiscal_year for report in reports} == {expected["fiscal_year"]}
    if any("series" in w for w in want):  # two lists in one file: each record in its own list's series
        assert [g["series"] for g in got] == [w["series"] for w in want]
        assert len(reports) == len({w["series"] for w in want})
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


@pytest.mark.slow
def test_fiscal_year_from_dates_when_the_title_has_none():
    report = read_pdf(LAYOUTS / "no-year-in-title-hairline-borders.pdf")
    assert report.title == "交流実績一覧（協定等締結自治体）" and report.fiscal_year == 2024
    assert any("fiscal year 2024 taken from the dates" in w for w in report.warnings)


@pytest.mark.slow
def test_progress_is_reported_per_page():
    seen = []
    read_pdf(LAYOUTS / "label-every-page-cid-font-wrapped-periods.pdf", progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]


def _page(page: int, rows: int, columns: list[list[tuple[list[int], str]]]):
    """A PageTable with `rows` one-unit rows and, per municipality column, (rows, printed text) label cells."""
    from ingest.cells import Cell
    from ingest.rows import Location, Row
    from ingest.table import PageTable, Segment

    table_rows = [Row(Location(page=page), float(i), float(i + 1), f"p{page} r{i}", "課", "R6.4") for i in range(rows)]
    segments = []
    for k, cells in enumerate(columns):
        col = []
        for row_ids, text in cells:
            cell = Cell(float(k), float(row_ids[0]), float(k + 1), float(row_ids[-1] + 1))
            col.append(
                Segment(
                    page,
                    k,
                    cell,
                    text,
                    "",
                    "",
                    touches_top=row_ids[0] == 0,
                    touches_bottom=row_ids[-1] == rows - 1,
                    rows=list(row_ids),
                )
            )
        segments.append(col)
    return PageTable(page, (0, 0, 2, rows), [], [], 0.0, 0.0, float(rows), table_rows, segments)


def test_empty_prefecture_cells_of_a_named_city_do_not_borrow_across_a_break():
    """県 | 市区町 with full city names in 市区町 (the FY2024 layout): a city block ends page 1 and the
    prefecture partner 熊本県 starts page 2. The city's empty 県 cells must not take 熊本県."""
    from ingest.linking import link_labels

    p1 = _page(1, 3, [[([0], ""), ([1], ""), ([2], "")], [([0, 1, 2], "石川県金沢市")]])
    p2 = _page(2, 2, [[([0, 1], "熊本県")], [([0, 1], "")]])
    names = [r.printed_name for r in link_labels([p1, p2])]
    assert names == ["石川県金沢市"] * 3 + ["熊本県"] * 2
    # and the other way round: 熊本県 ends page 1, a city starts page 2
    p1 = _page(1, 2, [[([0, 1], "熊本県")], [([0, 1], "")]])
    p2 = _page(2, 3, [[([0], ""), ([1], ""), ([2], "")], [([0, 1, 2], "岩手県盛岡市")]])
    names = [r.printed_name for r in link_labels([p1, p2])]
    assert names == ["熊本県"] * 2 + ["岩手県盛岡市"] * 3


def test_split_columns_still_link_the_prefecture_after_a_break():
    """県 | 市区町 = 熊本県 | 熊本市 with 熊本県 printed only on the page after the break: the city part alone is
    not a full name, so the 県 cell on page 1 takes 熊本県 from page 2."""
    from ingest.linking import link_labels

    p1 = _page(1, 2, [[([0, 1], "")], [([0, 1], "熊本市")]])
    p2 = _page(2, 2, [[([0, 1], "熊本県")], [([0, 1], "熊本市")]])
    assert [r.printed_name for r in link_labels([p1, p2])] == ["熊本県熊本市"] * 4


@pytest.mark.slow
def test_a_line_that_is_only_a_date_is_not_the_title():
    """令和7年4月1日現在 above a title without a year: the title is the line that names the report."""
    report = read_pdf(LAYOUTS / "no-year-in-title-date-line-above.pdf")
    assert report.title == "交流実績一覧（協定等締結自治体）" and report.series == "交流実績一覧（協定等締結自治体）"
    assert report.fiscal_year == 2024


@pytest.mark.parametrize(
    "lines,title",
    [
        (["令和7年4月1日現在", "交流実績一覧（協定等締結自治体）"], "交流実績一覧（協定等締結自治体）"),
        (["令和８年１月１５日作成", "交流実績一覧"], "交流実績一覧"),
        (["R7.4.1 時点", "自治体コード順", "交流実績一覧"], "交流実績一覧"),
        (["2025/4/1更新", "令和６年度交流実績一覧"], "令和６年度交流実績一覧"),
        (["交流実績一覧", "令和６年度交流実績一覧（協定等締結自治体）"], "令和６年度交流実績一覧（協定等締結自治体）"),
        (["令和7年4月1日現在"], ""),
        ([], ""),
    ],
)
def test_title_of(lines, title):
    from store.titles import title_of

    assert title_of(lines) == title


@pytest.mark.slow
def test_the_kinds_once_stored_wrong_are_what_their_fixtures_say():
    """The fixtures of the kinds a new user's files showed stored wrong really hold them: two label columns
    with 市/区/町 one per line over full city names; two titled lists; a landscape page saved portrait with
    /Rotate 90 (read exactly: test_layout_reads_exactly)."""
    import pdfplumber

    from ingest.report import read_pdf_reports

    (report,) = read_pdf_reports(LAYOUTS / "two-label-columns-city-names-stacked-title.pdf", keep_tables=True)
    assert [c.role for c in report.tables[0].columns][:2] == ["municipality", "municipality"]
    assert {r.municipality for r in report.records} >= {"熊本県", "岩手県盛岡市", "石川県金沢市"}
    for name in ("two-lists-second-on-a-new-page", "two-lists-on-one-page"):
        assert [r.title for r in read_pdf_reports(LAYOUTS / f"{name}.pdf")] == [
            "令和６年度交流実績一覧（協定等締結自治体）",
            "令和６年度交流実績一覧（協定等締結自治体以外）",
        ]
    with pdfplumber.open(LAYOUTS / "landscape-stored-rotated.pdf") as pdf:
        box = pdf.pages[0].page_obj.mediabox  # as stored: portrait, turned by /Rotate
        assert pdf.pages[0].rotation == 90 and box[2] < box[3]
