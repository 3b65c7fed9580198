"""The record: the unit ingest, store, search, the bot and the CLI all share (see docs/DESIGN.md)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

FIELDS = (
    "id",
    "fiscal_year",
    "municipality",
    "municipality_code",
    "printed_name",
    "description",
    "department",
    "period_text",
    "intervals",
    "start",
    "end",
    "approximate",
    "source",
    "series",
    "problems",
)


ENTRY_SOURCE = "koryu add"  # source["file"] of an event recorded one at a time (ingest.entry), not read from a report


@dataclass
class Record:
    """One exchange event as printed in a report.

    fiscal_year: 2024 for 令和6年度 (April 2024 – March 2025); municipality: official name with prefecture
    (石川県金沢市) or the printed name when it could not be resolved; municipality_code: 6-digit
    全国地方公共団体コード ("172014") or None; intervals: [[start ISO date, end ISO date or None]] with the
    end inclusive; start/end: overall span (end None when any interval is open); source: {"file", "page"};
    series: the report's name without its fiscal year (交流実績一覧（協定等締結自治体）, see
    `ingest.report.series_of`), "" when the report has no title — a fiscal year may hold several series.
    source may also hold "row" (the spreadsheet row of a record read from .xlsx or CSV; "page" is then None);
    problems: what could not be read in this record ("p.1 実施期間: 空欄"), for a file stored with --force
    (`ingest.checks`); empty for every record read in full.
    """

    fiscal_year: int
    municipality: str
    municipality_code: str | None
    printed_name: str
    description: str
    department: str
    period_text: str
    intervals: list[list[str | None]] = field(default_factory=list)
    approximate: bool = False
    source: dict[str, Any] = field(default_factory=dict)
    id: str = ""
    series: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def start(self) -> str | None:
        return min((a for a, _ in self.intervals if a), default=None)

    @property
    def end(self) -> str | None:
        if not self.intervals or any(b is None for _, b in self.intervals):
            return None
        return max(b for _, b in self.intervals if b)

    def closed_intervals(self) -> list[tuple[str, str]]:
        """The days as (first, last) ISO pairs with every end known: an open end (R6.6.17～, "until further notice")
        is known only as far as its report reaches, the end of the fiscal year (a start after it: that day)."""
        year_end = f"{self.fiscal_year + 1}-03-31"
        return [(a, b or max(a, year_end)) for a, b in self.intervals if a]

    def identity(self) -> str:
        """The text that makes a record itself: fiscal year, municipality, description, period.

        The series is not part of it: ids stored before series existed stay valid, and a report that keeps its
        series keeps its ids. The same event printed in two series of one year has one id in each; ids are
        unique within a report (fiscal_year, series), and the store keys records by (fiscal_year, series, id).
        """
        who = self.municipality_code or self.printed_name
        return f"{self.fiscal_year}|{who}|{self.description}|{self.period_text}"

    def to_dict(self) -> dict[str, Any]:
        """The record schema as a plain dict, keys in the order of docs/DESIGN.md's record table (what export and --json print)."""
        d = asdict(self)
        d["start"], d["end"] = self.start, self.end
        return {k: d[k] for k in FIELDS}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Record:
        """Inverse of `to_dict`; accepts a CSV row too (intervals as JSON text, source_file/source_page). An
        export made before series existed has no `series`: it reads as "" (unknown).

        Validates what it reads (`store.record_input.RecordInput`, pydantic): fiscal_year an integer 1900–2999; municipality,
        description non-empty text; municipality_code up to 6 digits; intervals [[ISO date, ISO date or
        null]] with start ≤ end. Raises ValueError (one line, naming the field) otherwise.
        """
        if not isinstance(d, dict):
            raise ValueError(f"a record must be an object, not {type(d).__name__}")
        from pydantic import ValidationError

        from store.record_input import RecordInput  # pydantic builds the model in ~50 ms: only when reading exports

        try:
            r = RecordInput.model_validate(d)
        except ValidationError as e:
            first = e.errors()[0]
            field_name = ".".join(str(x) for x in first["loc"]) or "record"
            raise ValueError(f"{field_name}: {first['msg'].removeprefix('Value error, ')}") from None
        return cls(
            fiscal_year=r.fiscal_year,
            municipality=r.municipality,
            municipality_code=r.municipality_code.zfill(6) if r.municipality_code else None,
            printed_name=r.printed_name or r.municipality,
            description=r.description,
            department=r.department,
            period_text=r.period_text,
            intervals=[[a.isoformat(), b.isoformat() if b else None] for a, b in r.intervals],
            approximate=r.approximate,
            source=r.source,
            id=r.id,
            series=r.series.strip(),
            problems=r.problems,
        )


def assign_ids(records: list[Record]) -> None:
    """Give each record a stable id: sha1 of `identity()` (16 hex); repeats get an occurrence suffix."""
    seen: dict[str, int] = {}
    for r in records:
        base = hashlib.sha1(r.identity().encode("utf-8")).hexdigest()[:16]
        n = seen.get(base, 0)
        seen[base] = n + 1
        r.id = base if n == 0 else f"{base}-{n + 1}"


# The CSV layout, for people in Excel first: the record's fields (FIELDS) with `source` spread over three
# columns and the id last. It is its own list on purpose (the reader finds the columns by name).
CSV_COLUMNS = (
    "fiscal_year",
    "municipality",
    "municipality_code",
    "printed_name",
    "description",
    "department",
    "period_text",
    "start",
    "end",
    "approximate",
    "intervals",
    "source_file",
    "source_page",
    "source_row",
    "series",
    "problems",
    "id",
)


def csv_bytes(records: Iterable[Record]) -> bytes:
    """Records as the CSV `koryu export --format csv` writes: CSV_COLUMNS, UTF-8 with a BOM so that Excel opens it
    as UTF-8, CRLF lines, intervals and problems as JSON text. `koryu ingest` reads it back as the same records
    (ingest.sheet)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(CSV_COLUMNS)
    for r in records:
        d = r.to_dict()
        w.writerow(
            [
                d["fiscal_year"],
                d["municipality"],
                d["municipality_code"] or "",
                d["printed_name"],
                d["description"],
                d["department"],
                d["period_text"],
                d["start"] or "",
                d["end"] or "",
                "true" if d["approximate"] else "false",
                json.dumps(d["intervals"]),
                d["source"].get("file", ""),
                d["source"].get("page") or "",
                d["source"].get("row") or "",
                d["series"],
                json.dumps(d["problems"], ensure_ascii=False) if d["problems"] else "",
                d["id"],
            ]
        )
    return ("\ufeff" + buf.getvalue()).encode("utf-8")
