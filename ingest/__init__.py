"""koryu's ingest: report files (PDF, or `koryu export` JSON/CSV) → validated records → the store.

    >>> import store, ingest
    >>> outcomes = ingest.ingest_paths(store.open("koryu.db"), ["r6_report.pdf"])

Each file is read completely before anything is written, and each report — one fiscal year and series
(`ingest.report.series_of`: 交流実績一覧（協定等締結自治体）) — is replaced in one transaction, so a file that fails
leaves every stored record as it was. Another series of a stored year is added beside it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ingest.files import MAX_FILE_BYTES, SUPPORTED, expand_paths, has_signature
from store.connection import StoreBusy, StoreError
from store.db import Diff, Store
from store.gazetteer import municipality_rows
from store.titles import series_label

__all__ = [
    "MAX_FILE_BYTES",
    "SUPPORTED",
    "Outcome",
    "SeriesChoice",
    "expand_paths",
    "has_signature",
    "ingest_file",
    "ingest_paths",
    "municipality_rows",
    "series_label",
]

if TYPE_CHECKING:
    from ingest.build import Report
    from ingest.entry import DraftComparison


@dataclass(frozen=True)
class SeriesChoice:
    """Why a file was refused for its series: it names none (no title) and its fiscal year already holds
    named series. fiscal_year: the report's; stored: that year's stored series ("" = one without a title),
    any of which the file may replace, or a new name adds it (`ingest_file(series=...)`)."""

    fiscal_year: int
    stored: tuple[str, ...]


@dataclass
class Outcome:
    """The result of ingesting one file: the reports it held and their diffs, or the error (one line).
    series_choice: set when the error is that the file's series must be named (see SeriesChoice)."""

    path: Path
    reports: list[Report] = field(default_factory=list)
    diffs: list[Diff] = field(default_factory=list)
    error: str = ""
    series_choice: SeriesChoice | None = None
    # per report of a year that holds recorded events (koryu add, the Slack modal): what each lacks of the other
    drafts: list[DraftComparison] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.error


SHRINK_GUARD = 0.9  # a new version keeping under 90 % of a report's stored records is refused without force


def ingest_file(
    db: Store,
    path: str | Path,
    progress: Callable[[int, int], None] | None = None,
    keep_tables: bool = False,
    force: bool = False,
    series: str | None = None,
) -> Outcome:
    """Read one file and replace the reports (fiscal year and series) it holds. Never raises for a bad file:
    see Outcome.error.

    series: the series every report of the file belongs to, whatever its title says (normalised by
    `series_of`; "" = untitled); None takes it from the title (PDF) or the records (export). A stored name
    replaces that report, a new one adds a report beside the others of its year.

    Refused (nothing written): a report with no series when its fiscal year already holds named series and
    `series` is None — which report it is would be a guess (Outcome.series_choice lists the stored ones);
    a new version of a stored report that would keep fewer than SHRINK_GUARD of its records, unless `force`
    — a damaged PDF that pdfminer reads only in part (a page whose objects are lost) must not quietly
    replace a good report. Another series is never compared with this one.
    """
    from ingest.entry import DRAFT_SERIES, compare_with_draft
    from ingest.report import IngestError, read_any  # the PDF machinery loads only when a file is read
    from store.titles import series_of

    path = Path(path)
    started = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    outcome = Outcome(path)
    try:
        kwargs = {"progress": progress, "keep_tables": keep_tables} if path.suffix.lower() == ".pdf" else {}
        outcome.reports = read_any(path, force=force, **kwargs)
    except IngestError as e:
        outcome.error = str(e)
    except FileNotFoundError:
        outcome.error = f"{path.name}: ファイルがありません / no such file"
    except IsADirectoryError:
        outcome.error = f"{path.name}: フォルダです / is a folder"
    except PermissionError:
        outcome.error = f"{path.name}: 読み取り権限がありません / permission denied"
    except (OSError, RecursionError, MemoryError) as e:
        outcome.error = f"{path.name}: 読めません / cannot read ({type(e).__name__})"
    if not outcome.error and series is not None:
        name = series_of(series)
        years = [r.fiscal_year for r in outcome.reports]
        if len(set(years)) < len(years):
            outcome.error = (
                f"{path.name}: 1つの年度に複数の報告書があるため --series は使えません / the file holds several series of one "
                "fiscal year; --series would merge them"
            )
        for report in outcome.reports:
            report.series = name
            for r in report.records:
                r.series = name
    if not outcome.error:
        outcome.error, outcome.series_choice = _refusal(db, path, outcome.reports, force, named=series is not None)
        if outcome.error:
            outcome.reports = []
    if outcome.error:
        db.log_ingest(str(path), "failed", message=outcome.error, started_at=started)
        return outcome
    for report in outcome.reports:
        meta = {
            "fiscal_year": report.fiscal_year,
            "series": report.series,
            "title": report.title,
            "source_file": report.source_file,
            "sha256": report.sha256,
            "pages": report.pages,
            "warnings": report.warnings,
        }
        try:
            diff = db.replace_report(meta, report.records, municipality_rows(report.records))
        except StoreBusy:
            raise  # the caller says to try again
        except StoreError as e:  # the year holds as many series as a rowid can number
            outcome.error = f"{path.name}: {e}"
            db.log_ingest(str(path), "failed", report.fiscal_year, message=outcome.error, started_at=started)
            return outcome
        outcome.diffs.append(diff)
        if report.series != DRAFT_SERIES and (compared := compare_with_draft(db, report.fiscal_year, report.records)):
            outcome.drafts.append(compared)
        db.log_ingest(str(path), "ok", report.fiscal_year, len(report.records), diff, started_at=started)
    return outcome


def _refusal(db: Store, path: Path, reports: list[Report], force: bool, named: bool) -> tuple[str, SeriesChoice | None]:
    """The one-line reason to store none of `reports`, or ("", None): see ingest_file."""
    stored = db.reports()
    counts = {(r["fiscal_year"], r["series"]): r["record_count"] for r in stored}
    for report in reports:
        year = [r["series"] for r in stored if r["fiscal_year"] == report.fiscal_year]
        if not named and not report.series and any(year):
            names = "、".join(series_label(s) for s in year)
            return (
                f"{path.name}: 題名がなく、{report.fiscal_year}年度のどの報告書か分かりません（保存済み: {names}）。"
                "--series で報告書名を指定してください（保存済みの名前なら置き換え、新しい名前なら追加） / no title: which "
                f"fiscal year {report.fiscal_year} report is it? Name it with --series NAME (a stored name replaces "
                "that report, a new name adds one)",
                SeriesChoice(report.fiscal_year, tuple(year)),
            )
        before = counts.get((report.fiscal_year, report.series), 0)
        if not force and before and len(report.records) < SHRINK_GUARD * before:
            which = f"「{report.series}」" if report.series else ""
            return (
                f"{path.name}: {report.fiscal_year}年度{which}の記録が {before}件 → {len(report.records)}件 に減ります。"
                f"壊れたPDFかもしれません / would drop {before - len(report.records)} of {before} stored records "
                "(a damaged file?); use --force to replace anyway",
                None,
            )
    return "", None


def ingest_paths(db: Store, paths: Iterable[str | Path], **kwargs) -> list[Outcome]:
    """Ingest every file (folders expanded); a bad file is reported in its Outcome and the rest go on.
    kwargs go to `ingest_file` for each (a `series` names every file's series)."""
    return [ingest_file(db, p, **kwargs) for p in expand_paths(paths)]
