"""How each kind of table is found, and what the reader refuses rather than store with blanks or garbage
(fixtures in tests/fixtures/layouts and tests/fixtures/bad, built by tests/fixtures/make_fixtures.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.report import MisreadTable, UnreadableText, read_pdf

FIXTURES = Path(__file__).parent / "fixtures"
LAYOUTS = FIXTURES / "layouts"


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


def test_a_title_drawn_twice_for_bold_is_read_once():
    report = read_pdf(LAYOUTS / "fake-bold-title.pdf")
    assert report.title == "令和６年度交流実績一覧（協定等締結自治体）" and report.fiscal_year == 2024


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


def test_a_table_read_in_part_is_refused_not_stored_with_blanks():
    """The drawing leaves the outer sides open; without closing them the label and period columns read
    empty — the checks refuse the file, naming the page and the field."""
    unclosed = {"open_side": 1e9}
    with pytest.raises(MisreadTable) as e:
        read_pdf(LAYOUTS / "open-sides.pdf", settings=unclosed)
    message = str(e.value)
    assert "\n" not in message and "p.1" in message and "自治体名" in message and "--force" in message


def test_force_stores_the_rows_flagged():
    report = read_pdf(LAYOUTS / "open-sides.pdf", settings={"open_side": 1e9}, force=True)
    assert len(report.records) == 123
    flagged = [w for w in report.warnings if w.startswith("読み取りに問題のある行")]
    assert any("自治体名" in w for w in flagged)
    assert any("実施期間の列が見つかりません" in w for w in flagged)


def test_labels_centred_on_blocks_without_rules_or_shading_are_refused():
    """Nothing but the label's place shows which rows a municipality covers; centred, it does not say."""
    with pytest.raises(MisreadTable) as e:
        read_pdf(FIXTURES / "bad" / "no-rules-spacing-centred-labels.pdf")
    assert "行の先頭" in str(e.value) and "p.1" in str(e.value)


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
    from ingest.municipalities import run_together

    assert run_together(label) == names


def test_a_label_of_several_municipalities_is_a_problem():
    """What a table whose label cells were not told apart reads as: every row under all the labels."""
    from ingest.checks import check_rows
    from ingest.table import Row

    rows = [Row(1, 0, 1, "物産展", "経済課", "R6.4", printed_name="熊本県熊本県熊本市岩手県盛岡市")]
    problems = check_rows(rows, roles={"municipality", "description", "department", "period"})
    assert [(p.field, p.reason_en) for p in problems] == [("printed_name", "several municipality names in one label cell")]
    assert "熊本県・熊本県熊本市・岩手県盛岡市" in problems[0].reason
