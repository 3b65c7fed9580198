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
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest import clips
from ingest.accounting import Unaccounted, outside_lines
from ingest.build import FileFacts, Report, report_from_rows
from ingest.errors import EncryptedPDF, IngestError, MisreadTable, NotAPDF, NotAReport, ScannedPDF, TooLarge, UnreadableText
from ingest.files import MAX_FILE_BYTES, has_signature
from ingest.glyphs import visible_chars
from ingest.linking import labels_from_headings, link_labels
from ingest.lists import split_lists
from ingest.settings import TableSettings
from ingest.table import PageTable, read_page_tables
from store.records import Record, assign_ids
from store.titles import series_of, title_of

MAX_PAGES = 300
__all__ = [
    "IngestError",
    "MAX_FILE_BYTES",
    "MAX_PAGES",
    "Report",
    "TooLarge",
    "NotAReport",
    "read_any",
    "read_export",
    "read_pdf",
]


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


# pdfminer warnings that lose no character: a font's FontBBox it cannot parse (it falls back to a default box
# for the glyphs' height), a page-label style it does not know, a marked-content tag that is not a name
# (pdfminer/pdffont.py, pdfdocument.py, pdfinterp.py). Every other warning may have dropped text: it refuses.
HARMLESS_WARNINGS = ("Could not get FontBBox", "Unknown page label style", "Cannot define marked-content point")


def _harmless(warning: str) -> bool:
    """True for a pdfminer warning that loses no text (`HARMLESS_WARNINGS`)."""
    return warning.startswith(HARMLESS_WARNINGS)


_PDFMINER = _PdfminerWarnings()
_pdfminer_logger = logging.getLogger("pdfminer")
_pdfminer_logger.addHandler(_PDFMINER)
_pdfminer_logger.propagate = False


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
    stray: list[tuple[int, Unaccounted]] = field(default_factory=list)  # (page, text) no table read accounts for
    notices: list[str] = field(default_factory=list)  # pdfminer warnings that lose no text, with their page


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
    """Each page's tables (`ingest.table.read_page_tables`), the title above the first one, and what was wrong with
    pages. A damaged page (an exception, or pdfminer logging data loss) raises NotAPDF naming it."""
    out = _Pages(len(pdf.pages))
    previous_columns = None
    before: list[tuple[int, list]] = []  # (page, glyphs) of pages with text before the first table
    for i, page in enumerate(pdf.pages):
        try:
            chars = page.chars
            out.any_text = out.any_text or bool(chars)
            if not chars and not page.edges and not page.images:
                out.blank.append(i + 1)
            if any(c["text"].startswith("(cid:") for c in chars):
                out.unreadable.append(i + 1)
            tables = read_page_tables(page, i + 1, settings, previous_columns)
        except IngestError:
            raise
        except RecursionError:
            raise NotAPDF(f"{path.name}: {i + 1}ページ目の構造が深すぎます / page {i + 1} is nested too deeply") from None
        except Exception as e:  # a damaged page: name it, never a traceback
            raise NotAPDF(f"{path.name}: {i + 1}ページ目を読めません / page {i + 1} is damaged ({type(e).__name__})") from None
        if tables:
            for table in tables:
                if not out.title:  # from the deduplicated glyphs: a title drawn twice for bold is read once
                    out.title = title_of(table.above)
                out.tables.append(table)
                previous_columns = table.columns
                if not table.rows and table.unaccounted:
                    out.stray.append((i + 1, table.unaccounted[0]))
        elif previous_columns is not None:  # a page after the table began, where no table was read
            chars, _ = visible_chars(page, settings)
            spans = [(c.x0, c.x1, c.role) for c in previous_columns]
            found = outside_lines(chars, spans, settings, "page")
            if found:
                out.stray.append((i + 1, found[0]))
        elif page.chars:  # before any table: checked against the first table's columns once one is read
            before.append((i + 1, visible_chars(page, settings)[0]))
        page.close()  # its layout and objects are not needed again: memory stays per page, not per file
        warned = _PDFMINER.take()
        damage = [w for w in warned if not _harmless(w)]
        if damage:
            raise NotAPDF(f"{path.name}: {i + 1}ページ目が壊れています / page {i + 1} is damaged ({damage[0][:80]})")
        out.notices += [
            f"p.{i + 1} PDFの軽微な不備（文字は失われていません） / page {i + 1}: {w[:80]} (no text lost)"
            for w in dict.fromkeys(warned)
        ]
        if progress:
            progress(i + 1, out.count)
    if out.tables:  # a page before the first table read may hold rows of a table no grid was found for
        spans = [(c.x0, c.x1, c.role) for c in out.tables[0].columns]
        for number, chars in before:
            found = outside_lines(chars, spans, settings, "page")
            if found:
                out.stray.append((number, found[0]))
    return out


def _stray(path: Path, page: int, what: Unaccounted) -> MisreadTable:
    """The refusal for text on a page that no record's problems carry (a page without a table, or whose rows
    all were total lines)."""
    return MisreadTable(
        f"{path.name}: p.{page} {what.reason}。--force で問題を記録して取り込めます / page {page}: {what.reason_en}; "
        "--force stores the rest flagged"
    )


def _stray_warning(page: int, what: Unaccounted) -> str:
    """The warning line a report stored with --force carries for such text (see `_stray`)."""
    return f"p.{page} {what.reason} / page {page}: {what.reason_en}"


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


def read_pdf(path: str | Path, **kwargs: Any) -> Report:
    """The one list a report PDF holds (`read_pdf_reports`, same arguments). Raises NotAReport when the file
    holds several lists (read them with `read_pdf_reports`), and what `read_pdf_reports` raises."""
    reports = read_pdf_reports(path, **kwargs)
    if len(reports) > 1:
        names = "、".join(r.title or "（題名なし）" for r in reports)
        raise NotAReport(f"{Path(path).name}: {len(reports)}つの一覧があります（{names}） / the file holds {len(reports)} lists")
    return reports[0]


def read_pdf_reports(
    path: str | Path,
    settings: TableSettings | dict | None = None,
    progress: Callable[[int, int], None] | None = None,
    keep_tables: bool = False,
    force: bool = False,
) -> list[Report]:
    """Read a report PDF into one `Report` per list it holds (`ingest.lists`: a second titled table is a
    second list, with its own title and series).

    Steps: the bytes checked → pages read into tables (`_read_pages`, every character accounted for) → the
    tables grouped into lists → per list: labels linked across page breaks (`ingest.linking`) → rows →
    `ingest.build.report_from_rows` (totals and 実績なし lines skipped, every row checked, fiscal year, records).

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
        try:
            pages = _read_pages(pdf, path, settings, progress)
        finally:
            clips.release(pdf)
    if not any(t.rows for t in pages.tables):
        raise _no_table(path, pages)
    if pages.stray and not force:
        raise _stray(path, *pages.stray[0])
    facts = FileFacts(path.name, hashlib.sha256(data).hexdigest(), pages.count)
    reports = []
    for title, tables in split_lists(pages.tables):
        rows = labels_from_headings(link_labels(tables))
        report = report_from_rows(title, rows, facts, force, tables)
        report.tables = tables if keep_tables else []
        reports.append(report)
        # text no field accounts for on a page none of whose rows became a record (a header and a 合計 line,
        # then a second table not read) flags no record: it refuses the file on its own
        dated = {r.source.get("page") for r in report.records}
        unflagged = [(t.page, t.unaccounted[0]) for t in tables if t.unaccounted and t.page not in dated]
        if unflagged and not force:
            raise _stray(path, *unflagged[0])
        report.warnings += [_stray_warning(page, what) for page, what in unflagged] + pages.notices
    first = reports[0]
    if pages.blank:
        first.warnings.append(f"空白のページ / blank pages: {', '.join(map(str, pages.blank))} (a damaged page reads as blank)")
    first.warnings += [_stray_warning(page, what) for page, what in pages.stray]
    elapsed = time.perf_counter() - started
    for report in reports:
        report.elapsed_s = elapsed
    return reports


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
        return sheet.read_spreadsheet(path, force=force)
    return read_pdf_reports(path, force=force, **kwargs)
