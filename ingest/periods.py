"""The compact era dates of 実施期間 cells, parsed into ISO date intervals.

Grammar (after NFKC, so full-width digits and ～ are plain; 〜 ~ ～ - and ー/－/−/‐ between dates are range
marks; spaces around a range mark and weekdays in parentheses — R6.7.5 (金) ～ 10.6 (日) — carry nothing):

    period  := line ("\\n" line)*                 each line continues the previous one's year
    line    := item (LIST item)* note*            LIST is ・ 、 , ，
    item    := date [RANGE [date]] approx?        an open end (R6.6.17～) is allowed
             | fiscal                             R6年度 / 令和6年度 → 1 April .. 31 March
    date    := [era year SEP | western SEP] month [SEP day]
    era     := R | H | S | 令和 | 平成 | 昭和     year: digits or 元 (R元 = 2019)
    note    := anything else: 発行, 承認受け, （昭和小）, 移動教室 … kept in the text, not in dates
    whole   := 通年 | 年間 | 通期 | 年度内 | 年度中      a cell of one of these alone (a note in brackets aside):
                                                the report's fiscal year; 随時 ("as needed") gives no days

Rules of the FY2024 report, which are the rules of the kind (see `../shared/data/README.md`):

- a date without an era inherits the year of the date before it and rolls over to the next year when
  its month is earlier (R6.10.12～1.13 ends 2025-01-13);
- a month without a day covers the whole month (R6.4 → 2024-04-01..2024-04-30, R7.1～2 → Jan..Feb 2025);
- after a date with a day, a bare number is a day of the same month (R6.7.5～10 → 7/5..7/10);
  after a month-only date it is a month (R6.6～10 → June..October);
- 前後, 頃, ごろ, 程度, 上旬/中旬/下旬 make the period `approximate` (上旬 = days 1–10, 中旬 11–20, 下旬 21–end);
- the first date's year may come from the fiscal year when it has no era (4–12 → FY, 1–3 → FY+1).

Era years, fiscal years and the parts of a month come from `store.era`, the grammar the query side uses too.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from store import era

# a cell of one of these alone is the whole fiscal year; 随時 ("as needed") is not: it gives no days at all
WHOLE_YEAR = ("通年", "年間", "年間を通して", "通期", "年度内", "年度中")
APPROXIMATE = ("前後", "頃", "ごろ", "ころ", "程度", "上旬", "中旬", "下旬", "初旬", "末頃")

_SEP = r"\s*(?:[./]|年)\s*"
_ERA = rf"(?P<era>{era.ERA_PATTERN})\s*(?P<ey>{era.ERA_YEAR_PATTERN})"
_WESTERN = rf"(?P<wy>{era.WESTERN_YEAR_PATTERN})"
TOKEN = re.compile(
    rf"""
    (?P<fiscal>(?:(?P<fera>{era.ERA_PATTERN})\s*(?P<fey>{era.ERA_YEAR_PATTERN})|(?P<fwy>{era.WESTERN_YEAR_PATTERN}))\s*年度)
  | (?P<date>(?:(?:{_ERA}|{_WESTERN}){_SEP})?
        (?P<m>\d{{1,2}})\s*(?:月\s*(?:(?P<d>\d{{1,2}})\s*日)?|[./]\s*(?P<d2>\d{{1,2}})\s*日?)?
        (?P<part>\s*(?:上旬|中旬|下旬|初旬|末))?)
  | (?P<bareday>(?P<bd>\d{{1,2}})\s*日)
  | (?P<range>[~\-])
  | (?P<list>[・、,])
  | (?P<paren>\([^)]*\)?)
  | (?P<approx>前後|頃|ごろ|ころ|程度)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True)
class Period:
    """One parsed 実施期間.

    text: as printed (lines joined with "\\n"); intervals: [(start, end)] ISO-ordered `datetime.date`s,
    end inclusive, end None = open-ended; approximate: 前後 and kin; notes: non-date text in reading
    order; problems: what could not be read (empty when `parsed`).
    """

    text: str
    intervals: tuple[tuple[dt.date, dt.date | None], ...] = ()
    approximate: bool = False
    notes: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()

    @property
    def parsed(self) -> bool:
        return bool(self.intervals) and not self.problems

    @property
    def start(self) -> dt.date | None:
        return min((a for a, _ in self.intervals), default=None)

    @property
    def end(self) -> dt.date | None:
        if not self.intervals or any(b is None for _, b in self.intervals):
            return None
        return max(b for _, b in self.intervals)  # type: ignore[type-var]

    def iso_intervals(self) -> list[list[str | None]]:
        """Intervals as [[ "YYYY-MM-DD", "YYYY-MM-DD" or None ], ...] (the record schema's shape)."""
        return [[a.isoformat(), b.isoformat() if b else None] for a, b in self.intervals]


@dataclass
class _Date:
    year: int | None
    month: int | None
    day: int | None
    part: str = ""  # 上旬 / 中旬 / 下旬 / 末


@dataclass
class _Context:
    year: int | None = None
    month: int | None = None
    day_precision: bool = False
    fiscal_year: int | None = None
    problems: list[str] = field(default_factory=list)


def _normalise(text: str) -> str:
    s = unicodedata.normalize("NFKC", text)
    s = s.replace("〜", "~").replace("∼", "~").replace("˜", "~").replace("－", "-").replace("‐", "-").replace("―", "-")
    s = s.replace("−", "-").replace("–", "-").replace("—", "-").replace("，", ",").replace("､", "、")
    return _DASH_RANGE.sub("-", s)


def _bare_number_as_day(tok: _Date, raw: str, ctx: _Context) -> _Date:
    """After a date with a day, a bare number ("10" in R6.7.5～10) is a day of the same month."""
    bare = tok.year is None and tok.day is None and not tok.part and "月" not in raw and tok.month is not None
    return _Date(None, None, tok.month) if bare and ctx.day_precision else tok


def _resolve(tok: _Date, ctx: _Context) -> tuple[dt.date, dt.date] | None:
    """Turn a date token into its first and last day, filling year/month from context."""
    year, month, day = tok.year, tok.month, tok.day
    if month is None:  # bare day (10日) after a date: same month
        if ctx.month is None:
            ctx.problems.append("day without month")
            return None
        month = ctx.month
        year = ctx.year
    if year is None:
        if ctx.year is not None:
            # R6.10.12～1.13: January after October is next year
            year = era.year_after(ctx.year, ctx.month, month) if ctx.month is not None else ctx.year
        elif ctx.fiscal_year is not None:
            year = era.year_in_fiscal_year(ctx.fiscal_year, month)
        else:
            ctx.problems.append(f"no year for {month}月")
            return None
    if not 1 <= month <= 12:
        ctx.problems.append(f"month {month}")
        return None
    if day is not None:
        if not 1 <= day <= era.last_day(year, month):
            ctx.problems.append(f"day {year}-{month}-{day}")
            return None
        first = final = dt.date(year, month, day)
    else:
        first, final = era.part_of_month(year, month, tok.part)
    ctx.year, ctx.month, ctx.day_precision = year, month, day is not None
    return first, final


WEEKDAY = re.compile(r"\(\s*[月火水木金土日祝休](?:曜日?)?(?:\s*[・,、]\s*[月火水木金土日祝休](?:曜日?)?)*\s*\)")
# ー typed for a range mark between dates (R6.7.5ー10.6): a long-vowel mark never follows a digit in a date
_DASH_RANGE = re.compile(r"(?<=[\d)日月旬末])\s*[ーｰ]\s*(?=[\dRHS令平昭])")


def _tokens(line: str):
    """(kind, value, raw) for each piece of one line: fiscal, date, range, list, paren, approx, other.
    Weekdays in parentheses — R6.7.5(金)～10.6(日) — and spaces around a range mark carry nothing."""
    line = WEEKDAY.sub(" ", line)
    for m in TOKEN.finditer(line):
        kind = m.lastgroup
        g = m.groupdict()
        if g["fiscal"]:
            fy = era.era_year(g["fera"], g["fey"]) if g["fera"] else int(g["fwy"])
            yield "fiscal", fy, m.group(0)
        elif g["date"]:
            year = None
            if g["era"]:
                year = era.era_year(g["era"], g["ey"])
            elif g["wy"]:
                year = int(g["wy"])
            day = g["d"] or g["d2"]
            part = (g["part"] or "").strip()
            yield "date", _Date(year, int(g["m"]), int(day) if day else None, part), m.group(0)
        elif g["bareday"]:
            yield "date", _Date(None, None, int(g["bd"])), m.group(0)
        elif kind in ("range", "list", "paren", "approx"):
            yield kind, None, m.group(0)
        elif m.group(0).isspace():
            yield "space", None, m.group(0)
        else:
            yield "other", None, m.group(0)


def _without_spaces_at_ranges(toks: list[tuple]) -> list[tuple]:
    """Drop spaces next to a range mark (R6.7.5 ～ 10.6 is R6.7.5～10.6); other spaces stay note text."""
    out: list[tuple] = []
    for k, t in enumerate(toks):
        if t[0] == "space":
            before = out[-1][0] if out else ""
            after = next((u[0] for u in toks[k + 1 :] if u[0] != "space"), "")
            if before == "range" or after == "range":
                continue
        out.append(t)
    return out


@dataclass
class _Line:
    """What one line of a period cell gave."""

    intervals: list[tuple[dt.date, dt.date | None]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    approximate: bool = False
    note: str = ""

    def flush(self) -> None:
        if self.note.strip():
            self.notes.append(self.note.strip())
        self.note = ""


def _read_range(toks: list[tuple], i: int, first: dt.date, last: dt.date, ctx: _Context, out: _Line) -> int:
    """After a date at toks[i-1] spanning first..last: a range to the next date, an open end (～ with
    nothing after it) or the date alone. Returns the index of the next token to read."""
    if i >= len(toks) or toks[i][0] != "range":
        out.intervals.append((first, last))
        return i
    j = i + 1
    if j < len(toks) and toks[j][0] == "date":
        end_tok = _bare_number_as_day(toks[j][1], toks[j][2], ctx)
        end_span = _resolve(end_tok, ctx)
        if end_span is None:
            return j + 1
        if end_span[1] < first:
            ctx.problems.append(f"range ends before it starts: {toks[i - 1][2]}{toks[i][2]}{toks[j][2]}")
            return j + 1
        out.intervals.append((first, end_span[1]))
        out.approximate = out.approximate or bool(end_tok.part)
        return j + 1
    if toks[i][2] == "~":
        out.intervals.append((first, None))  # open end: R6.6.17～
    else:  # "-" only counts as a range mark when a date follows
        out.intervals.append((first, last))
        out.note += toks[i][2]
    return i + 1


def _read_line(line: str, ctx: _Context) -> _Line:
    """One line of a period cell: its intervals, notes and whether it is approximate."""
    out = _Line()
    try:
        toks = _without_spaces_at_ranges(list(_tokens(line)))
    except ValueError as e:  # R0.4.1: an era year that does not exist
        ctx.problems.append(str(e))
        return out
    i = 0
    while i < len(toks):
        kind, val, raw = toks[i]
        i += 1
        if kind == "fiscal":
            out.flush()
            out.intervals.append((dt.date(val, 4, 1), dt.date(val + 1, 3, 31)))
            ctx.year, ctx.month, ctx.day_precision = val + 1, 3, False
        elif kind == "date":
            out.flush()
            span = _resolve(_bare_number_as_day(val, raw, ctx), ctx)
            if span is not None:
                out.approximate = out.approximate or bool(val.part)
                i = _read_range(toks, i, span[0], span[1], ctx, out)
        elif kind == "list":
            out.flush()
        else:  # approx, paren, other text, a range mark with no date before it ("～R6.6.30": open start)
            out.approximate = out.approximate or kind == "approx"
            out.note += raw
    out.flush()
    out.approximate = out.approximate or any(n in line for n in APPROXIMATE)
    return out


def parse_period(text: str, fiscal_year: int | None = None) -> Period:
    """Parse one 実施期間 cell. Never raises: what cannot be read is listed in `Period.problems`.

    text: the cell as printed, lines separated by "\\n"; fiscal_year: e.g. 2024 for 令和6年度, used only
    for dates printed without an era. Returns a `Period` (see its docstring for shapes).
    """
    ctx = _Context(fiscal_year=fiscal_year)
    lines = [_read_line(line.strip(), ctx) for line in _normalise(text).split("\n") if line.strip()]
    intervals = [iv for line in lines for iv in line.intervals]
    problems = list(ctx.problems)
    whole = re.sub(r"\([^)]*\)", "", _normalise(text)).strip()  # 通年（月1回）: the note in brackets aside
    approximate = any(line.approximate for line in lines)
    if not intervals and not problems and fiscal_year is not None and whole in WHOLE_YEAR:
        intervals = [(dt.date(fiscal_year, 4, 1), dt.date(fiscal_year + 1, 3, 31))]
    if not intervals and not problems:
        problems.append("no date")
    return Period(
        text=text,
        intervals=tuple(intervals),
        approximate=approximate,
        notes=tuple(n for line in lines for n in line.notes),
        problems=tuple(problems),
    )
