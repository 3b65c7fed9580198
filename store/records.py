"""The record: the unit ingest, store, search, the bot and the CLI all share (see DESIGN.md)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import date
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

    def identity(self) -> str:
        """The text that makes a record itself: fiscal year, municipality, description, period.

        The series is not part of it: ids stored before series existed stay valid, and a report that keeps its
        series keeps its ids. The same event printed in two series of one year has one id in each; ids are
        unique within a report (fiscal_year, series), and the store keys records by (fiscal_year, series, id).
        """
        who = self.municipality_code or self.printed_name
        return f"{self.fiscal_year}|{who}|{self.description}|{self.period_text}"

    def to_dict(self) -> dict[str, Any]:
        """The record schema as a plain dict, keys in DESIGN.md order (what export and --json print)."""
        d = asdict(self)
        d["start"], d["end"] = self.start, self.end
        return {k: d[k] for k in FIELDS}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Record:
        """Inverse of `to_dict`; accepts a CSV row too (intervals as JSON text, source_file/source_page). An
        export made before series existed has no `series`: it reads as "" (unknown).

        Validates what it reads: fiscal_year an integer 1900–2999; municipality, description a non-empty
        string; intervals [[ISO date, ISO date or null]] with start ≤ end. Raises ValueError (one line,
        naming the field) otherwise.
        """
        if not isinstance(d, dict):
            raise ValueError(f"a record must be an object, not {type(d).__name__}")

        def text(key: str, required: bool = False) -> str:
            value = d.get(key)
            if value is None or value == "":
                if required:
                    raise ValueError(f"{key} is missing")
                return ""
            if not isinstance(value, (str, int, float)) or isinstance(value, bool):
                raise ValueError(f"{key} must be text, not {type(value).__name__}")
            return str(value)

        fy = d.get("fiscal_year")
        try:
            fiscal_year = int(str(fy).strip()) if not isinstance(fy, bool) else None
        except ValueError:
            fiscal_year = None
        if fiscal_year is None or not 1900 <= fiscal_year <= 2999:
            raise ValueError(f"fiscal_year {fy!r} is not a year")
        intervals = d.get("intervals") or []
        if isinstance(intervals, str):
            intervals = json.loads(intervals) if intervals.strip() else []
        checked: list[list[str | None]] = []
        if not isinstance(intervals, list):
            raise ValueError("intervals must be a list of [start, end]")
        for iv in intervals:
            if (
                not isinstance(iv, (list, tuple))
                or len(iv) != 2
                or not isinstance(iv[0], str)
                or not isinstance(iv[1], (str, type(None)))
            ):
                raise ValueError(f"interval {iv!r} is not [start, end]")
            start, end = date.fromisoformat(iv[0]), date.fromisoformat(iv[1]) if iv[1] else None
            if end is not None and end < start:
                raise ValueError(f"interval {iv!r} ends before it starts")
            checked.append([start.isoformat(), end.isoformat() if end else None])
        source = d.get("source") or {}
        if isinstance(source, str):
            source = json.loads(source) if source.strip() else {}
        if not isinstance(source, dict):
            raise ValueError("source must be {file, page}")
        if not source and (d.get("source_file") or d.get("source_page") or d.get("source_row")):
            page, row = d.get("source_page"), d.get("source_row")
            source = {
                "file": d.get("source_file") or "",
                "page": int(str(page)) if str(page or "").strip() else None,
                "row": int(str(row)) if str(row or "").strip() else None,
            }
        row = source.get("row")
        source = {
            "file": str(source.get("file") or ""),
            "page": source.get("page") if isinstance(source.get("page"), int) else None,
            **({"row": row} if isinstance(row, int) and not isinstance(row, bool) else {}),
        }
        problems = d.get("problems") or []
        if isinstance(problems, str):
            problems = json.loads(problems) if problems.strip() else []
        if not isinstance(problems, list) or not all(isinstance(x, str) for x in problems):
            raise ValueError("problems must be a list of texts")
        approx = d.get("approximate", False)
        if isinstance(approx, str):
            approx = approx.strip().lower() in ("1", "true", "yes")
        code = text("municipality_code")
        if code and not (code.isdigit() and len(code) <= 6):
            raise ValueError(f"municipality_code {code!r} is not a 6-digit code")
        municipality = text("municipality", required=True)
        return cls(
            fiscal_year=fiscal_year,
            municipality=municipality,
            municipality_code=code.zfill(6) if code else None,
            printed_name=text("printed_name") or municipality,
            description=text("description", required=True),
            department=text("department"),
            period_text=text("period_text"),
            intervals=checked,
            approximate=bool(approx),
            source=source,
            id=text("id"),
            series=text("series").strip(),
            problems=list(problems),
        )


def assign_ids(records: list[Record]) -> None:
    """Give each record a stable id: sha1 of `identity()` (16 hex); repeats get an occurrence suffix."""
    seen: dict[str, int] = {}
    for r in records:
        base = hashlib.sha1(r.identity().encode("utf-8")).hexdigest()[:16]
        n = seen.get(base, 0)
        seen[base] = n + 1
        r.id = base if n == 0 else f"{base}-{n + 1}"
