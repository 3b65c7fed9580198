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
import io
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest.build import FileFacts, Report, report_from_rows
from ingest.errors import NotAReport, TooLarge
from ingest.files import MAX_FILE_BYTES, has_signature
from ingest.rows import (
    Location,
    Row,
)
from ingest.sheet_cells import CONTROL, MAX_ROWS, SheetGrid, formula_cells, grid_of_worksheet
from ingest.sheet_tables import find_header, read_tables

MAX_UNPACKED_BYTES = 100 * 1024 * 1024  # an .xlsx is a zip: its parts may not unpack past this (a 20,000-row sheet is ~15 MB)

XLSX_SUFFIXES = (".xlsx", ".xlsm")
CSV_SUFFIXES = (".csv",)
OLD_EXCEL_SUFFIXES = (".xls",)
SUFFIXES = XLSX_SUFFIXES + CSV_SUFFIXES + OLD_EXCEL_SUFFIXES

_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE compound file: an .xls, or an encrypted .xlsx inside one
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")  # the stream an encrypted OOXML package holds


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
            grid = grid_of_worksheet(name, ws)
            if find_header(grid, 1) is None:
                if grid.cells:
                    skipped.append(ws.title)
                continue
            if grid.n_rows > MAX_ROWS:
                raise SheetTooLarge(
                    f"{name}: 行数が多すぎます / the sheet has {grid.n_rows} rows, over the {MAX_ROWS:,}-row limit"
                )
            grid.formulas = formula_cells(data, ws.title, grid.n_rows, grid.n_cols)
            out += [Sheet(t.title, t.rows, "xlsx", "", ws.title, t.header, t.roles, [], t.unaccounted) for t in read_tables(grid)]
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
    grid = SheetGrid(name, "csv", cells, n_rows, n_cols)
    if find_header(grid, 1) is None:
        if _export_header(text):
            raise NotAReport(f"{name}: koryu export のCSVで、報告書の表ではありません / a koryu export CSV, not a report table")
        raise NotAReport(f"{name}: 交流実績の表が見つかりません / no table with 事業内容 / 実施期間 columns")
    return [Sheet(t.title, t.rows, "csv", encoding, "", t.header, t.roles, t.warnings, t.unaccounted) for t in read_tables(grid)]


def _export_header(text: str) -> bool:
    """True when the text's first CSV row names the columns a `koryu export` file has."""
    try:
        first = next(csv.reader(io.StringIO(text, newline="")), [])
    except csv.Error:
        return False
    return {"fiscal_year", "municipality", "description"} <= {unicodedata.normalize("NFKC", n).strip().lower() for n in first}


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
        if CONTROL.search(text):
            raise refusal
        return text, encoding
    raise refusal


# ---------------------------------------------------------------------------------------------- cells


# ---------------------------------------------------------------------------------------------- header


# ---------------------------------------------------------------------------------------------- table


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
