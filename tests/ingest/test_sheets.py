"""Spreadsheets and CSV files of the report read back exactly (tests/fixtures/sheets, built by
tests/fixtures/sheet_fixtures.py from the ground truth), the rules of reading them on small real files
written here, and the files that must be refused."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest

from ingest.build import records_from_rows
from ingest.errors import NotAReport, TooLarge
from ingest.periods import parse_period
from ingest.report import read_export
from ingest.sheet import SheetTooLarge, is_export_csv, read_sheet
from ingest.sheet_cells import MAX_ROWS, era_date_text
from store import era
from store.records import csv_bytes
from store.titles import fiscal_year_of

FIXTURES = Path(__file__).parents[1] / "fixtures"
SHEETS = FIXTURES / "sheets"
NAMES = sorted(p.name[: -len(".expected.json")] for p in SHEETS.glob("*.expected.json"))
FIELDS = (
    "fiscal_year",
    "municipality",
    "municipality_code",
    "printed_name",
    "description",
    "department",
    "period_text",
    "intervals",
    "approximate",
)


def fixture_path(name: str) -> Path:
    return next(p for p in SHEETS.glob(f"{name}.*") if not p.name.endswith(".expected.json"))


def records_of(path: Path):
    """read_sheets, then the records the way ingest.report makes them from PDF rows (every table's, in order;
    each record's series is its table's title's)."""
    from ingest.sheet import read_sheets
    from store.titles import series_of

    sheets = read_sheets(path)
    records, warnings = [], []
    for sheet in sheets:
        found, said = records_from_rows(sheet.rows, fiscal_year_of(sheet.title), path.name)
        for r in found:
            r.series = series_of(sheet.title)
        records += found
        warnings += said
    return sheets[0], records, warnings


def refusal(path: Path) -> str:
    """The one-line message read_sheet refuses the file with."""
    with pytest.raises(NotAReport) as e:
        read_sheet(path)
    message = str(e.value)
    assert "\n" not in message and message.startswith(f"{path.name}: ") and " / " in message, message
    return message


# ---------------------------------------------------------------------------------------------- fixtures


def test_every_fixture_is_tested():
    assert len(NAMES) >= 5
    assert {fixture_path(n).suffix for n in NAMES} == {".xlsx", ".csv"}


@pytest.mark.parametrize("name", NAMES)
def test_fixture_reads_exactly(name):
    expected = json.loads((SHEETS / f"{name}.expected.json").read_text(encoding="utf-8"))
    sheet, records, _ = records_of(fixture_path(name))
    assert sheet.kind == expected["kind"]
    assert sheet.encoding == expected.get("encoding", "")
    assert sheet.sheet_name == expected.get("sheet", "")
    assert fiscal_year_of(sheet.title) == expected["fiscal_year"]
    got = [r.to_dict() for r in records]
    fields = FIELDS + (("series",) if "series" in expected["records"][0] else ())  # two lists: each in its own
    problems = [(i, f, g[f], w[f]) for i, (g, w) in enumerate(zip(got, expected["records"])) for f in fields if g[f] != w[f]]
    assert not problems, problems[:8]
    assert len(got) == len(expected["records"])


def test_cp932_file_leaves_out_only_what_cp932_cannot_encode(expected):
    meta = json.loads((SHEETS / "report-cp932.expected.json").read_text(encoding="utf-8"))
    _, records, _ = records_of(SHEETS / "report-cp932.csv")
    left_out = meta["left_out"]
    assert left_out and all(not _encodes(d, "cp932") for d in left_out)
    assert sorted([r.description for r in records] + left_out) == sorted(r["description"] for r in expected["records"])


def _encodes(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


@pytest.mark.parametrize("name", NAMES)
def test_row_numbers_point_at_the_record(name):
    """Row.at.row is the 1-based sheet row (CSV: record number) whose cells hold the record's description."""
    path = fixture_path(name)
    sheet = read_sheet(path)
    if path.suffix == ".csv":
        text = path.read_bytes().decode(sheet.encoding)
        table = list(csv.reader(io.StringIO(text, newline="")))
    else:
        ws = openpyxl.load_workbook(path)[sheet.sheet_name]
        table = [[c.value for c in row] for row in ws.iter_rows()]
    pages = [row.at.row for row in sheet.rows]
    assert pages == sorted(set(pages)) and pages[0] > sheet.header_rows[1]
    for row in sheet.rows:
        cells = ["".join(str(v).split("\n")) for v in table[row.at.row - 1] if isinstance(v, str)]
        assert row.description in cells, (row.at.row, row.description)


def test_fixtures_hold_the_cases_they_are_for():
    """The two workbooks really have what they claim: merged labels, a two-row header, typed line breaks,
    real dates, a cover sheet opened first, ditto marks."""
    wb = openpyxl.load_workbook(SHEETS / "report-two-row-header.xlsx")
    ws = wb.active
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"B3:C3", "D3:D4"} <= merged
    assert sum(1 for r in merged if r.startswith("C") and r[1:].split(":")[0].isdigit()) >= 5
    body = list(ws.iter_rows(min_row=5, values_only=True))
    assert sum(1 for r in body if isinstance(r[3], str) and "\n" in r[3]) >= 5
    assert sum(1 for r in body if isinstance(r[5], str) and "～\n" in r[5]) >= 5
    wb = openpyxl.load_workbook(SHEETS / "ditto-dates-cover-sheet.xlsx")
    assert wb.active.title != "一覧"
    cells = [c for row in wb["一覧"].iter_rows() for c in row]
    assert sum(1 for c in cells if isinstance(c.value, dt.datetime)) >= 10
    assert any(c.value == "〃" for c in cells)


# ---------------------------------------------------------------------------------------------- rules


def workbook(path: Path, rows: list[list], merges: tuple[str, ...] = (), formats: dict[str, str] | None = None) -> Path:
    """A one-sheet workbook with these rows from A1, merged ranges and number formats."""
    wb = openpyxl.Workbook()
    ws = wb.active
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values, start=1):
            if value is not None:
                ws.cell(r, c, value)
    for m in merges:
        ws.merge_cells(m)
    for ref, fmt in (formats or {}).items():
        ws[ref].number_format = fmt
    wb.save(path)
    return path


HEADER = ["都道府県", "市区町村", "事業内容", "所管課", "実施期間"]
TITLE = ["令和６年度交流実績一覧", None, None, None, None]


def write_csv(path: Path, rows: list[list], encoding: str = "utf-8") -> Path:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def test_fill_down_takes_what_is_above_but_never_a_city_for_a_prefecture(tmp_path):
    rows = [
        TITLE,
        HEADER,
        ["熊本県", "", "苗の贈呈", "環境政策課", "R6.4"],
        ["", "", "物産展", "経済課", "R6.5"],  # nothing printed: the row above
        ["熊本県", "玉名市", "植え付け会", "経済課", "R6.6"],
        ["〃", "〃", "交流会", "経済課", "R6.7"],  # ditto marks
        ["熊本県", "", "県の事業", "経済課", "R6.8"],  # the prefecture itself, not 玉名市
        ["", "熊本市", "観光PR", "経済課", "R6.9"],  # the prefecture from above
        ["", "石川県金沢市", "工芸展", "経済課", "R6.10"],  # names its own prefecture
    ]
    sheet = read_sheet(write_csv(tmp_path / "fill.csv", rows))
    assert [r.printed_name for r in sheet.rows] == [
        "熊本県",
        "熊本県",
        "熊本県玉名市",
        "熊本県玉名市",
        "熊本県",
        "熊本県熊本市",
        "石川県金沢市",
    ]
    assert [r.label_how for r in sheet.rows][:2] == ["printed", "fill-down"]


def test_an_empty_label_cell_in_a_workbook_is_no_label(tmp_path):
    """Labels by evidence: in a workbook an empty, unmerged label cell under a label says nothing (a merged
    cell or 〃 would): the file is refused naming the row; --force stores the row flagged under the label above."""
    from ingest.errors import MisreadTable
    from ingest.sheet import read_spreadsheet

    rows = [
        TITLE,
        ["交流自治体", "事業内容", "所管課", "実施期間"],
        ["石川県金沢市", "物産展", "経済課", "R6.5"],
        [None, "工芸展", "経済課", "R6.6"],
    ]
    path = workbook(tmp_path / "empty.xlsx", rows)
    with pytest.raises(MisreadTable) as e:
        read_spreadsheet(path)
    assert "4行目 自治体名: 空欄" in str(e.value)
    (report,) = read_spreadsheet(path, force=True)
    assert [r.municipality for r in report.records] == ["石川県金沢市", "石川県金沢市"]
    assert report.records[0].problems == [] and "4行目 自治体名: 空欄" in report.records[1].problems[0]


def test_merged_cells_apply_down_a_column_and_across_the_header(tmp_path):
    rows = [
        TITLE,
        ["交流自治体", None, "事業内容", "所管課", "実施期間"],
        ["都道府県", "市区町村", None, None, None],
        ["熊本県", None, "苗の贈呈", "環境政策課", "R6.4"],  # a prefecture written across both label columns
        ["熊本県", "玉名市", "植え付け会", "経済課", "R6.6"],
        [None, None, "交流会", None, "R6.7"],
        [None, None, "講演会", "広報課", "R6.8"],
        [None, None, "展示会", None, "R6.9.1"],
        [None, None, None, None, "R6.10.1"],
    ]
    merges = ("A2:B2", "C2:C3", "D2:D3", "E2:E3", "A4:B4", "A5:A7", "B5:B7", "D5:D6", "C8:C9")
    sheet = read_sheet(workbook(tmp_path / "merged.xlsx", rows, merges))
    assert sheet.header_rows == (2, 3)
    got = [(r.at.row, r.printed_name, r.labels, r.description, r.department, r.period_text) for r in sheet.rows]
    assert got == [
        (4, "熊本県", ["熊本県", ""], "苗の贈呈", "環境政策課", "R6.4"),
        (5, "熊本県玉名市", ["熊本県", "玉名市"], "植え付け会", "経済課", "R6.6"),
        (6, "熊本県玉名市", ["熊本県", "玉名市"], "交流会", "経済課", "R6.7"),  # department merged over two records
        (7, "熊本県玉名市", ["熊本県", "玉名市"], "講演会", "広報課", "R6.8"),
        # one description over two rows; the merged label ends above it, and an empty cell is no label
        (8, "", [], "展示会", "", "R6.9.1\nR6.10.1"),
    ]


def test_sub_titles_under_a_group_title_are_the_columns_titles(tmp_path):
    """Two header rows: a group title spanning columns over sub-titles of their own, one of them no role's
    title (協定締結日, 事業費（千円）) — the header's second row is never a record, and a column is named by its
    own sub-title, not by the group over it (実施内容 over 協定締結日 is no description)."""
    rows = [
        TITLE + [None, None],
        ["No.", "交流自治体名", None, "実施内容", None, None, None],
        [None, "県", "市\n区\n町", "担当課", "協定締結日", "事業内容", "期間"],
        [1, "熊本県", None, "環境政策課", "S54.1.5", "苗の贈呈", "R6.4"],
        [2, "石川県", "金沢市", "経済課", None, "物産展", "R6.10.1"],
    ]
    merges = ("A2:A3", "B2:C2", "D2:G2")
    sheet = read_sheet(workbook(tmp_path / "group.xlsx", rows, merges))
    assert sheet.header_rows == (2, 3)
    got = [(r.printed_name, r.description, r.department, r.period_text) for r in sheet.rows]
    assert got == [("熊本県", "苗の贈呈", "環境政策課", "R6.4"), ("石川県金沢市", "物産展", "経済課", "R6.10.1")]
    rows[1][3:] = ["交流の実績", None, None, None]
    rows[2][4] = "事業費\n（千円）"
    sheet = read_sheet(
        workbook(
            tmp_path / "cost.xlsx",
            [rows[0], *rows[1:3], [1, "熊本県", None, "環境政策課", 4230, "苗の贈呈", "R6.4"]],
            ("B2:C2", "D2:G2"),
        )
    )
    assert sheet.header_rows == (2, 3)
    assert [(r.printed_name, r.description, r.period_text) for r in sheet.rows] == [("熊本県", "苗の贈呈", "R6.4")]


def test_values_are_read_as_printed(tmp_path):
    rows = [
        TITLE,
        ["交流自治体", "事業内容", "所管課", "実施期間", "備考"],
        ["石川県金沢市", 12, "経済課", dt.datetime(2024, 7, 5), True],  # the TRUE is in a column not read
        ["石川県金沢市", 12.0, 3.5, dt.date(2019, 4, 30), None],
        ["  石川県\n金沢市 ", "J-VER の\nクレジット購入", "環境\n政策課", "R6.7.5～\n10.6\nR6.11.1", None],
    ]
    sheet = read_sheet(workbook(tmp_path / "values.xlsx", rows))
    got = [(r.printed_name, r.description, r.department, r.period_text) for r in sheet.rows]
    assert got == [
        ("石川県金沢市", "12", "経済課", "R6.7.5"),
        ("石川県金沢市", "12", "3.5", "H31.4.30"),
        ("石川県金沢市", "J-VER のクレジット購入", "環境政策課", "R6.7.5～10.6\nR6.11.1"),
    ]


def test_a_csv_header_of_two_rows(tmp_path):
    rows = [
        TITLE,
        ["交流自治体", "", "事業内容", "所管課", "実施期間"],
        ["都道府県", "市区町村", "", "", ""],
        ["石川県", "金沢市", "工芸展", "経済課", "R6.10"],
    ]
    sheet = read_sheet(write_csv(tmp_path / "two-rows.csv", rows))
    assert sheet.header_rows == (2, 3)
    assert [(r.labels, r.description) for r in sheet.rows] == [(["石川県", "金沢市"], "工芸展")]


def test_a_formula_gives_the_value_excel_saved(tmp_path):
    rows = [HEADER, ["石川県", "金沢市", '=B2&"の事業"', "経済課", "R6.4"], ["石川県", "金沢市", "工芸展", '=""', "R6.5"]]
    path = workbook(tmp_path / "formula.xlsx", rows)
    with zipfile.ZipFile(path) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    sheet_xml = parts["xl/worksheets/sheet1.xml"].decode("utf-8")

    def saved_value(xml: str, ref: str, value: str) -> str:
        # what Excel writes for a formula with a text result: t="str" and the value beside the formula
        out = re.sub(rf'<c r="{ref}"><f>(.*?)</f><v\s*/?>(?:</v>)?', rf'<c r="{ref}" t="str"><f>\1</f><v>{value}</v>', xml)
        assert out != xml
        return out

    saved = saved_value(saved_value(sheet_xml, "C2", "金沢市の事業"), "D3", "")
    parts["xl/worksheets/sheet1.xml"] = saved.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    assert [(r.description, r.department) for r in read_sheet(path).rows] == [("金沢市の事業", "経済課"), ("工芸展", "")]


def test_a_row_of_labels_heads_the_rows_under_it_and_notes_are_not_records(tmp_path):
    rows = [
        ["交流自治体", "事業内容", "所管課", "実施期間"],
        ["岩手県盛岡市", None, None, None],
        [None, "講演と対談", "アカデミー推進課", "R6.7.5"],
        [None, None, None, None],
        ["※ 所管課は実施時点の名称", None, None, None],
        [None, "※ 実施期間の「R」は令和", None, None],
        [None, "表の外の注記", None, None],
    ]
    sheet = read_sheet(workbook(tmp_path / "notes.xlsx", rows, ("B7:D7",)))
    assert [(r.printed_name, r.description) for r in sheet.rows] == [("岩手県盛岡市", "講演と対談")]


def test_every_worksheet_with_a_table_is_read(tmp_path):
    """Each worksheet holding a table is a list of its own (here two fiscal years), whichever sheet is active;
    a sheet without a table is named in the warnings, never skipped without a word."""
    from ingest.sheet import read_sheets, read_spreadsheet

    wb = openpyxl.Workbook()
    first = wb.active
    first.title = "R5"
    for row in (HEADER, ["熊本県", "", "前年度の事業", "経済課", "R5.4"]):
        first.append(row)
    second = wb.create_sheet("R6")
    for row in (HEADER, ["熊本県", "", "今年度の事業", "経済課", "R6.4"]):
        second.append(row)
    wb.create_sheet("メモ")["A1"] = "担当: 国際交流係"
    wb.active = 1
    wb.save(tmp_path / "two.xlsx")
    sheets = read_sheets(tmp_path / "two.xlsx")
    assert [(s.sheet_name, [r.description for r in s.rows]) for s in sheets] == [
        ("R5", ["前年度の事業"]),
        ("R6", ["今年度の事業"]),
    ]
    assert sheets[0].rows[0].at.sheet == "R5" and str(sheets[1].rows[0].at) == "シート「R6」2行目"
    reports = read_spreadsheet(tmp_path / "two.xlsx")
    assert [r.fiscal_year for r in reports] == [2023, 2024]
    assert any("「メモ」" in w for w in reports[0].warnings)


def test_era_dates_read_back_as_the_same_day():
    rng = random.Random(6)
    days = [dt.date(2019, 4, 30), dt.date(2019, 5, 1), dt.date(1989, 1, 7), dt.date(1989, 1, 8), dt.date(1926, 12, 25)]
    days += [dt.date(1927, 1, 1) + dt.timedelta(rng.randrange(40000)) for _ in range(300)]
    for day in days:
        text = era_date_text(day)
        period = parse_period(text, era.fiscal_year_of(day))
        assert period.iso_intervals() == [[day.isoformat(), day.isoformat()]], text
    assert era_date_text(dt.date(2019, 4, 30)).startswith("H31.") and era_date_text(dt.date(2019, 5, 1)).startswith("R1.")
    assert era_date_text(dt.date(1989, 1, 7)).startswith("S64.") and era_date_text(dt.date(1989, 1, 8)).startswith("H1.")
    with pytest.raises(ValueError):
        era_date_text(dt.date(1926, 12, 24))


# ---------------------------------------------------------------------------------------------- refusals


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "euc-jp"])
def test_csv_in_another_encoding_is_refused(tmp_path, encoding):
    text = (SHEETS / "report-utf8.csv").read_text(encoding="utf-8")
    path = tmp_path / f"report-{encoding}.csv"
    path.write_bytes(text.encode(encoding, errors="replace"))
    message = refusal(path)
    assert "文字コード" in message or "交流実績の表が見つかりません" in message


def test_random_bytes_are_refused(tmp_path):
    for seed in range(5):
        path = tmp_path / f"noise{seed}.csv"
        path.write_bytes(random.Random(seed).randbytes(4096))
        refusal(path)
        xlsx = tmp_path / f"noise{seed}.xlsx"
        xlsx.write_bytes(b"PK\x03\x04" + random.Random(seed).randbytes(4096))
        assert "壊れています" in refusal(xlsx)


def test_workbook_without_the_header_is_refused(tmp_path):
    path = workbook(tmp_path / "memo.xlsx", [["令和６年度 事業報告"], ["交流自治体との事業は別紙のとおり"], ["所管課: 経済課"]])
    assert "交流実績の表が見つかりません" in refusal(path)


def test_truncated_and_damaged_workbooks_are_refused(tmp_path):
    data = (SHEETS / "report-two-row-header.xlsx").read_bytes()
    for cut in (len(data) // 2, len(data) - 30, 100):
        path = tmp_path / f"cut{cut}.xlsx"
        path.write_bytes(data[:cut])
        assert "壊れています" in refusal(path)
    path = tmp_path / "flipped.xlsx"  # a byte flipped inside a compressed part
    flipped = bytearray(data)
    flipped[len(data) // 3] ^= 0xFF
    path.write_bytes(bytes(flipped))
    refusal(path)


def test_old_xls_and_password_protected_workbooks_are_refused(tmp_path):
    xls = tmp_path / "report.xls"
    shutil.copy(SHEETS / "report-two-row-header.xlsx", xls)
    assert ".xlsx" in refusal(xls)
    assert "パスワード" in refusal(SHEETS / "bad" / "password-protected.xlsx")
    renamed = tmp_path / "renamed.xlsx"  # the encrypted file is an OLE container, like an .xls
    shutil.copy(SHEETS / "bad" / "password-protected.xlsx", renamed)
    assert "パスワード" in refusal(renamed)


def test_other_files_are_refused(tmp_path):
    (tmp_path / "empty.csv").write_bytes(b"")
    assert "空のファイル" in refusal(tmp_path / "empty.csv")
    shutil.copy(SHEETS / "report-utf8.csv", tmp_path / "report.txt")
    refusal(tmp_path / "report.txt")


@pytest.mark.slow
def test_files_over_the_limits_are_refused(tmp_path):
    big = tmp_path / "big.csv"
    with big.open("wb") as f:
        f.truncate(31 * 1024 * 1024)
    with pytest.raises(SheetTooLarge) as e:
        read_sheet(big)
    assert isinstance(e.value, TooLarge) and isinstance(e.value, NotAReport)
    rows = [HEADER] + [["熊本県", "", f"事業{i}", "経済課", "R6.4"] for i in range(MAX_ROWS)]
    with pytest.raises(SheetTooLarge):
        read_sheet(write_csv(tmp_path / "long.csv", rows))
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet()
    for row in rows:
        ws.append(row)
    wb.save(tmp_path / "long.xlsx")
    with pytest.raises(SheetTooLarge):
        read_sheet(tmp_path / "long.xlsx")


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ('=A3&"の事業"', "数式"),  # openpyxl saves no value for a formula
        ("#REF!", "エラー値"),
        (dt.datetime(2024, 7, 5), "日付"),
        (True, "真偽値"),
        ("金沢\ue000物産展", "外字"),
    ],
)
def test_a_cell_that_cannot_be_read_refuses_the_file_naming_it(tmp_path, value, words):
    rows = [HEADER, ["石川県", "金沢市", value, "経済課", "R6.4"]]
    message = refusal(workbook(tmp_path / "cell.xlsx", rows))
    assert words in message and "2行目 C列" in message and "row 2, column C" in message


@pytest.mark.parametrize("value", [dt.time(10, 0), dt.datetime(2024, 7, 5, 10, 30)])
def test_a_time_in_a_period_cell_is_refused(tmp_path, value):
    message = refusal(workbook(tmp_path / "time.xlsx", [HEADER, ["石川県", "金沢市", "物産展", "経済課", value]]))
    assert "2行目 E列" in message


def test_a_record_without_a_municipality_is_refused(tmp_path):
    from ingest.errors import MisreadTable
    from ingest.sheet import read_spreadsheet

    rows = [HEADER, ["", "", "物産展", "経済課", "R6.4"], ["熊本県", "", "苗の贈呈", "環境政策課", "R6.4"]]
    for path in (workbook(tmp_path / "nolabel.xlsx", rows), write_csv(tmp_path / "nolabel.csv", rows)):
        with pytest.raises(MisreadTable) as e:
            read_spreadsheet(path)
        assert "2行目 自治体名: 空欄" in str(e.value)


def test_a_table_without_a_municipality_column_is_refused(tmp_path):
    rows = [["事業内容", "所管課", "実施期間"], ["物産展", "経済課", "R6.4"]]
    assert "自治体の列が見つかりません" in refusal(write_csv(tmp_path / "nocolumn.csv", rows))


def test_a_csv_row_with_more_fields_than_the_header_is_refused(tmp_path):
    rows = [HEADER, ["石川県", "金沢市", "物産展", "開催", "経済課", "R6.4"]]  # a comma typed in a description
    assert "row 2 has 6 fields" in refusal(write_csv(tmp_path / "shifted.csv", rows))


# ---------------------------------------------------------------------------------------------- export CSV


def test_export_csv_is_told_apart_from_a_report_csv(tmp_path):
    _, records, _ = records_of(SHEETS / "report-utf8.csv")
    export = tmp_path / "export.csv"
    export.write_bytes(csv_bytes(records))
    assert is_export_csv(export)
    assert [r.description for r in read_export(export)[0].records] == [r.description for r in records]
    assert "koryu export" in refusal(export)
    for name in NAMES:
        assert not is_export_csv(fixture_path(name))
    assert not is_export_csv(tmp_path / "missing.csv")
    noise = tmp_path / "noise.csv"
    noise.write_bytes(random.Random(1).randbytes(2048))
    assert not is_export_csv(noise)


def test_subtotal_and_total_lines_in_a_csv_are_skipped_and_counted(tmp_path):
    from ingest.sheet import read_spreadsheet

    lines = (SHEETS / "report-utf8.csv").read_text(encoding="utf-8").splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("都道府県"))
    with_totals = lines[: header + 3] + ["小計,,4件,,"] + lines[header + 3 :] + ["合計,,,,", ",,計,,"]
    path = tmp_path / "totals.csv"
    path.write_text("\n".join(with_totals) + "\n", encoding="utf-8")
    (plain,) = read_spreadsheet(SHEETS / "report-utf8.csv")
    (report,) = read_spreadsheet(path)
    assert [r.description for r in report.records] == [r.description for r in plain.records]
    (warning,) = [w for w in report.warnings if "小計・合計" in w]
    assert "2行" in warning and f"（{header + 4}行目、" in warning  # 合計 and the 計 under it read as one line


@pytest.mark.parametrize("name", ["two-lists-one-sheet", "two-lists-two-sheets"])
def test_two_lists_in_a_workbook_become_two_reports(tmp_path, name):
    """A second titled list, further down the sheet or on a second worksheet, is a report of its own (its own
    series), stored beside the first — never its rows under the first list's title, never skipped."""
    import ingest
    import store
    from ingest.sheet import read_spreadsheet

    reports = read_spreadsheet(SHEETS / f"{name}.xlsx")
    assert [(r.series, len(r.records)) for r in reports] == [
        ("交流実績一覧（協定等締結自治体）", 92),
        ("交流実績一覧（協定等締結自治体以外）", 31),
    ]
    db = store.open(tmp_path / "k.db")
    (outcome,) = ingest.ingest_paths(db, [SHEETS / f"{name}.xlsx"])
    assert outcome.ok and sorted(r["series"] for r in db.reports()) == sorted(r.series for r in reports)
