"""How each kind of table is found, and what the reader refuses rather than store with blanks or garbage
(fixtures in tests/fixtures/layouts and tests/fixtures/bad, built by tests/fixtures/make_fixtures.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest.errors import MisreadTable, UnreadableText
from ingest.report import read_pdf

FIXTURES = Path(__file__).parents[1] / "fixtures"
LAYOUTS = FIXTURES / "layouts"


@pytest.mark.slow
@pytest.mark.parametrize(
    "name,rows_from,columns_from",
    [
        ("two-columns-split-label-once", "rules", "rules"),
        ("open-sides", "rules", "rules"),
        ("horizontal-rules-only", "rules", "text"),
        ("no-rules-shaded-rows", "shading", "text"),
        ("no-rules-shaded-content-top-labels", "shading", "text"),
        ("no-rules-shaded-content-top-full-names", "shading", "text"),
        ("no-rules-spacing", "spacing", "text"),
    ],
)
def test_each_kind_of_table_is_found_the_way_it_is_drawn(name, rows_from, columns_from):
    report = read_pdf(LAYOUTS / f"{name}.pdf", keep_tables=True)
    assert {t.rows_from for t in report.tables} == {rows_from}
    first, *rest = report.tables
    assert first.columns_from == columns_from
    # a page without its own header continues the previous page's columns
    assert all(t.columns_from in (columns_from, "previous page") for t in rest)


@pytest.mark.slow
def test_a_title_drawn_twice_for_bold_is_read_once():
    report = read_pdf(LAYOUTS / "fake-bold-title.pdf")
    assert report.title == "令和６年度交流実績一覧（協定等締結自治体）" and report.fiscal_year == 2024


@pytest.mark.slow
def test_labels_written_top_to_bottom_in_two_columns_read_in_order():
    report = read_pdf(LAYOUTS / "vertical-two-column-labels.pdf", keep_tables=True)
    printed = {s.text for t in report.tables for col in t.segments for s in col if s.text}
    assert "岩手県盛岡市" in printed and "石川県金沢市" in printed
    assert not any("岩盛" in p or "盛岩" in p for p in printed)


def test_a_font_without_unicode_is_refused_with_its_page():
    with pytest.raises(UnreadableText) as e:
        read_pdf(FIXTURES / "bad" / "cid-font-without-tounicode.pdf")
    message = str(e.value)
    assert "\n" not in message and "p.1" in message and "ToUnicode" in message
    assert "(cid:" not in message


@pytest.mark.slow
def test_a_table_read_in_part_is_refused_not_stored_with_blanks():
    """The drawing leaves the outer sides open; without closing them the label and period columns read
    empty — the checks refuse the file, naming the page and the field."""
    unclosed = {"open_side": 1e9}
    with pytest.raises(MisreadTable) as e:
        read_pdf(LAYOUTS / "open-sides.pdf", settings=unclosed)
    message = str(e.value)
    assert "\n" not in message and "p.1" in message and "自治体名" in message and "--force" in message


@pytest.mark.slow
def test_force_stores_the_rows_flagged():
    report = read_pdf(LAYOUTS / "open-sides.pdf", settings={"open_side": 1e9}, force=True)
    assert len(report.records) == 123
    flagged = [w for w in report.warnings if w.startswith("読み取りに問題のある行")]
    assert any("自治体名" in w for w in flagged)
    assert any("実施期間の列が見つかりません" in w for w in flagged)


@pytest.mark.slow
def test_labels_centred_on_blocks_without_rules_or_shading_are_refused():
    """Nothing but the label's place shows which rows a municipality covers; centred, it does not say."""
    with pytest.raises(MisreadTable) as e:
        read_pdf(FIXTURES / "bad" / "no-rules-spacing-centred-labels.pdf")
    assert "行の先頭" in str(e.value) and "p.1" in str(e.value)


@pytest.mark.slow
def test_labels_centred_beside_shaded_rows_are_refused():
    """The shading marks the rows, but not the label column: a centred label does not say where its block
    starts."""
    with pytest.raises(MisreadTable) as e:
        read_pdf(FIXTURES / "bad" / "no-rules-shaded-content-centred-labels.pdf")
    assert "行の先頭" in str(e.value) and "p.1" in str(e.value)


@pytest.mark.parametrize(
    "label,names",
    [
        ("熊本県熊本県熊本市岩手県盛岡市", ("熊本県", "熊本県熊本市", "岩手県盛岡市")),
        ("岩手県盛岡市福島県相馬市", ("岩手県盛岡市", "福島県相馬市")),
        ("盛岡市相馬市", ("盛岡市", "相馬市")),
        ("熊本県岩手県盛岡市", ("熊本県", "岩手県盛岡市")),
        ("熊本県熊本市", ()),
        ("東京都府中市", ()),  # holds 京都府, but as part of 東京都
        ("熊本市上天草市", ()),  # a misprinted prefecture, one municipality
        ("島根県鹿足郡津和野町", ()),
        ("津和野村", ()),  # a typo, one municipality
        ("熊本県・福岡県", ()),  # two partners printed as such
        ("台北市", ()),
    ],
)
def test_run_together_labels(label, names):
    from ingest.labels import run_together

    assert run_together(label) == names


@pytest.mark.parametrize("period", ["－", "―", "ー", "-", "・", "－－"])
def test_a_dash_for_a_period_is_a_problem_like_an_empty_one(period):
    from ingest.checks import check_rows
    from ingest.rows import Location, Row

    rows = [Row(Location(page=1), 0, 1, "物産展", "経済課", period, labels=["石川県金沢市"], printed_name="石川県金沢市")]
    problems = check_rows(rows, roles={"municipality", "description", "department", "period"})
    assert [(p.field, p.reason_en) for p in problems] == [("period_text", "a dash for a period")]
    ok = [Row(Location(page=1), 0, 1, "物産展", "経済課", "R6.4", labels=["石川県金沢市"], printed_name="石川県金沢市")]
    assert check_rows(ok, roles={"municipality", "description", "department", "period"}) == []


def test_a_label_of_several_municipalities_is_a_problem():
    """What a table whose label cells were not told apart reads as: every row under all the labels."""
    from ingest.checks import check_rows
    from ingest.rows import Location, Row

    rows = [Row(Location(page=1), 0, 1, "物産展", "経済課", "R6.4", printed_name="熊本県熊本県熊本市岩手県盛岡市")]
    problems = check_rows(rows, roles={"municipality", "description", "department", "period"})
    assert [(p.field, p.reason_en) for p in problems] == [("printed_name", "several municipality names in one label cell")]
    assert "熊本県・熊本県熊本市・岩手県盛岡市" in problems[0].reason


@pytest.mark.parametrize(
    "header,role",
    [
        # headers that name a role as a whole
        ("実施期間", "period"),
        ("期間", "period"),
        ("実施日", "period"),
        ("年月日", "period"),
        ("実施年月日", "period"),
        ("開催日時", "period"),
        ("実施月", "period"),
        ("実施期間（実施日）", "period"),
        ("実 施 期 間", "period"),
        ("事業期間", "period"),
        ("所管課", "department"),
        ("担当課", "department"),
        ("担当", "department"),
        ("担当部署", "department"),
        ("所管\n課", "department"),
        ("課名", "department"),
        ("所管課名", "department"),
        ("事業内容", "description"),
        ("内容", "description"),
        ("事業", "description"),
        ("交流内容", "description"),
        ("事業名", "description"),
        ("取組の概要", "description"),
        ("交流の実績", "description"),
        ("自治体名", "municipality"),
        ("交流自治体名", "municipality"),
        ("相手自治体", "municipality"),
        ("相手方", "municipality"),
        ("交流先", "municipality"),
        ("都道府県", "municipality"),
        ("市区町村", "municipality"),
        ("県", "municipality"),
        ("市区町", "municipality"),
        ("協定締結自治体", "municipality"),
        # a role word inside a header naming something else
        ("協定締結年月日", "other"),
        ("協定期間", "other"),
        ("事業費（千円）", "other"),
        ("事業費", "other"),
        ("担当者連絡先", "other"),
        ("担当者", "other"),
        ("連絡先", "other"),
        ("実施場所", "other"),
        ("参加人数", "other"),
        ("備考", "other"),
        ("No.", "other"),
        ("番号", "other"),
        ("石川県金沢市", "other"),  # a first data row is no header
        ("事業内容の確認", "other"),
        ("※ 所管課は実施時点の名称", "other"),
        ("", "other"),
    ],
)
def test_column_role_names_the_role_as_a_whole(header, role):
    from ingest.roles import column_role

    assert column_role(header) == role


def test_of_two_columns_claiming_one_field_the_plainer_keeps_it():
    from ingest.roles import column_roles

    assert column_roles(["自治体名", "事業内容", "実施期間", "実施期間等"]) == ["municipality", "description", "period", "other"]
    # two description columns are one description, two label columns one label: both keep their role
    assert column_roles(["県", "市区町", "事業名", "事業内容"]) == ["municipality"] * 2 + ["description"] * 2
    # neither plainer: both keep it, and the checks refuse the page
    assert column_roles(["事業内容", "実施期間", "実施期間"]) == ["description", "period", "period"]


def test_two_columns_for_one_field_are_a_problem_never_merged():
    from ingest.checks import check_rows
    from ingest.rows import Location, Row

    rows = [Row(Location(page=1), 0, 1, "物産展", "経済課", "R6.4", printed_name="熊本県")]
    problems = check_rows(rows, roles=["municipality", "description", "department", "period", "period"])
    assert [(p.field, p.reason_en) for p in problems] == [("period_text", "two columns read as 実施期間")]


@pytest.mark.slow
def test_an_extra_column_with_a_role_word_in_its_header_is_not_read_into_the_field():
    """協定締結年月日, 事業費（千円）, 担当者連絡先: columns of their own, none merged into period, description or
    department (the whole file reads exactly: tests/ingest/test_layouts.py)."""
    report = read_pdf(LAYOUTS / "extra-columns-with-role-words.pdf", keep_tables=True)
    roles = [(c.title, c.role) for c in report.tables[0].columns]
    assert ("協定締結年月日", "other") in roles and ("事業費（千円）", "other") in roles and ("担当者連絡先", "other") in roles
    assert not any("H28" in r.period_text or "03-" in r.department for r in report.records)


@pytest.mark.slow
def test_two_tables_on_a_page_are_both_read():
    """Each with its heading and header, on the same columns: one grid, the second header dropped as a row."""
    report = read_pdf(LAYOUTS / "two-tables-on-a-page.pdf", keep_tables=True)
    assert len(report.records) == 123
    assert not any(r.description == "事業内容" for r in report.records)


@pytest.mark.slow
def test_a_second_table_far_below_the_first_is_read_from_the_page_cut_under_the_first():
    """No rules, and a second table (its own heading and header) after a wide white band: the first grid ends
    at the band, the page is cut under it and each part read — both tables, every record as printed."""
    report = read_pdf(FIXTURES / "bad" / "second-table-not-read.pdf", keep_tables=True)
    assert [(t.page, len(t.rows)) for t in report.tables][:2] == [(1, 20), (1, 18)]
    expected = json.loads((FIXTURES / "r6_expected.json").read_text())["records"]

    def key(municipality: str, description: str, period_text: str) -> tuple[str, str, str]:
        return municipality, "".join(description.split()), "".join(period_text.split())

    got = sorted(key(r.municipality, r.description, r.period_text) for r in report.records)
    assert got == sorted(key(d["municipality"], d["description"], d["period_text"]) for d in expected)


@pytest.mark.slow
def test_an_empty_period_is_refused_with_its_page_or_stored_flagged():
    with pytest.raises(MisreadTable) as e:
        read_pdf(FIXTURES / "bad" / "one-empty-period.pdf")
    assert "p.1 実施期間: 空欄" in str(e.value) and "empty period" in str(e.value)
    report = read_pdf(FIXTURES / "bad" / "one-empty-period.pdf", force=True)
    flagged = [r for r in report.records if r.problems]
    assert len(report.records) == 123 and len(flagged) == 1 and not flagged[0].period_text
    assert flagged[0].problems == ["p.1 実施期間: 空欄（いつの事業か読めません）"]


def _header_cells(rows: list[list[tuple[int, int, str]]]):
    """Ruled cells of a table drawn from rows of (first column, last column, text); columns 0–4 are 10 wide,
    rows 10 tall. Returns (cells, texts)."""
    from ingest.cells import Cell

    cells, texts = [], {}
    for j, row in enumerate(rows):
        for a, b, text in row:
            texts[len(cells)] = text
            cells.append(Cell(10.0 * a, 10.0 * j, 10.0 * (b + 1), 10.0 * (j + 1)))
    return cells, texts


GROUPS = [(0, 1, "交流先"), (2, 4, "交流の実績")]
DATA = [(0, 0, "熊本県"), (1, 1, "熊本市"), (2, 2, "物産展"), (3, 3, "経済課"), (4, 4, "R6.4")]


def test_headings_over_groups_of_columns_leave_the_columns_to_the_titles_below():
    """交流先 over 都道府県 | 市区町村, 交流の実績 over 内容 | 担当課 | 期間: a heading over several columns is no
    column; the header ends under the titles below it."""
    from ingest.columns import read_header

    titles = [(0, 0, "都道府県"), (1, 1, "市区町村"), (2, 2, "内容"), (3, 3, "担当課"), (4, 4, "期間")]
    cells, texts = _header_cells([GROUPS, titles, DATA])
    columns, bottom = read_header(cells, texts)
    assert [c.role for c in columns] == ["municipality", "municipality", "description", "department", "period"]
    assert bottom == 20.0


def test_a_data_row_under_headings_is_not_taken_for_their_titles():
    """Headings with the first data row right under them: the header stays the headings (and the page is
    refused for want of a period column), never a header made of 熊本県 | 物産展."""
    from ingest.columns import read_header

    cells, texts = _header_cells([GROUPS, DATA])
    columns, bottom = read_header(cells, texts)
    assert bottom == 10.0 and "period" not in [c.role for c in columns]


@pytest.mark.slow
def test_a_two_row_header_with_grouped_columns_reads_the_lower_titles():
    report = read_pdf(LAYOUTS / "two-row-header-grouped-columns.pdf", keep_tables=True)
    for table in report.tables:
        assert [c.role for c in table.columns] == ["municipality", "municipality", "description", "department", "period"]
    assert len(report.records) == 123 and not any(r.description == "内容" for r in report.records)


def _row(label: str, description: str, department: str = "", period: str = "", page: int = 1):
    from ingest.rows import Location, Row

    return Row(Location(page=page), 0, 1, description, department, period, [label], label)


@pytest.mark.parametrize(
    "label,description,department,period,skipped",
    [
        ("小計", "4件", "", "", True),
        ("小　計", "", "", "", True),
        ("合計", "123件", "", "", True),
        ("総計", "計 123", "", "", True),
        ("総計", "計画の報告", "", "", False),  # a description that is not a count: kept (and refused, below)
        ("熊本県", "小計", "", "", True),
        ("熊本県", "計", "", "", True),
        ("小計", "物産展", "", "", False),
        ("小計", "4件", "経済課", "", False),
        ("熊本県", "合計", "", "R6.4", False),
        ("熊本県", "合計金額の報告", "", "", False),
        ("熊本県計", "4件", "", "", False),
    ],
)
def test_subtotal_and_total_lines_are_told_by_their_word_alone(label, description, department, period, skipped):
    from ingest.checks import totals

    row = _row(label, description, department, period)
    kept, dropped = totals([_row("熊本県", "物産展", "経済課", "R6.4"), row])
    assert (dropped == [row]) == skipped and len(kept) == 2 - skipped


def test_a_total_word_at_a_page_top_may_end_a_description_cut_by_the_break():
    """計 alone at the top of page 2 under the previous row's municipality: possibly that row's last line, so it
    is left to the split-row merge, not dropped."""
    from ingest.checks import totals

    rows = [_row("熊本県", "物産展の売上の合", "経済課", "R6.4"), _row("熊本県", "計", page=2)]
    kept, dropped = totals(rows)
    assert kept == rows and not dropped


def test_a_row_labelled_with_a_total_word_is_a_problem():
    """A real row that took 小計 as its label (filled down from the line above) is refused, not stored as 小計."""
    from ingest.checks import check_rows

    problems = check_rows(
        [_row("小計", "物産展", "経済課", "R6.4")], roles=["municipality", "description", "department", "period"]
    )
    assert [(p.field, p.reason_en) for p in problems] == [("printed_name", "a total line's word as the label")]


@pytest.mark.slow
def test_subtotal_and_total_lines_are_skipped_and_reported():
    report = read_pdf(LAYOUTS / "subtotal-and-total-rows.pdf")
    assert len(report.records) == 123
    assert not any(r.printed_name in ("小計", "合計") or r.description.endswith("件") for r in report.records)
    assert "subtotal and total rows skipped: 15行（p.1, p.2, p.3, p.4）" in " ".join(report.warnings)


@pytest.mark.parametrize(
    "description,department,period,skipped",
    [
        ("実績なし", "－", "－", True),
        ("該当なし", "", "", True),
        ("（実績なし）", "", "", True),
        ("", "", "実績なし", True),
        ("実績なし", "経済課", "", False),  # a department beside it: not told apart from a row misread
        ("実績なし", "", "R6.4", False),
        ("実績なしの報告", "", "", False),
    ],
)
def test_a_line_saying_no_events_is_told_by_its_word_and_empty_cells(description, department, period, skipped):
    from ingest.checks import no_events

    row = _row("宮城県仙台市", description, department, period)
    kept, dropped = no_events([_row("熊本県", "物産展", "経済課", "R6.4"), row])
    assert (dropped == [row]) == skipped and len(kept) == 2 - skipped


@pytest.mark.slow
def test_no_event_lines_are_not_records_and_are_named_in_the_warnings():
    """実績なし | － | － and 該当なし with blank cells: the partner had no events, so no record (not one with an empty
    or dashed 実施期間); the warning names the partners."""
    report = read_pdf(LAYOUTS / "no-event-rows.pdf")
    assert len(report.records) == 123
    assert not any(r.printed_name in ("宮城県仙台市", "北海道函館市") for r in report.records)
    assert "rows saying no events skipped: 2行 宮城県仙台市（p.1）、北海道函館市（p.3）" in " ".join(report.warnings)


def _spanning(text: str, page: int = 1):
    """A row read from one cell across the table: its text in every content column."""
    from ingest.rows import Location, Row

    return Row(Location(page=page), 0, 1, text, text, text, [""], "")


@pytest.mark.parametrize(
    "text,label",
    [
        ("■ 石川県金沢市", "石川県金沢市"),
        ("【熊本県】", "熊本県"),
        ("◆島根県津和野町", "島根県津和野町"),
        ("■ 台湾台北市", ""),  # names no municipality: stays a row, refused for its missing label
        ("１　協定締結自治体", ""),
    ],
)
def test_a_heading_row_names_its_municipality_once_its_marks_are_dropped(text, label):
    from ingest.linking import heading_label

    assert heading_label(_spanning(text)) == label


def test_heading_rows_label_the_rows_under_them_only_without_a_label_column():
    from ingest.linking import labels_from_headings

    rows = [_spanning("■ 熊本県"), _row("", "物産展", "経済課", "R6.4"), _spanning("■ 石川県金沢市", page=2)]
    rows += [_row("", "朗読会", "アカデミー推進課", "R6.11.3", page=2)]
    for r in rows:
        r.printed_name = ""
    got = labels_from_headings(rows)
    assert [(r.printed_name, r.description) for r in got] == [("熊本県", "物産展"), ("石川県金沢市", "朗読会")]
    labelled = [_row("熊本県", "物産展", "経済課", "R6.4"), _spanning("■ 石川県金沢市")]
    assert labels_from_headings(labelled) == labelled  # a table with a label column: headings are not labels


@pytest.mark.slow
def test_heading_rows_across_the_table_are_the_labels_of_the_rows_below():
    report = read_pdf(LAYOUTS / "heading-rows-no-label-column.pdf")
    assert len(report.records) == 123 and not report.warnings
    assert not any(r.description.startswith("■") for r in report.records)


def test_a_label_cut_by_a_page_break_joins_when_the_period_was_cut_too():
    """愛知県 at page 1's foot, 稲沢市 at page 2's top, the period R6.8.29～ / 8.30 cut with it: one row of 愛知県稲沢市
    (neither half alone: a prefecture's record and a second record of 8.30 would both be wrong)."""
    from ingest.linking import merge_split_rows

    rows = [
        _row("愛知県名古屋市", "体験ブースの実施", "アカデミー推進課", "R6.12.7"),
        _row("愛知県", "石見神楽公演への無料招待及び", "アカデミー推", "R6.8.29～"),
        _row("稲沢市", "物産展の開催", "進課", "8.30", page=2),
        _row("熊本県熊本市", "物産展", "経済課", "R6.11.15", page=2),
    ]
    merged = merge_split_rows(rows)
    assert [(r.printed_name, r.description, r.department, r.period_text) for r in merged[1:3]] == [
        ("愛知県稲沢市", "石見神楽公演への無料招待及び物産展の開催", "アカデミー推進課", "R6.8.29～8.30"),
        ("熊本県熊本市", "物産展", "経済課", "R6.11.15"),
    ]


def test_halves_of_a_cut_row_under_labels_that_name_no_municipality_together_are_refused():
    """The period cut by the break (R6.8.29～ / 8.30) under two labels that do not join into one municipality:
    the rows are not joined, and the check names the cut instead of storing 8.30 as a row of its own."""
    from ingest.checks import check_rows
    from ingest.linking import merge_split_rows

    rows = merge_split_rows(
        [_row("石川県金沢市", "物産展の", "経済課", "R6.8.29～"), _row("熊本県熊本市", "開催", "経済課", "8.30", page=2)]
    )
    assert len(rows) == 2
    problems = check_rows(rows, roles=["municipality", "description", "department", "period"])
    assert [(p.row, p.reason_en) for p in problems] == [(1, "a period cut by the page break, its row not joined")]


@pytest.mark.parametrize(
    "text", ["（令和7年4月1日現在）", "(令和7年4月1日現在)", "【自治体コード順】", "- 2 -", "※所管課は当時の名称"]
)
def test_page_furniture_in_brackets_is_furniture(text):
    from ingest.accounting import is_furniture

    assert is_furniture(text)


def test_a_row_set_tight_below_the_table_stands_like_a_row():
    """Words of a rule-less row set tight (沖縄県う|シビック…|R8.8.1～8.30 with no white between them) are split
    where the table's columns part: the line stands like a row, and is never taken for a note."""
    from ingest.accounting import row_like
    from ingest.glyphs import Char
    from ingest.settings import TableSettings

    def glyphs(text: str, x: float) -> list[Char]:
        return [Char(ch, x + 10 * k, x + 10 * (k + 1), 500.0, 510.0, 10.0) for k, ch in enumerate(text)]

    columns = [(70.0, 120.0, "municipality"), (120.0, 400.0, "description"), (400.0, 520.0, "period")]
    description = "シビックセンター地下1階壁面を利用した展示スペース写真展"  # 28 glyphs: 120 to 400, tight
    line = glyphs("沖縄県う", 80.0) + glyphs(description, 120.0) + glyphs("R8.8.1～8.30", 400.0)
    assert row_like(line, columns, TableSettings())
    assert not row_like(glyphs("（令和7年4月1日現在）", 80.0), columns, TableSettings())


@pytest.mark.parametrize(
    "text,expected", [("備考", True), ("（千円）", True), ("―", False), ("実績なし", False), ("R6.4", False)]
)
def test_a_dash_or_no_events_is_no_header_word(text, expected):
    """兵庫県 | 南あわじ市 | ― | ― | 実績なし right under the header is the first row, never the header's second line."""
    from ingest.roles import is_header_word

    assert is_header_word(text) == expected


def test_a_note_mark_between_a_periods_dates_is_refused():
    """R6.11.15～※11.16: the ※ of a remark column read into the period cell between its lines — refused, not
    stored as two intervals (one of them open)."""
    from ingest.checks import check_rows

    rows = [
        _row("富山県黒部市", "柔道教室", "経済課", "R6.11.15～※11.16"),
        _row("富山県黒部市", "物産展", "経済課", "R6.11.15～11.16※"),
    ]
    problems = check_rows(rows, roles=["municipality", "description", "department", "period"])
    assert [(p.row, p.reason_en) for p in problems] == [(0, "a note mark between a period's dates")]


def test_a_label_beside_another_cell_outside_the_table_stands_like_a_row():
    """熊本県天 | 11.16 above a page's table (the rest of a row cut by the break, its label repeated) is a row
    (refused or read, never dropped); 合計 | 23件 and a header's 交流自治体名 are not."""
    from ingest.accounting import row_like
    from ingest.glyphs import Char
    from ingest.settings import TableSettings

    def glyphs(text: str, x: float) -> list[Char]:
        return [Char(ch, x + 10 * k, x + 10 * (k + 1), 500.0, 510.0, 10.0) for k, ch in enumerate(text)]

    columns = [(70.0, 120.0, "municipality"), (120.0, 400.0, "description"), (400.0, 520.0, "period")]
    assert row_like(glyphs("熊本県天", 75.0) + glyphs("11.16", 420.0), columns, TableSettings())
    assert not row_like(glyphs("合計", 75.0) + glyphs("23件", 200.0), columns, TableSettings())
    assert not row_like(glyphs("自治体名", 75.0) + glyphs("実績", 200.0), columns, TableSettings())


def test_the_rest_of_a_description_and_a_cut_department_without_a_period_joins_the_row_above():
    """アカデミー / 推進課 and the description's rest at page 2's top, the period whole on page 1: one row. Under a
    whole department (経済課) the part stays a row of its own (and is refused for its empty period)."""
    from ingest.linking import merge_split_rows

    cut = merge_split_rows(
        [
            _row("石川県金沢市", "交流自治体の食材を", "アカデミー", "R6.10.1～12.31"),
            _row("石川県金沢市", "活用した料理", "推進課", page=2),
        ]
    )
    assert [(r.description, r.department, r.period_text) for r in cut] == [
        ("交流自治体の食材を活用した料理", "アカデミー推進課", "R6.10.1～12.31")
    ]
    whole = merge_split_rows([_row("石川県金沢市", "物産展", "経済課", "R6.4"), _row("石川県金沢市", "講演会", "経済課", page=2)])
    assert len(whole) == 2


def test_an_unreadable_glyph_in_a_cell_is_named_with_its_field_count_and_place():
    """One glyph without Unicode among a cell's text: the problem says which field, how many and where, so a
    stray glyph is not mistaken for a whole font without its map."""
    from ingest.checks import check_rows
    from ingest.glyphs import UNREADABLE
    from ingest.rows import Location, Row

    row = Row(
        Location(page=2),
        100.0,
        120.0,
        f"金沢市の物産展{UNREADABLE}を実施",
        "経済課",
        "R6.11.15～11.16",
        ["金沢市"],
        "金沢市",
        "printed",
    )
    problems = [p for p in check_rows([row]) if "unreadable" in p.reason_en]
    assert len(problems) == 1 and problems[0].field == "description", problems
    assert "1字" in problems[0].reason and f"物産展{UNREADABLE}を実施" in problems[0].reason
    assert "(1 of 11 characters)" in problems[0].reason_en


@pytest.mark.slow
def test_a_blank_glyph_without_unicode_in_a_cell_is_no_text_and_an_inked_one_refuses_its_row(sample_report_pdf):
    """`make_stray_cid.py`: the sample with one glyph of a CID font without ToUnicode (nor cmap) set after the
    first record's description. A blank one (an Excel export's line feed) draws nothing: the report reads as
    the intact one. One that draws (金) cannot be read: its row is refused, naming the field and where."""
    intact = read_pdf(sample_report_pdf)
    blank = read_pdf(FIXTURES / "bad" / "stray-cid-line-feed.pdf")
    key = lambda r: (r.municipality_code, r.description, r.department, r.period_text)  # noqa: E731
    assert [key(r) for r in blank.records] == [key(r) for r in intact.records]
    with pytest.raises(UnreadableText) as e:
        read_pdf(FIXTURES / "bad" / "stray-cid-glyph.pdf")
    message = str(e.value)
    assert "p.1" in message and "事業内容" in message and "1字" in message and "を購入" in message, message


def _glyphs(text: str, x: float, top: float = 500.0, size: float = 10.0):
    from ingest.glyphs import Char

    return [Char(ch, x + size * k, x + size * (k + 1), top, top + size, size) for k, ch in enumerate(text)]


def test_rows_part_at_any_white_when_a_cells_wrapped_lines_touch():
    """A cell's wrapped lines set with no white between them (LibreOffice's tight leading): every white band
    parts two rows — the short ones after a one-line row as well as the taller ones after a wrapped row, though
    the department column's whiter bands make those two look like one kind."""
    from ingest.grid_rows import spacing_rows
    from ingest.settings import TableSettings

    lines = [
        _glyphs("区内飲食店にて", 100, 100.0),
        _glyphs("料理を提供。", 100, 110.0),  # wrapped: touches the line above
        _glyphs("文京博覧会", 100, 128.5),  # 8.5 pt of white after a wrapped row
        _glyphs("物産展", 100, 144.5),  # 6 pt after a one-line row
        _glyphs("講演会の", 100, 160.5),
        _glyphs("開催", 100, 170.5),
    ]
    description = [c for line in lines for c in line]
    department = _glyphs("経済課", 300, 100.0) + _glyphs("学務課", 300, 144.5) + _glyphs("学務課", 300, 160.5)
    ys, _ = spacing_rows(lines, TableSettings(), None, [description, department])
    assert [round(y) for y in ys] == [124, 142, 158]


def test_a_band_of_rounding_between_touching_lines_parts_no_rows():
    """Two lines of one cell 0.001 and 0.03 pt apart (coordinates rounded): no white to part rows at all."""
    from ingest.grid_rows import spacing_rows
    from ingest.settings import TableSettings

    lines = [
        _glyphs("文京区の", 100, 100.0),
        _glyphs("特産品", 100, 110.001),
        _glyphs("物産展", 100, 140.0),
        _glyphs("を開催", 100, 150.03),
    ]
    ys, _ = spacing_rows(lines, TableSettings(), None, [[c for line in lines for c in line]])
    assert [round(y) for y in ys] == [130]


def test_a_hung_comma_does_not_close_the_white_before_the_next_column():
    """A description's 、 hung past its line's measure (ぶら下げ) reaches only to its centre when the white
    beside the measure is looked for, and the next column's text standing close after it starts a run of its
    own; a 、 inside a line keeps the line one run."""
    from ingest.grid_columns import ink_runs
    from ingest.settings import TableSettings

    line = _glyphs("開催し、", 100.0) + _glyphs("R6.8.29", 141.5)
    assert ink_runs(line, TableSettings(), 3.0) == [(100.0, 211.5)]
    assert ink_runs(line, TableSettings(), 3.0, measure=True) == [(100.0, 135.0), (141.5, 211.5)]
    inside = _glyphs("開催し、その後", 100.0)
    assert ink_runs(inside, TableSettings(), 3.0, measure=True) == [(100.0, 170.0)]


def test_a_title_completed_on_the_line_under_it_is_part_of_the_header():
    """都道 / 府県 (a title wrapped in a narrow header cell) over the first row: 府県 completes 都道府県 and
    belongs to the header, so the column is the prefecture's and the first row starts under it."""
    from ingest.grid_header import header_words
    from ingest.settings import TableSettings

    lines = [
        _glyphs("都道", 80, 148.0) + _glyphs("交流内容", 200, 142.0) + _glyphs("実施期間", 400, 142.0),
        _glyphs("府県", 80, 160.0) + _glyphs("市区町村", 120, 154.0),
        _glyphs("北海道", 80, 185.0) + _glyphs("美唄市", 120, 185.0) + _glyphs("物産展", 200, 185.0),
    ]
    from ingest.glyphs import lines_of

    found = header_words(lines_of([c for line in lines for c in line]), TableSettings(), [])
    assert found is not None
    assert [w.text for w in found[1]] == ["都道府県", "市区町村", "交流内容", "実施期間"]


def test_the_last_line_of_a_wrapped_cell_is_no_title_written_one_per_line():
    """課 ending アカデミー推進 / 課 and a ― in the row under the rule stand one over the other: they are no
    title written one per line, and the ― stays in its own row's cell."""
    from ingest.cell_text import assign_chars
    from ingest.cells import Cell

    cells = [Cell(550.0, 140.0, 640.0, 180.0), Cell(550.0, 180.0, 640.0, 198.0)]
    upper = _glyphs("アカデミー推進", 555.0, 152.0) + _glyphs("課", 555.0, 167.0)
    dash = _glyphs("―", 555.0, 182.5)
    found = assign_chars(cells, upper + dash)
    assert "".join(c.text for c in found[0]) == "アカデミー推進課"
    assert [c.text for c in found[1]] == ["―"]


def test_a_note_mark_in_a_remark_column_does_not_end_the_table():
    """※ left of a row's description, department and date (a 備考 column first) is that row's; a line starting
    ※ under the table is a note, and ends it."""
    from ingest.grid_rows import end_of_body
    from ingest.settings import TableSettings

    lines = [
        _glyphs("共催", 30, 100.0) + _glyphs("物産展", 200, 100.0) + _glyphs("R6.4.1", 500, 100.0),
        _glyphs("※", 30, 120.0)
        + _glyphs("お米を寄附", 200, 120.0)
        + _glyphs("子育て支援課", 380, 120.0)
        + _glyphs("R6.6.17～", 500, 120.0),
        _glyphs("※事業の詳細は各所管課へお問い合わせください。", 30, 140.0),
    ]
    assert end_of_body(lines, 0, TableSettings()) == 2


def test_a_period_cells_dated_line_alone_at_the_next_pages_top_joins_the_row_above():
    """At page 2's top, a row with only a dated line in its period cell (its department the merged cell's
    from above): the period cell's next line (kept on its own line), or the end of the range the first part
    opens (R6.4.1～ / R7.3.31)."""
    from ingest.linking import merge_split_rows

    dated = merge_split_rows(
        [_row("大阪府高石市", "物産展", "経済課", "R6.10.23（昭和小）"), _row("大阪府高石市", "", "経済課", "R6.10～12", page=2)]
    )
    assert [(r.description, r.period_text) for r in dated] == [("物産展", "R6.10.23（昭和小）\nR6.10～12")]
    ranged = merge_split_rows([_row("熊本県", "物産展", "経済課", "R6.4.1～"), _row("熊本県", "", "", "R7.3.31", page=2)])
    assert [r.period_text for r in ranged] == ["R6.4.1～R7.3.31"]


def test_a_label_cut_by_the_break_joins_when_the_department_was_cut_too():
    """岐阜県坂祝 | …リーフレットを作成 | アカデミー推 at page 1's foot, 町 | | 進課 at page 2's top: the label's
    two parts name a municipality exactly and the department runs on — one row of 岐阜県坂祝町."""
    from ingest.linking import merge_split_rows

    rows = merge_split_rows(
        [
            _row("東京都北区", "たけあかりの設置", "アカデミー推進課", "R6.4.13"),
            _row("岐阜県坂祝", "リーフレットを作成", "アカデミー推", "R7.3.8"),
            _row("町", "", "進課", "", page=2),
        ]
    )
    assert [(r.printed_name, r.department) for r in rows] == [
        ("東京都北区", "アカデミー推進課"),
        ("岐阜県坂祝町", "アカデミー推進課"),
    ]


def test_a_total_line_with_the_department_column_first_is_skipped_at_a_pages_top():
    """小計 | 5件 at page 4's top of a table whose department column comes first: a total line, not the end of
    the previous row's description."""
    from ingest.checks import totals

    rows = [
        _row("兵庫県多可町", "物産展を開催", "アカデミー推進課", "R6.11.2", page=3),
        _row("兵庫県多可町", "5件", "小計", "", page=4),
    ]
    kept, skipped = totals(rows)
    assert [r.description for r in kept] == ["物産展を開催"] and [r.description for r in skipped] == ["5件"]


def test_a_period_cut_inside_its_brackets_joins_the_row_above():
    """R6.10.23（昭 at page 2's foot, 和小） and the next dated line at page 3's top (with the description's
    rest): one row — never a record dated by its second line alone."""
    from ingest.linking import merge_split_rows

    rows = merge_split_rows(
        [
            _row("島根県津和野町", "里芋の寄贈を受け、津和野の芋", "学務課", "R6.10.23（昭", page=2),
            _row("島根県津和野町", "煮を給食で実施。", "学務課", "和小）\nR6.10～12", page=3),
        ]
    )
    assert [(r.description, r.period_text) for r in rows] == [
        ("里芋の寄贈を受け、津和野の芋煮を給食で実施。", "R6.10.23（昭和小）\nR6.10～12")
    ]


def test_a_total_line_with_its_count_in_the_department_column_is_skipped_at_a_pages_top():
    """小計 | 3件 | (empty) at a page's top: the count beside it says it is the total line."""
    from ingest.checks import totals

    rows = [_row("広島県福山市", "物産展", "経済課", "R8.11.15"), _row("広島県福山市", "小計", "3件", "", page=2)]
    kept, skipped = totals(rows)
    assert [r.description for r in kept] == ["物産展"] and [r.description for r in skipped] == ["小計"]


@pytest.mark.parametrize(
    "above,text,expected",
    [("都道", "府県", True), ("（千", "円）", True), ("事業費", "（千円）", False), ("アカデミー", "推進課", False)],
)
def test_what_completes_a_header_word_above_it(above, text, expected):
    """A header's line under a word: what makes the two one title, or closes its bracket, is the title's rest."""
    from ingest.grid_header import completes_title

    assert completes_title(above, text) == expected


def test_a_shaded_line_under_an_unshaded_header_is_the_body():
    """課 alone in a shaded band right under an unshaded header (the rest of a row split at the page break,
    under a zebra): the body's first line, never the end of 所管課."""
    from ingest.glyphs import lines_of
    from ingest.grid_header import header_words
    from ingest.settings import TableSettings

    lines = [
        _glyphs("交流自治体", 50, 60.0)
        + _glyphs("内容", 200, 60.0)
        + _glyphs("所管課", 450, 60.0)
        + _glyphs("実施日", 520, 60.0),
        _glyphs("課", 455, 76.0),
        _glyphs("金沢市", 50, 95.0) + _glyphs("柔道教室", 200, 95.0) + _glyphs("スポーツ振興課", 450, 95.0),
    ]
    fill = {"x0": 40.0, "x1": 600.0, "top": 73.0, "bottom": 89.0}
    part, words = header_words(lines_of([c for line in lines for c in line]), TableSettings(), [fill])
    assert part == [0] and [w.text for w in words][-2] == "所管課"


def test_a_period_cut_before_its_bracketed_note_joins_the_row_above_with_its_second_date():
    """R6.10.23 at page 2's foot, （昭和小） and R6.10～12 with the description's rest and the same department at
    page 3's top: the cut row's rest — its period's note and its second dated item — one row, never a record
    dated R6.10～12 of a description's tail."""
    from ingest.linking import merge_split_rows

    rows = merge_split_rows(
        [
            _row("島根県津和野町", "里芋の寄贈を受け、津和野の芋煮を給食で提供。全校で", "学務課", "R6.10.23", page=2),
            _row("島根県津和野町", "3地域の芋煮を給食で実施。", "学務課", "（昭和小）\nR6.10～12", page=3),
        ]
    )
    assert [(r.description, r.period_text) for r in rows] == [
        ("里芋の寄贈を受け、津和野の芋煮を給食で提供。全校で3地域の芋煮を給食で実施。", "R6.10.23（昭和小）\nR6.10～12")
    ]
