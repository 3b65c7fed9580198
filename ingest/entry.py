"""Events recorded one at a time (`koryu add`), as they happen, instead of read from a published report.

    record = entry_record("金沢市", "朝顔市で物産展", "アカデミー推進課", "R7.7.20～7.21")
    diff = add_record(db, record)                      # stored in 令和7年度 交流実績一覧（登録分）, searchable at once

A recorded event belongs to its fiscal year's draft series (DRAFT_SERIES): the published report of that year,
when it is ingested, is another series beside it, so the two can be compared and nothing is lost either way.
Every field is read as ingest reads a report's cell — the municipality with the gazetteer (a short name, a
name with its prefecture; a near miss is refused with its もしかして), the period with the report's notation
(R7.5.30～5.31, R7.6, 2025/7/20-21) — and bad input is one line (EntryError) that stores nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from ingest.labels import resolve
from ingest.periods import Period, parse_period
from store.db import Diff, Store
from store.era import ERA_PATTERN, fiscal_year_of, notation
from store.normalize import fold
from store.records import ENTRY_SOURCE, Record, assign_ids

DRAFT_SERIES = "交流実績一覧（登録分）"
ALREADY = "同じ記録がすでにあります / the same event is already recorded"


class EntryError(ValueError):
    """A field of a recorded event that cannot be stored, said in one line (Japanese / English). field: which
    (municipality | description | department | period; "" for the event as a whole, e.g. recorded already)."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.field = field


def draft_title(fiscal_year: int) -> str:
    """令和7年度交流実績一覧（登録分） for 2025 (the title the draft report is stored and exported under)."""
    reiwa = fiscal_year - 2018
    era = f"令和{reiwa}年度" if reiwa >= 1 else f"{fiscal_year}年度"
    return f"{era}{DRAFT_SERIES}"


def entry_record(
    municipality: str,
    description: str,
    department: str,
    period: str,
    fiscal_year: int | None = None,
    today: dt.date | None = None,
    suggest: Callable[[str], list[str]] | None = None,
    partners: frozenset[str] = frozenset(),
) -> Record:
    """One event as a Record of its fiscal year's draft series (id assigned when stored). fiscal_year: the
    year the period's era dates are read in; None = the fiscal year of `today` (then of the period's start);
    suggest: names a misspelt municipality may be (the store's partners, `store.query.stages.place_suggestions`);
    partners: the full names of the stored partners, which settle a short name several places share (金沢).
    Raises EntryError naming the field."""
    today = today or dt.date.today()
    description, department, period = description.strip(), department.strip(), period.strip()
    if not description:
        raise EntryError("事業内容が空です / the description is empty", "description")
    if not department:
        raise EntryError("所管課が空です / the department is empty", "department")
    found = resolve(municipality)
    if found.method == "ambiguous" and partners:  # 金沢: 石川県金沢市 when it is a partner, not 横浜市金沢区
        ours = [c for c in found.candidates if c in partners]
        if len(ours) == 1:
            found = resolve(ours[0])
    if found.municipality is None or found.method in ("fuzzy", "ambiguous"):
        hint = ""
        if found.municipality is not None:
            hint = f"もしかして {found.municipality.full_name}？ / did you mean {found.municipality.full_name}?"
        elif found.candidates:
            hint = "候補: " + "、".join(found.candidates) + " / candidates"
        elif suggest is not None and (names := suggest(municipality)):
            hint = f"もしかして {'・'.join(names)}？ / did you mean {', '.join(names)}?"
        raise EntryError(f"{municipality}: 自治体を特定できません / unknown municipality. {hint}".strip(), "municipality")
    parsed = parse_period(period, fiscal_year if fiscal_year is not None else fiscal_year_of(today))
    if not period or not parsed.parsed:
        why = "、".join(parsed.problems) or "日付がありません / no date"
        raise EntryError(f"{period or '（空）'}: 実施期間を読めません / cannot read the period ({why})", "period")
    year = fiscal_year if fiscal_year is not None else fiscal_year_of(parsed.start or today)
    m = found.municipality
    return Record(
        fiscal_year=year,
        municipality=m.full_name,
        municipality_code=m.code,
        printed_name=m.local_name if not m.is_prefecture else m.full_name,
        description=description,
        department=department,
        period_text=_as_printed(parsed),
        intervals=parsed.iso_intervals(),
        approximate=parsed.approximate,
        source={"file": ENTRY_SOURCE, "page": None},
        series=DRAFT_SERIES,
    )


def _as_printed(period: Period) -> str:
    """The period as the 一覧 prints it: as typed when typed in the report's notation (R7.5.30～5.31, 令和7年6月),
    else written in it (2025/7/20-21 → R7.7.20～7.21), so a printed 一覧 read back gives the same record."""
    if re.match(rf"\s*(?:{ERA_PATTERN})", period.text, re.IGNORECASE) or period.approximate or period.notes:
        return period.text
    return notation(list(period.intervals))


def _store(db: Store, fiscal_year: int, records: list[Record]) -> Diff:
    from store.gazetteer import municipality_rows

    assign_ids(records)
    meta = {"fiscal_year": fiscal_year, "series": DRAFT_SERIES, "title": draft_title(fiscal_year), "source_file": ENTRY_SOURCE}
    return db.replace_report(meta, records, municipality_rows(records))


def recorded_already(db: Store, record: Record, except_id: str = "") -> bool:
    """Whether its year's draft already holds the same event (municipality, description, period) — other than the
    one being edited (`except_id`)."""
    kept = db.records(record.fiscal_year, DRAFT_SERIES)
    return any(r.identity() == record.identity() and r.id != except_id for r in kept)


def add_record(db: Store, record: Record, added_by: str = "", note: str = "") -> Record:
    """Store `record` in its year's draft report (the others kept) and return it with its id; who added it (a
    Slack user id, "" from the CLI) and the note are kept beside it (store.entries). Raises EntryError when the
    same event (municipality, description, period) is already recorded."""
    if recorded_already(db, record):
        raise EntryError(ALREADY)
    _store(db, record.fiscal_year, [*db.records(record.fiscal_year, DRAFT_SERIES), record])
    stored = [r for r in db.records(record.fiscal_year, DRAFT_SERIES) if r.identity() == record.identity()][0]
    db.entries.keep(stored.id, added_by, note)
    return stored


def find_record(db: Store, record_id: str) -> Record:
    """The recorded event (draft series) with this id. Raises EntryError when none has it (a record read from a
    published report is that report's, never edited one by one)."""
    return _find(db, record_id)


def may_change(db: Store, record_id: str, user: str, admin: bool) -> bool:
    """Whether `user` may edit or delete the recorded event: the admins, and the person who added it."""
    if admin:
        return True
    kept = db.entries.of(record_id)
    return bool(kept and user and kept["added_by"] == user)


def _find(db: Store, record_id: str) -> Record:
    for year in db.fiscal_years():
        for r in db.records(year, DRAFT_SERIES):
            if r.id == record_id:
                return r
    raise EntryError(
        f"{record_id}: 登録分にその ID の記録はありません（報告書から読んだ記録は変えられません） / no recorded event has this id"
    )


def delete_record(db: Store, record_id: str) -> Record:
    """Remove a recorded event (only the draft series: records read from a published report are that
    report's). Returns what was removed; EntryError when no recorded event has the id."""
    gone = _find(db, record_id)
    kept = [r for r in db.records(gone.fiscal_year, DRAFT_SERIES) if r.id != record_id]
    if kept:
        _store(db, gone.fiscal_year, kept)
    else:
        db.delete_report(gone.fiscal_year, DRAFT_SERIES)
    db.entries.forget(record_id)
    return gone


def edit_record(
    db: Store,
    record_id: str,
    suggest: Callable[[str], list[str]] | None = None,
    partners: frozenset[str] = frozenset(),
    note: str | None = None,
    **changes: str | None,
) -> Record:
    """Change fields of a recorded event: municipality, description, department, period (texts, read as in
    `entry_record`; None keeps a field), and its note (None keeps it). Returns the stored record (a new id when
    its identity changed; its author and note follow it)."""
    old = _find(db, record_id)
    new = entry_record(
        changes.get("municipality") or old.municipality,
        changes.get("description") or old.description,
        changes.get("department") or old.department,
        changes.get("period") or old.period_text,
        fiscal_year=old.fiscal_year,
        suggest=suggest,
        partners=partners,
    )
    if recorded_already(db, new, except_id=record_id):
        raise EntryError(ALREADY)
    kept = [r for r in db.records(old.fiscal_year, DRAFT_SERIES) if r.id != record_id]
    _store(db, old.fiscal_year, [*kept, new])
    stored = next(r for r in db.records(old.fiscal_year, DRAFT_SERIES) if r.identity() == new.identity())
    db.entries.moved(record_id, stored.id, note)
    return stored


@dataclass(frozen=True)
class DraftComparison:
    """A published report of a year set beside the events recorded for it (its draft): matched, the pairs
    found in both; draft_only, recorded but not in the report (forgotten in the report, or never held);
    report_only, in the report but never recorded. fiscal_year: the year both belong to."""

    fiscal_year: int
    matched: int
    draft_only: tuple[Record, ...]
    report_only: tuple[Record, ...]


def _same_event(a: Record, b: Record) -> bool:
    """One partner (its code, or its name when it has none) and at least one day in common."""
    if (a.municipality_code or a.municipality) != (b.municipality_code or b.municipality):
        return False
    return any(s1 <= e2 and s2 <= e1 for s1, e1 in a.closed_intervals() for s2, e2 in b.closed_intervals())


SAME_EVENT_WORDS = 55  # partial_ratio (0–100) from which two descriptions of one partner's shared days are one event


def compare_with_draft(db: Store, fiscal_year: int, records: list[Record]) -> DraftComparison | None:
    """The report's `records` (of `fiscal_year`, not the draft itself) against that year's recorded events; None
    when the year has none. An event and a report row are the same when they name one partner, share a day, and
    either start on the same day or have descriptions alike (rapidfuzz partial_ratio of the folded texts ≥
    SAME_EVENT_WORDS: a typed description never equals the printed one, and a row running all year shares a
    day with every event); among several, the nearest description is taken, each row matched once."""
    from rapidfuzz import fuzz

    drafts = db.records(fiscal_year, DRAFT_SERIES)
    if not drafts:
        return None
    free = [r for r in records if r.series != DRAFT_SERIES]
    draft_only: list[Record] = []
    matched = 0
    for d in drafts:
        alike = {r.id: fuzz.partial_ratio(fold(d.description), fold(r.description)) for r in free}
        candidates = [r for r in free if _same_event(d, r) and (r.start == d.start or alike[r.id] >= SAME_EVENT_WORDS)]
        if not candidates:
            draft_only.append(d)
            continue
        best = max(candidates, key=lambda r: alike[r.id])
        free.remove(best)
        matched += 1
    return DraftComparison(fiscal_year, matched, tuple(draft_only), tuple(free))
