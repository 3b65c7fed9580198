"""A report file → a validated `Report` of records. PDFs are read by `ingest.table`; export files round-trip.

Errors are small named exceptions (`IngestError` and its kinds) whose message is one line naming the reason;
the CLI and the bot print them as they are. Nothing here writes to the store.
"""

from __future__ import annotations

import collections
import csv
import hashlib
import io
import json
import logging
import re
import threading
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest import has_signature, labels
from ingest.checks import Problem, check_rows, no_events, no_events_warning, refusal, summary, totals, totals_warning
from ingest.periods import parse_period
from ingest.table import PageTable, TableSettings, labels_from_headings, link_labels, merge_split_rows, read_page
from store import era
from store.records import Record, assign_ids

MAX_FILE_BYTES = 30 * 1024 * 1024  # a yearly report is well under 1 MB; 30 MB is already a scanned book
MAX_PAGES = 300


class IngestError(ValueError):
    """A file that cannot be ingested. str(error) is one line for the user."""


class NotAPDF(IngestError):
    pass


class EncryptedPDF(IngestError):
    pass


class ScannedPDF(IngestError):
    pass


class TooLarge(IngestError):
    pass


class NotAReport(IngestError):
    pass


class UnreadableText(IngestError):
    """Glyphs the text layer gives no Unicode for (a font without a ToUnicode map)."""


class MisreadTable(IngestError):
    """Rows whose fields could not all be read (`ingest.checks`)."""


@dataclass
class Report:
    """What one file holds.

    fiscal_year: int (2024 for 令和6年度); title: the report title as printed ("" if none); source_file:
    file name; sha256: of the file bytes; pages: page count; records: in report order; warnings: one-line
    strings (unknown labels, unparsed periods, rows without description); elapsed_s: reading time; series:
    which of the year's lists it is (`series_of(title)`, "" unknown) — records without one take it.
    """

    fiscal_year: int
    title: str
    source_file: str
    sha256: str
    pages: int
    records: list[Record]
    warnings: list[str] = field(default_factory=list)
    elapsed_s: float = 0.0
    tables: list[PageTable] = field(default_factory=list, repr=False)
    series: str = ""

    def __post_init__(self) -> None:
        for r in self.records:  # records without a series of their own belong to the report's
            r.series = r.series or self.series

    def per_municipality(self) -> list[tuple[str, int]]:
        """[(municipality, record count)] in first-appearance order."""
        return list(collections.Counter(r.municipality for r in self.records).items())

    @property
    def unparsed_periods(self) -> list[Record]:
        return [r for r in self.records if not r.intervals]


class _PdfminerWarnings(logging.Handler):
    """Collects pdfminer's warnings per thread. pdfminer reads a damaged file as far as it can and only logs
    what it skipped ("Data-loss while decompressing corrupted data", "Cannot render horizontal string"), which
    would let a corrupted report silently replace good records; a warning during a read makes it a refusal.
    Installed once; pdfminer's messages stop reaching stderr (they become koryu's one-line error)."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.seen: dict[int, list[str]] = {}

    def emit(self, record: logging.LogRecord) -> None:
        self.seen.setdefault(record.thread or 0, []).append(record.getMessage())

    def take(self) -> list[str]:
        return self.seen.pop(threading.get_ident(), [])


_PDFMINER = _PdfminerWarnings()
_pdfminer_logger = logging.getLogger("pdfminer")
_pdfminer_logger.addHandler(_PDFMINER)
_pdfminer_logger.propagate = False


_FY = re.compile(rf"({era.ERA_PATTERN})\s*({era.ERA_YEAR_PATTERN})\s*年度|({era.WESTERN_YEAR_PATTERN})\s*年度")


def fiscal_year_of(title: str) -> int | None:
    """令和６年度… → 2024; 2024年度 → 2024; None when the text names no fiscal year."""
    m = _FY.search(unicodedata.normalize("NFKC", title))
    if not m:
        return None
    if m.group(3):
        return int(m.group(3))
    try:
        return era.era_year(m.group(1), m.group(2))
    except era.NotAYear:
        return None


# a line that is only a date, as a page header prints it: 令和7年4月1日現在, R8.1.15作成, 2025/4/1時点
_DATE_LINE = re.compile(
    r"^(?:(?:令和|平成|R|H)(?:\d+|元)[年.]|\d{4}[年./-])?\d{1,2}[月./-]\d{1,2}日?(?:現在|作成|時点|更新|発行|付け?)?$"
)
_NAMES_A_REPORT = re.compile(r"一覧|実績|報告|交流")


def title_of(lines: list[str]) -> str:
    """The report's title among the text lines above its table: the first naming a fiscal year, else the
    first naming the report (一覧, 実績, 報告, 交流), else the first line at all — never a line that is only a
    date (令和7年4月1日現在: when the list was made, not what it is)."""
    lines = [line for line in lines if not _DATE_LINE.match("".join(unicodedata.normalize("NFKC", line).split()))]
    return next(
        (line for line in lines if fiscal_year_of(line)),
        next((line for line in lines if _NAMES_A_REPORT.search(line)), lines[0] if lines else ""),
    )


_BRACKETS = str.maketrans(dict.fromkeys("([【〔〈《{", "（") | dict.fromkeys(")]】〕〉》}", "）"))
# a reissue or an as-of date names an edition of the same list, not another list: 訂正版, （第2版）, （3月31日現在）
_EDITION = re.compile(r"(?:（[^（）]*(?:版|現在)）|(?:第\d+|訂正|改訂|修正|差替え?|差し替え|更新|確定|最終|速報)版)$")
_SERIES_EDGES = "・:;-_、,。/|―—"


def series_of(title: str) -> str:
    """Which of a fiscal year's lists a report is: its title without the fiscal year and the edition, normalised.

    「令和６年度交流実績一覧（協定等締結自治体）」 and 「令和7年度 交流実績一覧(協定等締結自治体) 訂正版」 →
    「交流実績一覧（協定等締結自治体）」. The year with 年度 (令和６年度, R6年度, 2024年度, 令和元年度; the grammar of
    `fiscal_year_of`) is removed wherever it stands, then NFKC, whitespace removed, every bracket pair made
    full-width round （）, empty brackets and an edition at the end (訂正版, 改訂版, 第2版, （…現在）) dropped, and
    separators at either end trimmed. "" when nothing is left (no title, or a title that is only a year).
    Also used for a series name typed by a person (`koryu ingest --series`), so both spellings meet.
    """
    text = _FY.sub("", unicodedata.normalize("NFKC", title or ""))
    text = "".join(text.split()).translate(_BRACKETS).replace("（）", "")
    while (stripped := _EDITION.sub("", text).strip(_SERIES_EDGES)) != text:
        text = stripped
    return text


def _check_pdf_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
    except OSError as e:
        raise IngestError(f"{path.name}: ファイルを読めません / cannot read the file ({e.strerror})") from None
    if size == 0:
        raise NotAPDF(f"{path.name}: 空のファイルです / the file is empty")
    if size > MAX_FILE_BYTES:
        raise TooLarge(
            f"{path.name}: ファイルが大きすぎます / the file is {size / 1e6:.0f} MB, over the {MAX_FILE_BYTES // 10**6} MB limit"
        )
    data = path.read_bytes()
    if not has_signature(".pdf", data):
        raise NotAPDF(
            f"{path.name}: PDFではありません（読めるのは PDF・Excel の .xlsx・CSV・koryu export の JSON） / "
            "not a PDF file (koryu reads PDF, .xlsx, CSV and export JSON)"
        )
    if b"%%EOF" not in data[-2048:]:
        # pdfminer would rebuild a cut file from what is left and hand back part of the table
        raise NotAPDF(f"{path.name}: PDFが途中で切れています / the PDF is truncated (no %%EOF at the end)")
    if b"startxref" not in data[-4096:]:
        # every PDF ends with startxref; without it pdfminer scans the whole file for objects, in time that
        # grows with the square of its size (minutes for a few MB of junk)
        raise NotAPDF(f"{path.name}: PDFが壊れています / the PDF is damaged (no cross-reference table)")
    return data


@dataclass
class _Pages:
    """What the pages of one PDF gave: tables, title, and the pages that were blank or unreadable."""

    count: int
    tables: list[PageTable] = field(default_factory=list)
    title: str = ""
    any_text: bool = False
    blank: list[int] = field(default_factory=list)
    unreadable: list[int] = field(default_factory=list)  # pages with glyphs the text layer has no Unicode for


def _open_pdf(path: Path, data: bytes):
    """pdfplumber's PDF of the bytes. Raises EncryptedPDF, NotAPDF (damaged), TooLarge (pages)."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        n_pages = len(pdf.pages)
    except Exception as e:  # pdfminer raises many types for damaged files; pdfplumber wraps them
        cause = e.args[0] if e.args and isinstance(e.args[0], Exception) else (e.__context__ or e)
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
            raise EncryptedPDF(f"{path.name}: パスワード付きのPDFは読めません / the PDF is encrypted") from None
        kind = type(cause).__name__ if isinstance(cause, (PDFSyntaxError, Exception)) else type(e).__name__
        raise NotAPDF(f"{path.name}: PDFが壊れています / the PDF is damaged ({kind})") from None
    if n_pages > MAX_PAGES:
        pdf.close()
        raise TooLarge(f"{path.name}: ページ数が多すぎます / {n_pages} pages, over the {MAX_PAGES}-page limit")
    return pdf


def _read_pages(pdf, path: Path, settings: TableSettings, progress: Callable[[int, int], None] | None) -> _Pages:
    """Each page's table (`ingest.table.read_page`), the title above the first one, and what was wrong with
    pages. A damaged page (an exception, or pdfminer logging data loss) raises NotAPDF naming it."""
    out = _Pages(len(pdf.pages))
    previous_columns = None
    for i, page in enumerate(pdf.pages):
        try:
            chars = page.chars
            out.any_text = out.any_text or bool(chars)
            if not chars and not page.edges and not page.images:
                out.blank.append(i + 1)
            if any(c["text"].startswith("(cid:") for c in chars):
                out.unreadable.append(i + 1)
            table = read_page(page, i + 1, settings, previous_columns)
        except IngestError:
            raise
        except RecursionError:
            raise NotAPDF(f"{path.name}: {i + 1}ページ目の構造が深すぎます / page {i + 1} is nested too deeply") from None
        except Exception as e:  # a damaged page: name it, never a traceback
            raise NotAPDF(f"{path.name}: {i + 1}ページ目を読めません / page {i + 1} is damaged ({type(e).__name__})") from None
        if table is not None:
            if not out.title:  # from the deduplicated glyphs: a title drawn twice for bold is read once
                out.title = title_of(table.above)
            out.tables.append(table)
            previous_columns = table.columns
        damage = _PDFMINER.take()
        if damage:
            raise NotAPDF(f"{path.name}: {i + 1}ページ目が壊れています / page {i + 1} is damaged ({damage[0][:80]})")
        if progress:
            progress(i + 1, out.count)
    return out


def _no_table(path: Path, pages: _Pages) -> IngestError:
    """Why a PDF holds no readable table, most telling reason first."""
    if not pages.any_text:
        return ScannedPDF(f"{path.name}: 文字情報のない(スキャンした)PDFです / no text layer (a scanned image?)")
    if pages.unreadable:
        return UnreadableText(
            f"{path.name}: p.{pages.unreadable[0]} の文字を読めません（フォントに文字の情報 ToUnicode がありません）"
            f" / page {pages.unreadable[0]}: the font has no ToUnicode map, its text cannot be read"
        )
    return NotAReport(f"{path.name}: 交流実績の表が見つかりません / no table with 事業内容 / 実施期間 columns")


def _fiscal_year_of_rows(rows) -> int | None:
    """The fiscal year most dated rows fall in (their periods read without one: dates with an era)."""
    years: collections.Counter[int] = collections.Counter()
    for row in rows:
        start = parse_period(row.period_text, None).start
        if start:
            years[start.year if start.month >= 4 else start.year - 1] += 1
    return years.most_common(1)[0][0] if years else None


def read_pdf(
    path: str | Path,
    settings: TableSettings | dict | None = None,
    progress: Callable[[int, int], None] | None = None,
    keep_tables: bool = False,
    force: bool = False,
) -> Report:
    """Read a report PDF into records.

    Steps: the bytes checked → pages read into tables (`_read_pages`) → labels linked across page breaks →
    小計 / 合計 lines skipped (`ingest.checks.totals`, counted in the warnings) → 実績なし lines skipped (`ingest.checks.no_events`, named in the warnings) → every row checked (`ingest.checks`) → the fiscal year (title, else the dates) → records.

    path: the PDF; settings: `TableSettings` overrides; progress: called as progress(pages_done, pages_total);
    force: store rows that fail the checks, flagged, instead of refusing the file. Raises NotAPDF,
    EncryptedPDF, ScannedPDF, TooLarge, NotAReport, UnreadableText, MisreadTable (all `IngestError`, one-line
    messages).
    """
    path = Path(path)
    settings = TableSettings.resolve(settings)
    started = time.perf_counter()
    data = _check_pdf_bytes(path)
    _PDFMINER.take()  # forget anything an earlier read on this thread left
    with _open_pdf(path, data) as pdf:
        pages = _read_pages(pdf, path, settings, progress)
    if not any(t.rows for t in pages.tables):
        raise _no_table(path, pages)
    rows, skipped = totals(labels_from_headings(link_labels(pages.tables)))
    rows = merge_split_rows(rows)
    rows, no_event_rows = no_events(rows)
    problems = check_rows(rows, pages.tables)
    if problems and not force:
        unreadable = [p for p in problems if "unreadable" in p.reason_en]
        kind = UnreadableText if unreadable else MisreadTable
        raise kind(refusal(path.name, unreadable or problems))
    title = pages.title
    warnings: list[str] = totals_warning(skipped) + no_events_warning(no_event_rows)
    fiscal_year = fiscal_year_of(title)
    if fiscal_year is None:
        fiscal_year = _fiscal_year_of_rows(rows)
        if fiscal_year is None:
            raise NotAReport(f"{path.name}: 年度が分かりません / no fiscal year in the title or the dates")
        warnings.append(f"年度を日付から推定 / fiscal year {fiscal_year} taken from the dates (no title)")
    records, row_warnings = _records_from_rows(rows, fiscal_year, path.name, problems)
    warnings += row_warnings
    if pages.blank:
        warnings.append(f"空白のページ / blank pages: {', '.join(map(str, pages.blank))} (a damaged page reads as blank)")
    assign_ids(records)
    return Report(
        fiscal_year,
        title,
        path.name,
        hashlib.sha256(data).hexdigest(),
        pages.count,
        records,
        warnings,
        time.perf_counter() - started,
        pages.tables if keep_tables else [],
        series=series_of(title),
    )


def _records_from_rows(
    rows, fiscal_year: int | None, file_name: str, problems: tuple[Problem, ...] | list[Problem] = (), sheet: bool = False
) -> tuple[list[Record], list[str]]:
    """Records of the rows (labels resolved, periods parsed) and the warnings to show.

    problems: what `ingest.checks` found (rows stored only with force): each record keeps its own, and a
    warning line sums up each kind; sheet: the rows come from a spreadsheet, `Row.page` is its row number.
    """
    records: list[Record] = []
    warnings: list[str] = summary(list(problems))
    flagged: dict[int, list[str]] = {}
    for p in problems:
        flagged.setdefault(p.row, []).append(p.text if not sheet else p.text.replace(f"p.{p.page}", f"{p.page}行目"))
    resolved: dict[str, labels.Resolution] = {}
    for i, row in enumerate(rows):
        if not (row.description or row.department or row.period_text):
            continue
        at = f"{row.page}行目" if sheet else f"p.{row.page}"
        name = row.printed_name
        if name not in resolved:
            resolved[name] = labels.resolve(name)
            if resolved[name].warning:
                warnings.append(resolved[name].warning)
        m = resolved[name].municipality
        period = parse_period(row.period_text, fiscal_year)
        if not row.department and i not in flagged:
            warnings.append(f"所管課が空欄の行 / row without department: {at} {name} {row.description[:20]}")
        if fiscal_year and period.start and not (fiscal_year - 2 <= period.start.year <= fiscal_year + 2):
            warnings.append(f"年度から離れた日付 / a date far from fiscal year {fiscal_year}: {row.period_text!r} {at}")
        if not period.parsed and i not in flagged:
            warnings.append(f"実施期間を読めません / unparsed period: {row.period_text!r} ({'; '.join(period.problems)}) {at}")
        records.append(
            Record(
                fiscal_year=fiscal_year or 0,
                municipality=m.full_name if m else name,
                municipality_code=m.code if m else None,
                printed_name=name,
                description=row.description,
                department=row.department,
                period_text=row.period_text,
                intervals=period.iso_intervals(),
                approximate=period.approximate,
                source={"file": file_name, "page": None, "row": row.page} if sheet else {"file": file_name, "page": row.page},
                problems=flagged.get(i, []),
            )
        )
    return records, warnings


def read_export(path: str | Path) -> list[Report]:
    """Read a `koryu export` JSON or CSV file back into one Report per fiscal year and series (an export
    made before series existed has none: series "").

    Raises NotAReport when the file is not an export (wrong columns, bad JSON).
    """
    path = Path(path)
    data = path.read_bytes()
    text = data.decode("utf-8-sig", errors="replace")
    try:
        if path.suffix.lower() == ".json" or text.lstrip().startswith(("[", "{")):
            loaded = json.loads(text)
            items = loaded.get("records", []) if isinstance(loaded, dict) else loaded
        else:
            csv.field_size_limit(10 * 1024 * 1024)  # a long description is data, not an attack
            items = list(csv.DictReader(io.StringIO(text)))
        if not isinstance(items, list):
            raise ValueError("expected a list of records")
        records = []
        for n, d in enumerate(items, start=1):
            try:
                records.append(Record.from_dict(d))
            except (ValueError, KeyError, TypeError, AttributeError) as e:
                raise ValueError(f"record {n}: {e}") from None
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError, csv.Error) as e:
        raise NotAReport(
            f"{path.name}: koryu export の形式ではありません / not a koryu export ({type(e).__name__}: {str(e)[:120]})"
        ) from None
    by_report: dict[tuple[int, str], list[Record]] = collections.defaultdict(list)
    for r in records:
        r.series = series_of(r.series)  # a hand-edited CSV may spell the brackets another way
        by_report[r.fiscal_year, r.series].append(r)
    reports = []
    for (fy, series), recs in sorted(by_report.items(), key=lambda item: item[0][0]):  # series as they appear
        assign_ids(recs)
        reports.append(Report(fy, "", path.name, hashlib.sha256(data).hexdigest(), 0, recs, series=series))
    if not reports:
        raise NotAReport(f"{path.name}: レコードがありません / the export holds no records")
    return reports


SPREADSHEETS = (".xlsx", ".xlsm", ".xls", ".csv")


def read_any(path: str | Path, force: bool = False, **kwargs: Any) -> list[Report]:
    """A report file → reports: a PDF or a report spreadsheet (.xlsx, or a CSV saved from it) gives one; a
    `koryu export` JSON or CSV gives one per (fiscal year, series). kwargs go to `read_pdf` (progress,
    keep_tables, settings); force stores rows that fail the checks, flagged. Raises `IngestError` kinds."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".json":
        return read_export(path)
    if suffix in SPREADSHEETS:
        from ingest import sheet  # openpyxl loads only for a spreadsheet

        if suffix == ".csv" and sheet.is_export_csv(path):
            return read_export(path)
        return [sheet.read_spreadsheet(path, force=force)]
    return [read_pdf(path, force=force, **kwargs)]
