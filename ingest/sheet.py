"""Reading the report table from the spreadsheet it was printed from (.xlsx), or a CSV saved from it.

    file → cells (values, merged ranges) → header rows and column roles → one row per description cell
         → municipality labels (merged ranges, "same as above" fill-down) → `ingest.table.Row`s

The rows are the PDF reader's `Row`s, so `ingest.report` turns them into records the same way, and one
report read from its PDF or from its spreadsheet gives the same records. Column roles come from the PDF
reader's `column_role` (one word list for both); a cell's lines are joined as printed lines are
(`join_wrapped`, and `join_period_lines` for 実施期間, which keeps separate dated items on separate lines).
`Row.page` is the 1-based spreadsheet row where the record starts; for a CSV, its record number, which is
the row Excel shows when it opens the file.

What is read, and how:

- The header is the first row, among the first `HEADER_SEARCH_ROWS` rows with content, whose short cells
  name the description and at least one other role. A header cell merged down, or a group title over
  sub-titles on the next row (交流自治体 over 都道府県 | 市区町村), makes a header of two rows (at most
  `MAX_HEADER_ROWS`); a column's role comes from its lowest title that names one. Cells above the header
  give the title (the first naming a fiscal year, else the first).
- A merged cell's top-left value applies to every row of its range (a municipality over many rows, a
  department shared by several records); across columns it applies to every header column, but in the
  table body only to the range's first column (a prefecture partner written across 都道府県 | 市区町村 is
  one label, not two).
- A record is one description cell (a description merged down over several rows is one record with every
  other cell of those rows). Rows with no description, department or period are not records (blank and
  spacer rows, notes in the first column); neither are notes in the description column (「※…」, or text
  merged across the table with no department or period) or a repeated header.
- Municipality labels, by evidence: a label cell's own text (a merged range gives it to every row it covers),
  〃 / 同上 (as above), a row of labels alone over the rows under it, or a heading row across a table without a
  label column (■ 石川県金沢市). An empty, unmerged label cell of a workbook is no label: the row is refused by
  the checks. A CSV keeps no merged cells — Excel saves one as its value over empty cells — so there an empty
  label (and an empty department beside the same label) takes the row above's, said in the warnings. A row
  whose inner label is printed without its outer one (empty 都道府県, 玉名市) takes the outer one from above
  unless a printed label already names its prefecture; a label cell left empty beside a printed prefecture is
  not filled (熊本県 | empty is the prefecture itself).
- Every worksheet with a table is read, and every table further down a sheet after a list's title: each is a
  list of its own (`read_sheets`); a sheet without a table is named in the warnings. Text in a column the
  header gives no title refuses the file (`--force` stores the rest, the text in the warnings).
- Values: text is stripped, NFC (`store.normalize.repair`, as PDF text is); a number is its plain text
  (12, not 12.0); a date in a 実施期間 cell is written the way reports print it (`era_date_text`:
  2024-07-05 → R6.7.5) so the same period grammar reads it; a formula gives the value Excel saved.

Refusals are `ingest.report.NotAReport` (an `IngestError`) with a one-line message, "<file name>:
<Japanese> / <English>", naming the row and column when one cell is to blame: no header; an old .xls or a
password-protected or damaged workbook; no municipality column; a CSV in an encoding other than UTF-8 or CP932 (Shift_JIS as
Japanese Excel writes it); a file over 30 MB or a table over `MAX_ROWS` rows (`SheetTooLarge`, also a
`TooLarge`); a cell that cannot be read (an error value such as #REF!, a formula whose value was never
saved, a date outside 実施期間, a time, TRUE/FALSE, a private-use 外字 character); a record without any
municipality; a CSV row with more fields than the header.

Libraries: openpyxl reads .xlsx in its normal mode, the one that keeps merged ranges (its read_only mode
does not see them), with data_only=True so a formula gives its saved value. Rejected: pandas (a heavy
dependency for a bot process, and read_excel drops merged ranges, leaving NaN in every covered cell);
xlrd (reads only the old .xls since version 2; such files are refused with a hint to save as .xlsx).
CSV: the standard csv module.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest.build import FileFacts, Report, report_from_rows
from ingest.errors import NotAReport, TooLarge
from ingest.files import MAX_FILE_BYTES, has_signature
from ingest.roles import column_roles, is_header_word, is_title, names_a_table
from ingest.rows import (
    DITTO_MARKS,
    NONE_MARKS,
    Location,
    Row,
    combine_labels,
    is_total_word,
    join_period_lines,
    join_wrapped,
)
from store import era
from store.normalize import repair
from store.titles import title_of

MAX_ROWS = 20_000  # a yearly report has a few hundred rows; the limit keeps a stray sheet from filling memory
MAX_UNPACKED_BYTES = 100 * 1024 * 1024  # an .xlsx is a zip: its parts may not unpack past this (a 20,000-row sheet is ~15 MB)
HEADER_SEARCH_ROWS = 10  # the header is among the first rows with content (a title and notes may sit above)
MAX_HEADER_ROWS = 3

XLSX_SUFFIXES = (".xlsx", ".xlsm")
CSV_SUFFIXES = (".csv",)
OLD_EXCEL_SUFFIXES = (".xls",)
SUFFIXES = XLSX_SUFFIXES + CSV_SUFFIXES + OLD_EXCEL_SUFFIXES

_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE compound file: an .xls, or an encrypted .xlsx inside one
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")  # the stream an encrypted OOXML package holds

# labels that mean "as above" (not "none": a dash in the city column of a prefecture partner means no city)
_DITTO = set(DITTO_MARKS)
_NOTE = re.compile(r"^\s*(?:※|＊|\*|[(（]注\d*[)）]|注\d*[:：)）])")


class SheetTooLarge(TooLarge, NotAReport):
    """A spreadsheet over the file size, unpacked size or row limit (a `TooLarge` and a `NotAReport`)."""


@dataclass
class Sheet:
    """One table (list) of a workbook or CSV file.

    title: the list's title from the cells above its header ("" if none); rows: `ingest.rows.Row`s in
    sheet order, one per record, `at.row` = 1-based row where the record starts, top/bottom 0; kind:
    "xlsx" | "csv"; encoding: the CSV's text encoding ("utf-8-sig", "utf-8" or "cp932"), "" for xlsx;
    sheet_name: the worksheet read ("" for CSV); header_rows: (first, last) 1-based rows of the header;
    roles: the column roles its header names (description, department, period, municipality), once per column.
    """

    title: str
    rows: list[Row]
    kind: str
    encoding: str = ""
    sheet_name: str = ""
    header_rows: tuple[int, int] = (0, 0)
    roles: tuple[str, ...] = ()  # the column roles the header names, once per column naming one
    warnings: list[str] = field(default_factory=list)  # sheets skipped, labels and departments filled down (CSV)
    unaccounted: list[str] = field(default_factory=list)  # cells no field, header or title accounts for


# ---------------------------------------------------------------------------------------------- public


def read_sheet(path: str | Path) -> Sheet:
    """The first table of a workbook or CSV file (`read_sheets`, same errors)."""
    return read_sheets(path)[0]


def read_sheets(path: str | Path) -> list[Sheet]:
    """Read every report table from an .xlsx (or .xlsm) workbook or a CSV file: each worksheet, and each
    titled table further down a worksheet, is one `Sheet` (a list of its own); a worksheet without a table is
    named in the first Sheet's warnings.

    path: the file; its suffix says which (.xlsx/.xlsm, .csv; .xls is refused with a hint to save it as
    .xlsx), its first bytes are checked too (a zip is a workbook, an OLE file an .xls or an encrypted one).
    Raises `NotAReport` (or `SheetTooLarge`), one-line messages, never another error for a bad file.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise NotAReport(f"{path.name}: 対応していない形式です / not an .xlsx or .csv file")
    data = _read_bytes(path)
    if data.startswith(_CFB_MAGIC):
        if _ENCRYPTION_INFO in data:
            raise NotAReport(f"{path.name}: パスワード付きのExcelファイルは読めません / the workbook is password-protected")
        raise NotAReport(_old_excel_message(path.name))
    if suffix in OLD_EXCEL_SUFFIXES:
        raise NotAReport(_old_excel_message(path.name))
    if suffix in XLSX_SUFFIXES or has_signature(".xlsx", data):
        return _read_xlsx(path.name, data)
    return _read_csv(path.name, data)


def is_export_csv(path: str | Path) -> bool:
    """True when the file is a `koryu export` CSV (a header row naming fiscal_year, municipality and
    description, the columns `Record.from_dict` needs), False for anything else, a report CSV included.

    Reads the first 64 KiB only; never raises (a file that cannot be read is not an export).
    """
    try:
        with open(path, "rb") as f:
            head = f.read(64 * 1024)
    except OSError:
        return False
    for encoding in ("utf-8-sig", "cp932"):
        try:
            text = head.decode(encoding)
            break
        except UnicodeDecodeError as e:
            if e.start >= len(head) - 4:  # a character cut at the 64 KiB boundary
                text = head[: e.start].decode(encoding, errors="ignore")
                break
    else:
        return False
    return _export_header(text)


_ERA_FIRST_DAYS = (  # the first day of each era, as in store/era.py: 令和 1 May 2019, 平成 8 Jan 1989, 昭和 25 Dec 1926
    ("R", dt.date(era.ERA_FIRST_YEAR["令和"], 5, 1)),
    ("H", dt.date(era.ERA_FIRST_YEAR["平成"], 1, 8)),
    ("S", dt.date(era.ERA_FIRST_YEAR["昭和"], 12, 25)),
)


def era_date_text(day: dt.date) -> str:
    """A date as reports print it: 2024-07-05 → "R6.7.5", 2019-04-30 → "H31.4.30", 2019-05-01 → "R1.5.1".

    Raises ValueError for a day before 昭和 (1926-12-25).
    """
    for letter, first in _ERA_FIRST_DAYS:
        if day >= first:
            return f"{letter}{day.year - first.year + 1}.{day.month}.{day.day}"
    raise ValueError(f"{day.isoformat()} is before 昭和")


# ---------------------------------------------------------------------------------------------- files


def _old_excel_message(name: str) -> str:
    return f"{name}: 古い形式（.xls）のExcelファイルです。Excelで .xlsx 形式で保存し直してください / an old .xls workbook: save it as .xlsx"


def _read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise SheetTooLarge(
                f"{path.name}: ファイルが大きすぎます / the file is {size / 1e6:.0f} MB, over the {MAX_FILE_BYTES // 10**6} MB limit"
            )
        data = path.read_bytes()
    except OSError as e:
        raise NotAReport(f"{path.name}: ファイルを読めません / cannot read the file ({e.strerror})") from None
    if not data:
        raise NotAReport(f"{path.name}: 空のファイルです / the file is empty")
    return data


class _Error(str):
    """An Excel error value (#REF!, #N/A, …) as openpyxl reads it."""


@dataclass
class _Grid:
    """A sheet's cells: (row, column) 1-based → value; merged ranges as (min_row, min_col, max_row, max_col)."""

    name: str
    kind: str
    cells: dict[tuple[int, int], Any]
    n_rows: int
    n_cols: int
    ranges_by_row: dict[int, list[tuple[int, int, int, int]]] = field(default_factory=dict)
    formulas: set[tuple[int, int]] = field(default_factory=set)  # cells holding a formula (xlsx)
    empty_results: set[tuple[int, int]] = field(default_factory=set)  # formulas whose saved value is "" (t="str")

    def range_at(self, r: int, c: int) -> tuple[int, int, int, int] | None:
        for rng in self.ranges_by_row.get(r, ()):
            if rng[1] <= c <= rng[3]:
                return rng
        return None

    def header_value(self, r: int, c: int) -> Any:
        """The value shown at (r, c): a merged range's top-left value over all of it."""
        rng = self.range_at(r, c)
        return self.cells.get((rng[0], rng[1]) if rng else (r, c))

    def body_value(self, r: int, c: int) -> tuple[Any, tuple[int, int] | None]:
        """(value, its cell) at (r, c) in the table body: a merged range's value down its first column only;
        a cell a range covers sideways is empty (cell None)."""
        rng = self.range_at(r, c)
        if rng is None:
            return self.cells.get((r, c)), (r, c)
        if rng[1] != c:
            return None, None
        return self.cells.get((rng[0], rng[1])), (rng[0], rng[1])

    def where(self, r: int, c: int) -> tuple[str, str]:
        """(Japanese, English) name of a cell for messages: ("5行目 D列", "row 5, column D")."""
        from openpyxl.utils.cell import get_column_letter

        letter = get_column_letter(c)
        return f"{r}行目 {letter}列", f"row {r}, column {letter}"


def _read_xlsx(name: str, data: bytes) -> list[Sheet]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            unpacked = sum(i.file_size for i in z.infolist())
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as e:
        raise NotAReport(f"{name}: Excelファイルが壊れています / the workbook is damaged ({type(e).__name__})") from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise SheetTooLarge(
            f"{name}: 展開すると大きすぎます / the workbook unpacks to {unpacked / 1e6:.0f} MB, "
            f"over the {MAX_UNPACKED_BYTES // 2**20} MB limit"
        )
    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about features it skips (data validation, styles)
            wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as e:  # openpyxl raises many kinds for damaged parts (KeyError, zlib, XML errors)
        raise NotAReport(f"{name}: Excelファイルが壊れています / the workbook is damaged ({type(e).__name__})") from None
    out: list[Sheet] = []
    skipped: list[str] = []
    try:
        for ws in wb.worksheets:  # in the workbook's order: a cover sheet first is named as skipped
            if not hasattr(ws, "merged_cells"):
                continue  # a chart sheet
            grid = _grid_of_worksheet(name, ws)
            if _find_header(grid, 1) is None:
                if grid.cells:
                    skipped.append(ws.title)
                continue
            if grid.n_rows > MAX_ROWS:
                raise SheetTooLarge(
                    f"{name}: 行数が多すぎます / the sheet has {grid.n_rows} rows, over the {MAX_ROWS:,}-row limit"
                )
            grid.formulas = _formula_cells(data, ws.title, grid.n_rows, grid.n_cols)
            out += [
                Sheet(t.title, t.rows, "xlsx", "", ws.title, t.header, t.roles, [], t.unaccounted) for t in _read_tables(grid)
            ]
    finally:
        wb.close()
    if not out:
        raise NotAReport(f"{name}: 交流実績の表が見つかりません / no table with 事業内容 / 実施期間 columns")
    if len({s.sheet_name for s in out}) > 1:  # rows say which worksheet they are on
        for sheet in out:
            for row in sheet.rows:
                row.at = Location(row=row.at.row, sheet=sheet.sheet_name)
    if skipped:
        names = "、".join(f"「{n}」" for n in skipped)
        out[0].warnings.append(f"表のないシートを読み飛ばしました / sheets without a report table skipped: {names}")
    return out


def _grid_of_worksheet(name: str, ws) -> _Grid:
    cells: dict[tuple[int, int], Any] = {}
    # ws._cells holds only the cells the file has; iter_rows would create every missing one in the used range
    empty_results: set[tuple[int, int]] = set()
    for (r, c), cell in ws._cells.items():
        value = cell.value
        if value is None and cell.data_type == "str":
            empty_results.add((r, c))  # a formula whose saved result is the empty string
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        cells[(r, c)] = _Error(value) if cell.data_type == "e" else value
    n_rows = max((r for r, _ in cells), default=0)
    n_cols = max((c for _, c in cells), default=0)
    grid = _Grid(name, "xlsx", cells, n_rows, n_cols, empty_results=empty_results)
    if n_rows > MAX_ROWS:
        return grid  # refused by the caller if it holds the table; ranges not needed
    for rng in ws.merged_cells.ranges:
        min_col, min_row, max_col, max_row = rng.bounds
        bounds = (min_row, min_col, max_row, max_col)
        for r in range(min_row, min(max_row, n_rows) + 1):
            grid.ranges_by_row.setdefault(r, []).append(bounds)
    return grid


def _formula_cells(data: bytes, sheet_title: str, n_rows: int, n_cols: int) -> set[tuple[int, int]]:
    """Cells holding a formula, from a second, streaming read that keeps formulas (data_only=False). A
    formula whose value was never saved (a file written by a script, never opened in Excel) reads as empty
    with data_only; it must refuse the file, not pass as an empty cell."""
    import openpyxl
    from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

    out: set[tuple[int, int]] = set()
    if not n_rows or not n_cols:
        return out
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        ws = wb[sheet_title]
        for row in ws.iter_rows(min_row=1, max_row=n_rows, max_col=n_cols):
            for cell in row:
                v = getattr(cell, "value", None)
                if isinstance(v, (ArrayFormula, DataTableFormula)) or (isinstance(v, str) and v.startswith("=")):
                    out.add((cell.row, cell.column))
    finally:
        wb.close()
    return out


def _read_csv(name: str, data: bytes) -> list[Sheet]:
    text, encoding = _decode(name, data)
    cells: dict[tuple[int, int], Any] = {}
    n_rows = n_cols = 0
    try:
        for r, fields in enumerate(csv.reader(io.StringIO(text, newline=""), strict=True), start=1):
            for c, value in enumerate(fields, start=1):
                if value.strip():
                    cells[(r, c)] = value
                    n_rows, n_cols = r, max(n_cols, c)
            if n_rows > MAX_ROWS:
                raise SheetTooLarge(f"{name}: 行数が多すぎます / the file has over {MAX_ROWS:,} rows")
    except csv.Error as e:
        raise NotAReport(f"{name}: CSVとして読めません / not a readable CSV ({str(e)[:80]})") from None
    grid = _Grid(name, "csv", cells, n_rows, n_cols)
    if _find_header(grid, 1) is None:
        if _export_header(text):
            raise NotAReport(f"{name}: koryu export のCSVで、報告書の表ではありません / a koryu export CSV, not a report table")
        raise NotAReport(f"{name}: 交流実績の表が見つかりません / no table with 事業内容 / 実施期間 columns")
    return [Sheet(t.title, t.rows, "csv", encoding, "", t.header, t.roles, t.warnings, t.unaccounted) for t in _read_tables(grid)]


def _export_header(text: str) -> bool:
    """True when the text's first CSV row names the columns a `koryu export` file has."""
    try:
        first = next(csv.reader(io.StringIO(text, newline="")), [])
    except csv.Error:
        return False
    return {"fiscal_year", "municipality", "description"} <= {unicodedata.normalize("NFKC", n).strip().lower() for n in first}


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _decode(name: str, data: bytes) -> tuple[str, str]:
    """UTF-8 with BOM, UTF-8, then CP932 (what Japanese Excel writes as "CSV"). Control characters other
    than tab and line breaks mean the guess was wrong (UTF-16, a binary file): refused."""
    refusal = NotAReport(
        f"{name}: 文字コードを判別できません（UTF-8 か Shift_JIS で保存してください） / unknown text encoding (save it as UTF-8 or Shift_JIS)"
    )
    candidates = ("utf-8-sig",) if data.startswith(codecs.BOM_UTF8) else ("utf-8", "cp932")
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _CONTROL.search(text):
            raise refusal
        return text, encoding
    raise refusal


# ---------------------------------------------------------------------------------------------- cells


def _plain(value: Any) -> str:
    """A value as header or title text: strings and numbers; anything else is no title."""
    if isinstance(value, bool) or isinstance(value, _Error):
        return ""
    if isinstance(value, str):
        return join_wrapped(_lines(value))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return ""


def _lines(text: str) -> list[str]:
    text = repair(text).replace("\r\n", "\n").replace("\r", "\n")
    return [line.strip() for line in text.split("\n") if line.strip()]


def _cell_lines(grid: _Grid, value: Any, at: tuple[int, int] | None, role: str) -> list[str]:
    """A body cell's printed lines. Raises NotAReport for a value that cannot be read as the role's text."""
    if at is None:
        return []
    ja, en = grid.where(*at)

    def refuse(ja_reason: str, en_reason: str) -> NotAReport:
        return NotAReport(f"{grid.name}: {ja}{ja_reason} / {en}: {en_reason}")

    if value is None:
        if at in grid.formulas and at not in grid.empty_results:
            raise refuse(
                "の数式に保存された値がありません（Excelで開いて保存し直してください）",
                "a formula without a saved value (open and save it in Excel)",
            )
        return []

    if isinstance(value, _Error):
        raise refuse(f"がエラー値です（{value}）", f"an error value ({value})")
    if isinstance(value, bool):
        raise refuse(f"が真偽値です（{value}）", f"a TRUE/FALSE value where text belongs ({value})")
    if isinstance(value, dt.datetime | dt.date):
        if role != "period":
            raise refuse("が日付です（文字で入力してください）", "a date where text belongs (type it as text)")
        if isinstance(value, dt.datetime) and value.time() != dt.time(0):
            raise refuse("の日付に時刻が付いています", f"a date with a time of day ({value.isoformat(' ')})")
        day = value.date() if isinstance(value, dt.datetime) else value
        try:
            return [era_date_text(day)]
        except ValueError:
            raise refuse("の日付が昭和より前です", f"a date before 昭和 ({day.isoformat()})") from None
    if isinstance(value, dt.time | dt.timedelta):
        raise refuse("が時刻です", f"a time where a date or text belongs ({value})")
    if isinstance(value, int):
        return [str(value)]
    if isinstance(value, float):
        return [str(int(value)) if value.is_integer() else repr(value)]
    if not isinstance(value, str):
        raise refuse("を読めません", f"cannot read a {type(value).__name__} value")
    lines = _lines(value)
    if any(unicodedata.category(ch) == "Co" for line in lines for ch in line):
        raise refuse("に外字（私用領域の文字）があります", "a private-use character (外字) that has no standard form")
    if any(_CONTROL.search(line) for line in lines):
        raise refuse("に制御文字があります", "a control character")
    return lines


# ---------------------------------------------------------------------------------------------- header


def _header_texts(grid: _Grid, r: int) -> list[str]:
    return [_plain(grid.header_value(r, c)) for c in range(1, grid.n_cols + 1)]


def _find_header(grid: _Grid, start: int) -> tuple[int, int] | None:
    """(first, last) header row at or below row `start`, or None when the first rows with content there hold
    no header."""
    seen = 0
    for r in range(start, grid.n_rows + 1):
        texts = _header_texts(grid, r)
        if not any(texts):
            continue
        seen += 1
        if seen > HEADER_SEARCH_ROWS:
            return None
        if names_a_table(texts):
            return r, _header_bottom(grid, r)
    return None


def _header_bottom(grid: _Grid, top: int) -> int:
    """The header's last row: down to where its cells merged down end, or one more row of sub-titles under
    a group title (交流自治体 over 都道府県 | 市区町村). A row holding anything but short titles in cells of
    its own is data, never header."""
    cols = range(1, grid.n_cols + 1)
    bottom = top
    for c in cols:
        rng = grid.range_at(top, c)
        if rng:
            bottom = max(bottom, rng[2])
    bottom = min(bottom, top + MAX_HEADER_ROWS - 1)
    if bottom == top:
        below = top + 1
        own = [c for c in cols if grid.cells.get((below, c)) is not None]
        grouped = [c for c in own if not _plain(grid.header_value(top, c)) or _spans_columns(grid.range_at(top, c))]
        if own and grouped and _sub_titles(grid, below, own):
            bottom = below
        return bottom
    for s in range(top + 1, bottom + 1):
        own = [
            c
            for c in cols
            if grid.cells.get((s, c)) is not None and not ((rng := grid.range_at(s, c)) and rng[0] < s)  # not merged down
        ]
        if not _sub_titles(grid, s, own):
            return s - 1
    return bottom


def _sub_titles(grid: _Grid, r: int, cells: list[int]) -> bool:
    """True when row r's own cells (columns `cells`) are a header's sub-titles: each a role's title, or under a
    group title spanning columns a short word of its own (県 | 市区町, 事業費（千円） under 交流の実績); at least one
    a role's title (a first data row holds none)."""
    texts = {c: _plain(grid.cells[(r, c)]) for c in cells}
    fits = all(is_title(t) or _spans_columns(grid.range_at(r - 1, c)) and is_header_word(t) for c, t in texts.items())
    return fits and any(is_title(t) for t in texts.values())


def _spans_columns(rng: tuple[int, int, int, int] | None) -> bool:
    return rng is not None and rng[3] > rng[1]


@dataclass
class _Columns:
    description: list[int]
    department: list[int]
    period: list[int]
    municipality: list[int]
    width: int  # the header's last titled column
    titled: set[int] = field(default_factory=set)  # columns the header gives a title (a role's or another)


def _columns(grid: _Grid, header: tuple[int, int]) -> _Columns:
    top, bottom = header
    out = _Columns([], [], [], [], 0)
    titles: list[str] = []
    for c in range(1, grid.n_cols + 1):
        texts: list[str] = []
        own: list[str] = []  # texts of cells not spanning columns: a group title over several is a heading
        for r in range(top, bottom + 1):
            t = _plain(grid.header_value(r, c))
            if t and (not texts or texts[-1] != t):
                texts.append(t)
                if not _spans_columns(grid.range_at(r, c)):
                    own.append(t)
        if texts:
            out.width = c
            out.titled.add(c)
        # a column's own title under a group (協定締結日 under 実施内容) is its title, a role's or none
        titles.append(next((t for t in reversed(own or texts) if is_title(t)), ""))
    for c, role in enumerate(column_roles(titles), start=1):  # of two claiming one field, the plainer keeps it
        if role != "other":
            getattr(out, role).append(c)
    return out


# ---------------------------------------------------------------------------------------------- table


def _title(grid: _Grid, top: int, header_top: int) -> str:
    """The list's title among the rows from `top` to the header (`store.titles.title_of`)."""
    lines = []
    for r in range(top, header_top):
        seen = set()
        for c in range(1, grid.n_cols + 1):
            rng = grid.range_at(r, c)
            key = (rng[0], rng[1]) if rng else (r, c)
            if key in seen:
                continue
            seen.add(key)
            t = _plain(grid.header_value(r, c))
            if t:
                lines.append(t)
    return title_of(lines)


@dataclass
class _Table:
    """One table read from a grid: its title, header rows, rows, column roles, warnings, unaccounted cells."""

    title: str
    header: tuple[int, int]
    rows: list[Row]
    roles: tuple[str, ...]
    warnings: list[str]
    unaccounted: list[str]


def _read_tables(grid: _Grid) -> list[_Table]:
    """Every table on a worksheet (or CSV), top to bottom: a header, its rows, up to the next list's title."""
    out: list[_Table] = []
    start = 1
    while start <= grid.n_rows:
        header = _find_header(grid, start)
        if header is None:
            break
        table, end = _read_table(grid, header, _title(grid, start, header[0]))
        out.append(table)
        start = end
    return out


def _list_title_row(grid: _Grid, r: int) -> bool:
    """A row holding nothing but a list's title (令和６年度交流実績一覧（協定等締結自治体以外））: the next table starts."""
    from store.titles import is_list_title

    texts = {_plain(grid.cells[(r, c)]) for c in range(1, grid.n_cols + 1) if (r, c) in grid.cells} - {""}
    return len(texts) == 1 and is_list_title(next(iter(texts))) and not names_a_table(list(texts))


def _read_table(grid: _Grid, header: tuple[int, int], title: str) -> tuple[_Table, int]:
    """The table under the header, and the row where the next list's title stands (past the grid's last row
    when none). A table without a label column takes its municipalities from heading rows across it (■ 石川県
    金沢市). Raises NotAReport for a cell that cannot be read, a table with neither label column nor heading
    rows, or (CSV) a row with more fields than the header."""
    from ingest.linking import heading_name

    cols = _columns(grid, header)
    main = cols.description[0]
    header_texts = [_header_texts(grid, h) for h in range(header[0], header[1] + 1)]
    rows: list[Row] = []
    warnings: list[str] = []
    unaccounted: list[str] = []
    filled: list[int] = []  # CSV rows whose empty label (and department) cells took the row above's
    previous: list[str] | None = None
    heading_labels: list[str] | None = None  # a row of labels alone: its rows below take them
    heading = ""
    r = header[1] + 1
    while r <= grid.n_rows:
        rng = grid.range_at(r, main)
        if rng and rng[1] == main and rng[0] < r:
            r += 1  # inside a description merged down from a row already read
            continue
        last = min(rng[2], grid.n_rows) if rng and rng[1] == main else r
        if grid.kind == "csv":
            extra = [c for c in range(cols.width + 1, grid.n_cols + 1) if (r, c) in grid.cells]
            if extra:
                raise NotAReport(
                    f"{grid.name}: {r}行目の列が見出しより多くあります / row {r} has {max(extra)} fields, the header {cols.width}"
                )
        if _header_texts(grid, r) in header_texts:
            r = last + 1  # the header repeated inside the table (a copy of one of its rows)
            continue
        if _list_title_row(grid, r):
            break
        description, department, period_text = _record_text(grid, cols, r, last)
        is_record = bool(description or department or period_text)
        if _NOTE.match(_alone(grid, r)):
            r = last + 1  # a note alone on its row (※ 実施期間は予定を含む。), in whichever column it starts
            continue
        if not cols.municipality:
            alone = _alone(grid, r)
            name = heading_name(alone) if alone else ""
            if name or alone and not (department or period_text):  # a heading row: its rows follow under it
                heading = name  # "" for one naming no municipality: the rows under it have none
                r = last + 1
                continue
            labels, how = ([heading], "heading") if heading else (None, "")
        else:
            labels, how = _labels(grid, r, cols.municipality, previous)
            if labels is None and heading_labels:  # under a row of labels alone: a heading over its rows
                labels, how = list(heading_labels), "heading"
        if is_record and not department and not period_text and _is_note(grid, cols, r, description):
            r = last + 1
            continue
        if not is_record:
            # a row of labels alone heads the records under it; a note in the first column does not
            if labels and not any(_NOTE.match(t) for t in labels):
                previous = heading_labels = labels
            r = last + 1
            continue
        unaccounted += _untitled_cells(grid, cols, r, last)
        if grid.kind == "csv" and not department and rows and rows[-1].labels == labels and rows[-1].department:
            department = rows[-1].department  # a department merged over rows of one partner, as the CSV saved it
            how = how if how == "fill-down" else "printed, department filled down"
        if "fill-down" in how or "filled down" in how:
            filled.append(r)
        if how in ("printed", "merged"):
            heading_labels = None  # a row's own label ends what a heading row above said
        if not any(is_total_word(_plain(label)) for label in labels or []):
            previous = labels  # a 小計 line's word is no label for the rows under it
        rows.append(
            Row(
                Location(row=r),
                0.0,
                0.0,
                description,
                department,
                period_text,
                list(labels or []),
                combine_labels(labels or []),
                how,
            )
        )
        r = last + 1
    if not cols.municipality and not any(row.label_how == "heading" for row in rows):
        raise NotAReport(f"{grid.name}: 自治体の列が見つかりません / no municipality column (交流自治体, 都道府県, 市区町村 …)")
    if filled:
        where = "、".join(f"{n}行目" for n in filled[:5]) + ("…" if len(filled) > 5 else "")
        warnings.append(
            f"CSVの空欄を上の行の自治体・所管課で補いました（結合セルの保存形） / empty label or department cells of a CSV taken "
            f"from the row above, as Excel saves merged cells: {len(filled)}行（{where}）"
        )
    roles = tuple(role for role in ("description", "department", "period", "municipality") for _ in getattr(cols, role))
    return _Table(title, header, rows, roles, warnings, unaccounted), r


def _alone(grid: _Grid, r: int) -> str:
    """The one text a row holds (alone in a cell, or merged across the row), or "" when it holds several."""
    texts = {_plain(grid.cells[(r, c)]) for c in range(1, grid.n_cols + 1) if (r, c) in grid.cells} - {""}
    return next(iter(texts)) if len(texts) == 1 else ""


def _untitled_cells(grid: _Grid, cols: _Columns, r: int, last: int) -> list[str]:
    """Cells of rows r..last in columns the header gives no title (inside the table's width): text no field
    accounts for, as 「5行目 F列「…」」."""
    out = []
    for s in range(r, last + 1):
        for c in range(1, cols.width + 1):
            if c in cols.titled or grid.range_at(s, c) is not None:
                continue
            value = grid.cells.get((s, c))
            if value is not None and _plain(value):
                ja, _ = grid.where(s, c)
                out.append(f"{ja}「{_plain(value)[:30]}」")
    return out


def _record_text(grid: _Grid, cols: _Columns, r: int, last: int) -> tuple[str, str, str]:
    """(description, department, period_text) of the record in rows r..last: every cell of the role's
    columns in those rows once (a cell merged over several records gives each its value)."""

    def lines_of(columns: list[int], role: str) -> list[str]:
        out: list[str] = []
        seen: set[tuple[int, int]] = set()
        for c in columns:
            for s in range(r, last + 1):
                value, at = grid.body_value(s, c)
                if at is None or at in seen:
                    continue
                seen.add(at)
                out.extend(_cell_lines(grid, value, at, role))
        return out

    # two description columns (事業名 | 事業内容) are one description, joined by an ideographic space
    parts = [join_wrapped(lines_of([c], "description")) for c in cols.description]
    return (
        "\u3000".join(p for p in parts if p),
        join_wrapped(lines_of(cols.department, "department")),
        join_period_lines(lines_of(cols.period, "period")),
    )


def _is_note(grid: _Grid, cols: _Columns, r: int, description: str) -> bool:
    """A description-only row that is a note: 「※…」, 「(注)…」, or text merged across the table's
    department or period column."""
    if _NOTE.match(description):
        return True
    rng = grid.range_at(r, cols.description[0])
    return rng is not None and any(rng[1] <= c <= rng[3] for c in cols.department + cols.period)


def _labels(grid: _Grid, r: int, columns: list[int], previous: list[str] | None) -> tuple[list[str] | None, str]:
    """The row's municipality labels, one per column, and how they were found ("printed", "merged", "ditto",
    "fill-down"); (None, "") when the row shows none.

    Labels by evidence: a label cell's own text (a merged range gives every row it covers its value), or 〃 /
    同上 (as above). An empty cell of its own is no label in a workbook (the row is refused by the checks); in a
    CSV, where Excel saves a merged cell as its value and empty cells below, it takes the row above's (said in
    the warnings). A row whose inner label is printed without its outer one (empty 都道府県, 玉名市) takes the
    outer one from above unless a printed label already names its prefecture."""
    from store.gazetteer import prefecture_names

    texts: list[str] = []
    merged: list[bool] = []
    ditto = False
    for c in columns:
        value, at = grid.body_value(r, c)
        rng = grid.range_at(r, c)
        text = re.sub(r"\s+", "", join_wrapped(_cell_lines(grid, value, at, "municipality")))
        ditto = ditto or text in _DITTO
        texts.append("" if text in _DITTO else text)
        merged.append(rng is not None and (rng[0] != rng[2] or rng[1] != rng[3]))
    how = "merged" if any(m and t for m, t in zip(merged, texts)) else "printed"
    if not any(texts):
        if previous and ditto:
            return list(previous), "ditto"
        if previous and grid.kind == "csv":
            return list(previous), "fill-down"
        return None, ""
    labels = list(texts)
    named = [t for t in texts if t and t not in NONE_MARKS]
    if previous and not any(t.startswith(p) for t in named for p in prefecture_names()):
        for k in range(len(labels)):
            if not labels[k] and not merged[k] and any(labels[k + 1 :]) and previous[k]:
                labels[k] = previous[k]
    return labels, how


def read_spreadsheet(path: str | Path, force: bool = False) -> list[Report]:
    """A report spreadsheet (.xlsx or CSV) → one `Report` per table it holds (`read_sheets`), with the same
    checks, fiscal-year rule, series and record building as a PDF (`ingest.build.report_from_rows`);
    `Record.source` holds the row ({"file", "page": None, "row"}). Raises what `read_sheets` raises,
    MisreadTable (rows that fail `ingest.checks`, or cells in columns without a title, unless force) and
    NotAReport when no fiscal year can be told."""
    import hashlib
    import time

    from ingest.errors import MisreadTable

    path = Path(path)
    started = time.perf_counter()
    sheets = read_sheets(path)
    stray = [text for sheet in sheets for text in sheet.unaccounted]
    if stray and not force:
        raise MisreadTable(
            f"{path.name}: 見出しのない列に文字があります（{stray[0]}"
            f"{f' ほか{len(stray) - 1}件' if len(stray) > 1 else ''}）。--force で問題を記録して取り込めます / "
            "text in a column without a title; --force stores the rest flagged"
        )
    facts = FileFacts(path.name, hashlib.sha256(path.read_bytes()).hexdigest())
    reports = []
    for sheet in sheets:
        report = report_from_rows(sheet.title, sheet.rows, facts, force, roles=list(sheet.roles))
        report.warnings = sheet.warnings + report.warnings
        report.warnings += [f"見出しのない列の文字 / text in a column without a title: {text}" for text in sheet.unaccounted]
        report.elapsed_s = time.perf_counter() - started
        reports.append(report)
    return reports
