"""Japanese calendar facts shared by ingest (実施期間 cells) and the query (dates people type): era years,
fiscal years, the parts of a month. One grammar, so a period read from a report and the same words typed
in a question always mean the same days.

Facts and their sources:

- Era first years (元年): 令和 2019 (May 1), 平成 1989 (Jan 8), 昭和 1926 (Dec 25) — 元号法 and the
  Cabinet orders naming each era. A year is counted from the era's first year: R6 = 2018 + 6 = 2024. Year 0
  of an era does not exist (R0 is refused, never read as 2018).
- The fiscal year (年度) of Japanese local governments runs 1 April – 31 March (地方自治法 第208条): 令和6年度 =
  2024-04-01 .. 2025-03-31. A month without a year inside a fiscal year: April–December → the fiscal year's
  own year, January–March → the next calendar year.
- Parts of a month (旬): 上旬/初旬 days 1–10, 中旬 11–20, 下旬 21–end (the 旬 of 気象庁 and of everyday usage);
  末/月末 the last five days.
"""

from __future__ import annotations

import calendar
import datetime as dt

ERA_FIRST_YEAR = {"令和": 2019, "平成": 1989, "昭和": 1926}
# the abbreviations reports and people write (R6.7.5, H31, S64; 令6 in some tables)
ERA_ABBREVIATIONS = {"R": "令和", "令": "令和", "H": "平成", "平": "平成", "S": "昭和", "昭": "昭和"}
# for regular expressions: full names first, so 令和 is never read as the abbreviation 令 followed by 和
ERA_PATTERN = "令和|平成|昭和|R|H|S"
ERA_YEAR_PATTERN = r"元|\d{1,2}"
WESTERN_YEAR_PATTERN = r"(?:19|20)\d{2}"

FISCAL_YEAR_FIRST_MONTH = 4
MONTH_END_DAYS = 5  # 末 / 月末: the last five days of the month


class NotAYear(ValueError):
    """An era year that does not exist (R0) or an unknown era name."""


def era_year(era: str, year: str | int) -> int:
    """Western year of an era year: ("R", "6") → 2024, ("令和", "元") → 2019, ("S", 64) → 1989.

    era: 令和/平成/昭和 or R/H/S/令/平/昭 (case-insensitive for the letters); year: digits or 元. Raises
    NotAYear for year 0, a negative year or an unknown era.
    """
    name = ERA_ABBREVIATIONS.get(era.upper() if era.isascii() else era, era)
    if name not in ERA_FIRST_YEAR:
        raise NotAYear(f"{era} is not an era")
    n = 1 if year == "元" else int(year)
    if n < 1:
        raise NotAYear(f"{era}{year} is not a year")
    return ERA_FIRST_YEAR[name] + n - 1


def fiscal_year_of(day: dt.date) -> int:
    """The fiscal year a day belongs to: 2025-03-31 → 2024, 2025-04-01 → 2025."""
    return day.year if day.month >= FISCAL_YEAR_FIRST_MONTH else day.year - 1


def year_in_fiscal_year(fiscal_year: int, month: int) -> int:
    """Calendar year of a month inside a fiscal year: (2024, 11) → 2024, (2024, 2) → 2025."""
    return fiscal_year if month >= FISCAL_YEAR_FIRST_MONTH else fiscal_year + 1


def year_after(previous_year: int, previous_month: int, month: int) -> int:
    """Year of a year-less month written after a date of (previous_year, previous_month): the same year, or
    the next one when the month comes earlier in the year (R6.10.12～1.13 ends in January 2025)."""
    return previous_year + (1 if month < previous_month else 0)


def last_day(year: int, month: int) -> int:
    """Days in a month: (2024, 2) → 29. Raises ValueError for a month outside 1–12."""
    return calendar.monthrange(year, month)[1]


def month_span(year: int, month: int) -> tuple[dt.date, dt.date]:
    """First and last day of a month. Raises ValueError for a month outside 1–12."""
    return dt.date(year, month, 1), dt.date(year, month, last_day(year, month))


def part_of_month(year: int, month: int, part: str) -> tuple[dt.date, dt.date]:
    """The days a part of a month names: 上旬/初旬 1–10, 中旬 11–20, 下旬 21–end, 末/月末 the last
    MONTH_END_DAYS days; any other text → the whole month. Raises ValueError for a month outside 1–12."""
    first, final = month_span(year, month)
    if part in ("上旬", "初旬"):
        return first, first.replace(day=10)
    if part == "中旬":
        return first.replace(day=11), first.replace(day=20)
    if part == "下旬":
        return first.replace(day=21), final
    if part in ("末", "月末"):
        return final - dt.timedelta(MONTH_END_DAYS - 1), final
    return first, final


# the first day of each era, newest first (元号法; the Cabinet orders naming 令和 and 平成)
ERA_FIRST_DAY = (("R", dt.date(2019, 5, 1)), ("H", dt.date(1989, 1, 8)), ("S", dt.date(1926, 12, 25)))


def _era_of(day: dt.date) -> tuple[str, int]:
    """("R", 7) for 2025-07-20: the abbreviation reports print and the era year."""
    for letter, first in ERA_FIRST_DAY:
        if day >= first:
            return letter, day.year - first.year + 1
    raise NotAYear(f"{day} is before 昭和")


def notation(intervals: list[tuple[dt.date, dt.date | None]]) -> str:
    """Days → the reports' compact notation, the inverse of ingest.periods.parse_period:
    [(2025-07-20, 2025-07-21)] → R7.7.20～7.21; a whole month R7.6; whole months R7.1～2; one day R7.2.25; an
    open end R6.6.17～; several intervals joined by ・ (R7.1.16・1.23); the era (or its year) is written again only
    where it changes (R6.4.1～R7.3.31). intervals: in order, end inclusive, None = open-ended. Raises NotAYear for
    a day before 昭和 and ValueError for no interval."""
    if not intervals:
        raise ValueError("no interval")
    out: list[str] = []
    shown: tuple[str, int] | None = None  # the era year last written

    def day_text(day: dt.date, month_only: bool = False) -> str:
        nonlocal shown
        era = _era_of(day)
        head = "" if era == shown else f"{era[0]}{era[1]}."
        shown = era
        return f"{head}{day.month}" + ("" if month_only else f".{day.day}")

    for a, b in intervals:
        whole = b is not None and a.day == 1 and b.day == last_day(b.year, b.month) and b >= a
        if whole and (a.year, a.month) == (b.year, b.month):  # type: ignore[union-attr]
            out.append(day_text(a, month_only=True))
        elif whole:
            out.append(f"{day_text(a, month_only=True)}～{day_text(b, month_only=True)}")  # type: ignore[arg-type]
        elif b is None:
            out.append(f"{day_text(a)}～")
        elif a == b:
            out.append(day_text(a))
        else:
            out.append(f"{day_text(a)}～{day_text(b)}")
    return "・".join(out)


def japanese_date(value: str | None, missing: str = "日付不明", omit_year: str | None = None) -> str:
    """An ISO day or month as a person reads it: "2024-11-05" → 2024年11月5日, "2024-11" → 2024年11月; the year
    left out when it is `omit_year` ("2024-11", "2024" → 11月: a list of months of one year); `missing` for none
    (日付不明, or 以前 for a name that changed before any date is known). The one formatter of a stored date in
    what users see; a record's whole period is `bot.messages.format_intervals`."""
    if not value:
        return missing
    year, month = value[:4], int(value[5:7])
    text = ("" if year == omit_year else f"{int(year)}年") + f"{month}月"
    return text + (f"{int(value[8:10])}日" if len(value) >= 10 else "")
