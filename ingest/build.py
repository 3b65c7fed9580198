"""Rows → a validated `Report`: the one step every reader ends with (PDF pages, worksheets, CSV).

    rows of one list → 小計 / 合計 lines skipped (`ingest.checks.totals`) → rows cut by a page break joined
    (`ingest.linking.merge_split_rows`) → 実績なし lines skipped (`ingest.checks.no_events`) → every row
    checked (`ingest.checks.check_rows`) → the fiscal year (title, else the dates) → records (labels resolved
    with the gazetteer, periods parsed) → `Report`

A file holding several lists (a second titled table, a second worksheet) gives one `Report` per list, each with
its own title and series (`store.titles.series_of`). Refusals are `ingest.errors` kinds with one-line messages.
"""

from __future__ import annotations

import collections
from collections.abc import Sequence
from dataclasses import dataclass, field

from ingest import labels
from ingest.checks import Problem, check_rows, no_events, no_events_warning, refusal, summary, totals, totals_warning
from ingest.errors import MisreadTable, NotAReport, UnreadableText
from ingest.linking import fill_down, merge_split_rows
from ingest.periods import parse_period
from ingest.rows import Row
from ingest.table import PageTable
from store.records import Record, assign_ids
from store.titles import fiscal_year_of, series_of


@dataclass
class Report:
    """What one list of a file holds.

    fiscal_year: int (2024 for 令和6年度); title: the list's title as printed ("" if none); source_file:
    file name; sha256: of the file bytes; pages: page count (0 for a spreadsheet); records: in report order;
    warnings: one-line strings (unknown labels, unparsed periods, skipped lines and sheets); elapsed_s: reading
    time; tables: the PDF pages' tables (`keep_tables`, for `--debug`); series: which of the year's lists it is
    (`series_of(title)`, "" unknown) — records without one take it.
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


@dataclass
class FileFacts:
    """What every list of one file shares: file name, sha256 of its bytes, page count (0 for a spreadsheet)."""

    name: str
    sha256: str
    pages: int = 0


def fiscal_year_of_rows(rows: Sequence[Row]) -> int | None:
    """The fiscal year most dated rows fall in (their periods read without one: dates with an era)."""
    years: collections.Counter[int] = collections.Counter()
    for row in rows:
        start = parse_period(row.period_text, None).start
        if start:
            years[start.year if start.month >= 4 else start.year - 1] += 1
    return years.most_common(1)[0][0] if years else None


def report_from_rows(
    title: str,
    rows: list[Row],
    facts: FileFacts,
    force: bool = False,
    tables: Sequence[PageTable] = (),
    roles: list[str] | None = None,
) -> Report:
    """One list's rows → its `Report` (see the module docstring).

    title: the list's title ("" if none); tables: the PDF pages the rows come from (for the checks), or
    roles: the spreadsheet table's column roles; force: store rows that fail the checks, flagged, instead of
    refusing. Raises UnreadableText (glyphs without Unicode), MisreadTable (rows
    that fail the checks) or NotAReport (no fiscal year in the title or the dates).
    """
    rows, skipped = totals(rows)
    rows = merge_split_rows(rows)
    rows, no_event_rows = no_events(rows)
    found = check_rows(rows, tables, roles)
    if force:  # rows without a label are stored flagged under the label above (said in their problems)
        fill_down(rows, {p.row for p in found if p.reason_en == "no municipality label"})
    if found and not force:
        unreadable = [p for p in found if "unreadable" in p.reason_en]
        kind = UnreadableText if unreadable else MisreadTable
        raise kind(refusal(facts.name, unreadable or found))
    warnings = totals_warning(skipped) + no_events_warning(no_event_rows)
    fiscal_year = fiscal_year_of(title)
    if fiscal_year is None:
        fiscal_year = fiscal_year_of_rows(rows)
        if fiscal_year is None:
            raise NotAReport(f"{facts.name}: 年度が分かりません / no fiscal year in the title or the dates")
        warnings.append(f"年度を日付から推定 / fiscal year {fiscal_year} taken from the dates (no title)")
    records, row_warnings = records_from_rows(rows, fiscal_year, facts.name, found)
    assign_ids(records)
    return Report(
        fiscal_year, title, facts.name, facts.sha256, facts.pages, records, warnings + row_warnings, series=series_of(title)
    )


def records_from_rows(
    rows: Sequence[Row], fiscal_year: int | None, file_name: str, problems: Sequence[Problem] = ()
) -> tuple[list[Record], list[str]]:
    """Records of the rows (labels resolved, periods parsed) and the warnings to show.

    problems: what `ingest.checks` found (rows stored only with force): each record keeps its own, and a
    warning line sums up each kind.
    """
    records: list[Record] = []
    warnings: list[str] = summary(list(problems))
    flagged: dict[int, list[str]] = {}
    for p in problems:
        flagged.setdefault(p.row, []).append(p.text)
    resolved: dict[str, labels.Resolution] = {}
    for i, row in enumerate(rows):
        if not (row.description or row.department or row.period_text):
            continue
        at = str(row.at)
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
                source=row.at.source(file_name),
                problems=flagged.get(i, []),
            )
        )
    return records, warnings
