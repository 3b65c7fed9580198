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
