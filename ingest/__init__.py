"""koryu's ingest: report files (PDF, or `koryu export` JSON/CSV) → validated records → the store.

    >>> import store, ingest
    >>> outcomes = ingest.ingest_paths(store.open("koryu.db"), ["r6_report.pdf"])

Each file is read completely before anything is written, and each fiscal year is replaced in one
transaction, so a file that fails leaves every stored record as it was.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from store import gazetteer
from store.db import Diff, Store
from store.records import Record

if TYPE_CHECKING:
    from ingest.report import Report

SUPPORTED = (".pdf", ".json", ".csv")


@dataclass
class Outcome:
    """The result of ingesting one file: the reports it held and their diffs, or the error (one line)."""

    path: Path
    reports: list[Report] = field(default_factory=list)
    diffs: list[Diff] = field(default_factory=list)
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error


@functools.lru_cache(maxsize=4096)
def _official_row(code: str) -> tuple[tuple[str, object], ...] | None:
    m = gazetteer.by_code(code)
    if m is None:
        return None
    return tuple(
        dict(
            key=code,
            municipality_code=m.code,
            name=m.full_name,
            local_name=m.local_name,
            short_name=m.short_name,
            prefecture=m.prefecture,
            kind=m.kind,
            reading=m.reading,
            short_reading=m.short_reading,
            romaji=m.romaji,
        ).items()
    )


def municipality_rows(records: list[Record]) -> list[dict]:
    """Rows for the store's `municipalities` table: names, short names, readings and romaji of the
    records' partners (from the national list), with the labels as printed. Unresolved partners keep
    their printed name, keyed "name:<municipality>"."""
    rows: dict[str, dict] = {}
    for r in records:
        key = r.municipality_code or f"name:{r.municipality}"
        if key not in rows:
            official = _official_row(r.municipality_code) if r.municipality_code else None
            if official:
                rows[key] = dict(official)
            else:
                rows[key] = dict(
                    key=key,
                    municipality_code=None,
                    name=r.municipality,
                    local_name=r.municipality,
                    short_name=r.municipality,
                    prefecture="",
                    kind="",
                    reading="",
                    short_reading="",
                    romaji="",
                )
            rows[key]["printed_names"] = []
        if r.printed_name not in rows[key]["printed_names"]:
            rows[key]["printed_names"].append(r.printed_name)
    return list(rows.values())


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files and folders → report files (a folder gives its *.pdf, *.json and *.csv, sorted)."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out += sorted(f for f in p.iterdir() if f.is_file() and f.suffix.lower() in SUPPORTED)
        else:
            out.append(p)
    return out


SHRINK_GUARD = 0.9  # a new version keeping under 90 % of a year's stored records is refused without force


def ingest_file(
    db: Store,
    path: str | Path,
    progress: Callable[[int, int], None] | None = None,
    keep_tables: bool = False,
    force: bool = False,
) -> Outcome:
    """Read one file and replace the fiscal years it holds. Never raises for a bad file: see Outcome.error.

    A new version of a stored year that would keep fewer than SHRINK_GUARD of its records is refused unless
    `force`: a damaged PDF that pdfminer reads only in part (a page whose objects are lost) must not quietly
    replace a good year.
    """
    from ingest.report import IngestError, read_any  # the PDF machinery loads only when a file is read

    path = Path(path)
    started = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    outcome = Outcome(path)
    try:
        kwargs = {"progress": progress, "keep_tables": keep_tables} if path.suffix.lower() == ".pdf" else {}
        outcome.reports = read_any(path, **kwargs)
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
    if not outcome.error and not force:
        stored = {r["fiscal_year"]: r["record_count"] for r in db.reports()}
        for report in outcome.reports:
            before = stored.get(report.fiscal_year, 0)
            if before and len(report.records) < SHRINK_GUARD * before:
                outcome.error = (
                    f"{path.name}: {report.fiscal_year}年度の記録が {before}件 → {len(report.records)}件 に減ります。"
                    f"壊れたPDFかもしれません / would drop {before - len(report.records)} of {before} stored records "
                    "(a damaged file?); use --force to replace anyway"
                )
                outcome.reports = []
                break
    if outcome.error:
        db.log_ingest(str(path), "failed", message=outcome.error, started_at=started)
        return outcome
    for report in outcome.reports:
        meta = {
            "fiscal_year": report.fiscal_year,
            "title": report.title,
            "source_file": report.source_file,
            "sha256": report.sha256,
            "pages": report.pages,
            "warnings": report.warnings,
        }
        diff = db.replace_report(meta, report.records, municipality_rows(report.records))
        outcome.diffs.append(diff)
        db.log_ingest(str(path), "ok", report.fiscal_year, len(report.records), diff, started_at=started)
    return outcome


def ingest_paths(db: Store, paths: Iterable[str | Path], **kwargs) -> list[Outcome]:
    """Ingest every file (folders expanded); a bad file is reported in its Outcome and the rest go on."""
    return [ingest_file(db, p, **kwargs) for p in expand_paths(paths)]
