"""The record: the unit ingest, store, search, the bot and the CLI all share (see DESIGN.md)."""

from __future__ import annotations

import hashlib
import json
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
)


@dataclass
class Record:
    """One exchange event as printed in a report.

    fiscal_year: 2024 for 令和6年度 (April 2024 – March 2025); municipality: official name with prefecture
    (石川県金沢市) or the printed name when it could not be resolved; municipality_code: 6-digit
    全国地方公共団体コード ("172014") or None; intervals: [[start ISO date, end ISO date or None]] with the
    end inclusive; start/end: overall span (end None when any interval is open); source: {"file", "page"}.
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

    @property
    def start(self) -> str | None:
        return min((a for a, _ in self.intervals if a), default=None)

    @property
    def end(self) -> str | None:
        if not self.intervals or any(b is None for _, b in self.intervals):
            return None
        return max(b for _, b in self.intervals if b)

    def identity(self) -> str:
        """The text that makes a record itself: fiscal year, municipality, description, period."""
        who = self.municipality_code or self.printed_name
        return f"{self.fiscal_year}|{who}|{self.description}|{self.period_text}"

    def to_dict(self) -> dict[str, Any]:
        """The record schema as a plain dict, keys in DESIGN.md order (what export and --json print)."""
        d = asdict(self)
        d["start"], d["end"] = self.start, self.end
        return {k: d[k] for k in FIELDS}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Record:
        """Inverse of `to_dict`; accepts a CSV row too (intervals as JSON text, source_file/source_page).

        Raises KeyError / ValueError on a row missing required fields.
        """
        intervals = d.get("intervals") or []
        if isinstance(intervals, str):
            intervals = json.loads(intervals) if intervals.strip() else []
        source = d.get("source") or {}
        if isinstance(source, str):
            source = json.loads(source) if source.strip() else {}
        if not source and (d.get("source_file") or d.get("source_page")):
            page = d.get("source_page")
            source = {"file": d.get("source_file") or "", "page": int(page) if str(page or "").strip() else None}
        approx = d.get("approximate", False)
        if isinstance(approx, str):
            approx = approx.strip().lower() in ("1", "true", "yes")
        code = d.get("municipality_code") or None
        return cls(
            fiscal_year=int(d["fiscal_year"]),
            municipality=d["municipality"],
            municipality_code=str(code).zfill(6) if code else None,
            printed_name=d.get("printed_name") or d["municipality"],
            description=d["description"],
            department=d.get("department") or "",
            period_text=d.get("period_text") or "",
            intervals=[list(iv) for iv in intervals],
            approximate=bool(approx),
            source=source,
            id=d.get("id") or "",
        )


def assign_ids(records: list[Record]) -> None:
    """Give each record a stable id: sha1 of `identity()` (16 hex); repeats get an occurrence suffix."""
    seen: dict[str, int] = {}
    for r in records:
        base = hashlib.sha1(r.identity().encode("utf-8")).hexdigest()[:16]
        n = seen.get(base, 0)
        seen[base] = n + 1
        r.id = base if n == 0 else f"{base}-{n + 1}"
