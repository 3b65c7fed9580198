"""Dates as people type them in a question, with the era and fiscal-year grammar of `store.era` (the one
ingest reads 実施期間 cells with).

Two passes. `explicit_dates` finds what regular expressions can tell apart from words — R6.11, 令和6年11月,
2024年11月15日, 11/15, 11月16日-18日, 11月中旬, R6年度, 今年度, 先月, 去年 — and blanks it out of the text.
`date_word` reads a time-of-year word the analyser has cut out as a word (夏, 夏休み, 年末年始, 第3四半期),
so the 夏 of 夏目漱石 is never summer.

A date without a year takes the year of a date before it in the question (rolling over when its month is
earlier: 10月～1月), else a calendar year named just before it (去年の11月), else the fiscal year asked for
(R6年度 11月), else the latest fiscal year stored (4–12 → that year, 1–3 → the next).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from store import era
from store.query.lexicon import DateWord, Lexicon, date_words
from store.query.model import DateRange, Note

_ERA = rf"({era.ERA_PATTERN})\s*({era.ERA_YEAR_PATTERN})"
_WY = rf"({era.WESTERN_YEAR_PATTERN})"
_WEEKDAY = r"(?:\s*\(\s*[月火水木金土日](?:曜日?)?\s*\))?"
PATTERNS: list[tuple[str, str]] = [
    ("fy", rf"{_ERA}\s*年度"),
    ("fy_w", rf"{_WY}\s*年度"),
    ("rel_fy", r"(一昨年度|再来年度|今年度|本年度|昨年度|前年度|去年度|来年度|次年度)"),
    ("era_ymd", rf"{_ERA}\s*[年./]\s*(\d{{1,2}})\s*[月./]\s*(\d{{1,2}})\s*日?{_WEEKDAY}"),
    ("era_ym", rf"{_ERA}\s*[年./]\s*(\d{{1,2}})(?:\s*月)?(?![\d])"),
    ("era_y", rf"{_ERA}\s*年(?!度)"),
    ("w_ymd", rf"{_WY}\s*[年./-]\s*(\d{{1,2}})\s*[月./-]\s*(\d{{1,2}})\s*日?{_WEEKDAY}"),
    ("w_ym", rf"{_WY}\s*[年./-]\s*(\d{{1,2}})(?:\s*月)?(?![\d])"),
    ("w_y", rf"{_WY}\s*年(?!度)"),
    ("md", rf"(?<![\d.])(\d{{1,2}})\s*月\s*(\d{{1,2}})\s*日{_WEEKDAY}"),
    ("md_slash", rf"(?<![\d/.])(\d{{1,2}})/(\d{{1,2}})(?![\d/]){_WEEKDAY}"),
    ("md_dot", rf"(?<![\d.])(\d{{1,2}})\.(\d{{1,2}})(?![\d.]){_WEEKDAY}"),  # 11.16 of R6.11.15～11.16
    ("m", r"(?<![\d.])(\d{1,2})\s*月(?!日)"),
    ("day", rf"(?<![\d月/.])(\d{{1,2}})\s*日{_WEEKDAY}"),  # 18日 after 11月16日- : a day of the same month
    ("day_bare", r"(?<=[~\-])\s*(\d{1,2})(?![\d/.月日年])"),  # 18 after 11/16- : the same
    ("fy_bare", r"(?<![A-Za-z])(R|H)\s*(元|\d{1,2})(?![\d./年月])"),  # R6 alone: the fiscal year 令和6年度
    ("rel_weekend", r"(今週|先週|来週)(?:\s*末|の週末)"),  # 今週末: Saturday and Sunday of that week
    ("weekend", r"(?<![今先来])週末"),  # 週末 alone: this week's
    ("rel_week", r"(今週|先週|来週)"),
    ("rel_month", r"(今月|先月|来月)"),
    ("rel_year", r"(一昨年|再来年|今年|去年|昨年|来年)"),
    ("rel_day", r"(今日|本日|昨日|明日)"),
]
DATE_RE = re.compile("|".join(f"(?P<{name}>{pat})" for name, pat in PATTERNS))
_PART = re.compile(r"\s*(上旬|中旬|下旬|初旬|月末|末)")
_RANGE = re.compile(r"\s*(?:[~\-]|から)\s*$")
_FROM = re.compile(r"\s*(以降|以後)")
NEGATION = re.compile(r"\s*(以外|を除いて|を除く|除いて|除く|じゃない|じゃなく|ではない|ではなく|でない|抜き)")
_UNTIL = re.compile(r"\s*(まで|以前)")
_YEAR_ONLY = ("era_y", "w_y", "rel_year")
_FISCAL = ("fy", "fy_w", "rel_fy", "fy_bare")


@dataclass
class DateFinding:
    """What `explicit_dates` found. ranges: ORed; excluded: dates followed by 以外/を除く (3月以外);
    fiscal_year: 年度 asked for; year: a calendar year named as context for what follows (去年の夏); rest:
    the text with every date blanked out."""

    ranges: list[DateRange] = field(default_factory=list)
    excluded: list[DateRange] = field(default_factory=list)
    fiscal_year: int | None = None
    year: int | None = None
    notes: list[Note] = field(default_factory=list)
    rest: str = ""


def _label(a: dt.date, b: dt.date) -> str:
    if a == b:
        return f"{a.year}年{a.month}月{a.day}日"
    if a.day == 1 and b == era.month_span(b.year, b.month)[1]:
        if (a.year, a.month) == (b.year, b.month):
            return f"{a.year}年{a.month}月"
        return f"{a.year}年{a.month}月～{b.year}年{b.month}月"
    return f"{a.year}年{a.month}月{a.day}日～{b.year}年{b.month}月{b.day}日"


def explicit_dates(text: str, lexicon: Lexicon) -> DateFinding:
    """Find dates written with digits or relative words (see module docstring). Never raises: an
    impossible date (2月30日) stays in the text and gets a note."""
    found = DateFinding()
    matches = list(DATE_RE.finditer(text))
    for m in matches:  # the fiscal year asked for decides where bare months fall
        if m.lastgroup in _FISCAL:
            fy = _fiscal_year(m, lexicon)
            if fy is not None:
                found.fiscal_year = fy
            else:
                found.notes.append(Note("unreadable", f"「{m.group(0).strip()}」は年度として読めませんでした"))
    fiscal = found.fiscal_year if found.fiscal_year is not None else lexicon.latest_fiscal_year
    cut: list[tuple[int, int]] = []
    last: tuple[int, int, int | None] | None = None  # (year, month, day) of the previous date: year-less ones follow it
    year_context: int | None = None
    for m in matches:
        kind = m.lastgroup or ""
        if kind in _FISCAL:
            cut.append(m.span())
            continue
        g = [x for x in m.groups() if x is not None][1:]
        try:
            span = _span(kind, g, lexicon, fiscal, last, year_context)
        except ValueError:
            if kind not in ("md_dot", "day", "day_bare", "md_slash"):
                found.notes.append(Note("unreadable", f"「{m.group(0).strip()}」は日付として読めませんでした"))
            continue
        if span is None:
            continue
        a, b = span
        end = m.end()
        if kind in _YEAR_ONLY and _followed_by_time(text[end:]):
            # 去年の11月, 2024年の夏: the year says where what follows falls; it is not a range itself
            year_context = a.year
            found.year = a.year
            cut.append((m.start(), end))
            continue
        part = _PART.match(text, end)
        if part and kind in ("m", "era_ym", "w_ym", "rel_month"):
            a, b = era.part_of_month(a.year, a.month, part.group(1))
            end = part.end()
        label = _label(a, b)
        previous_end = cut[-1][1] if cut else None
        if (
            found.ranges
            and previous_end is not None
            and _RANGE.fullmatch(text[previous_end : m.start()])
            and b >= found.ranges[-1].start
        ):
            prev = found.ranges.pop()
            a, label = prev.start, f"{prev.label}～{label}"
            cut[-1] = (cut[-1][0], end)
        else:
            cut.append((m.start(), end))
        open_end = _FROM.match(text, end)
        until = _UNTIL.match(text, end)
        if open_end:
            b = max(b, lexicon.data_span[1] if lexicon.data_span else b)
            label += "以降"
            cut[-1] = (cut[-1][0], open_end.end())
        elif until and not re.match(r"\s*まで\s*[\d]", text[end:]):
            a = min(a, lexicon.data_span[0] if lexicon.data_span else a)
            label += "まで"
            cut[-1] = (cut[-1][0], until.end())
        negation = NEGATION.match(text, cut[-1][1])
        if negation:  # 3月以外: every record but those of March
            found.excluded.append(DateRange(a, b, label))
            cut[-1] = (cut[-1][0], negation.end())
        else:
            found.ranges.append(DateRange(a, b, label))
        if kind not in ("rel_week", "rel_weekend", "weekend", "rel_month", "rel_year", "rel_day"):
            last = (b.year, b.month, b.day)
    rest, pos = [], 0
    for start, stop in cut:
        rest.append(text[pos:start] + " ")
        pos = stop
    rest.append(text[pos:])
    found.rest = "".join(rest)
    found.ranges = _bounded(found.ranges)
    return found


def _bounded(ranges: list[DateRange]) -> list[DateRange]:
    """An open bound beside a period narrows it (本日以降で2月中 → 2月20日～2月28日; 4月以降の夏): every period
    asked for, cut to the bounds (X以降, Xまで). Periods alone, or bounds alone, are left as they are (7月と8月:
    either); a bound outside every period leaves the ranges as they were rather than asking for no day."""
    bounds = [r for r in ranges if r.label.endswith(("以降", "まで"))]
    periods = [r for r in ranges if r not in bounds]
    if not bounds or not periods:
        return ranges
    start, end = max(b.start for b in bounds), min(b.end for b in bounds)
    cut = [
        DateRange(max(p.start, start), min(p.end, end), f"{p.label}（{'・'.join(b.label for b in bounds)}）")
        for p in periods
        if max(p.start, start) <= min(p.end, end)
    ]
    return cut or ranges


def _followed_by_time(after: str) -> bool:
    """A calendar year is context when a month, a date or a time-of-year word follows it (去年の11月)."""
    s = re.sub(r"^\s*の?\s*", "", after)
    if re.match(r"\d{1,2}\s*[月/.]", s):
        return True
    return any(s.startswith(w.word) for w in date_words().values() if not w.word.isascii())


def _fiscal_year(m: re.Match, lexicon: Lexicon) -> int | None:
    g = [x for x in m.groups() if x is not None][1:]
    kind = m.lastgroup
    try:
        if kind in ("fy", "fy_bare"):
            return era.era_year(g[0], g[1])
        if kind == "fy_w":
            return int(g[0])
    except ValueError:
        return None
    offset = {"一昨": -2, "再来": 2, "今": 0, "本": 0, "昨": -1, "前": -1, "去": -1, "来": 1, "次": 1}
    word = g[0]
    key = word[:2] if word[:2] in offset else word[0]
    return era.fiscal_year_of(lexicon.today) + offset[key]


def _span(
    kind: str,
    g: list[str],
    lexicon: Lexicon,
    fiscal: int,
    last: tuple[int, int, int | None] | None,
    year_context: int | None,
) -> tuple[dt.date, dt.date] | None:
    """One matched pattern → its first and last day. Raises ValueError for a date that does not exist."""
    today = lexicon.today
    if kind == "rel_day":
        d = today + dt.timedelta({"今日": 0, "本日": 0, "昨日": -1, "明日": 1}[g[0]])
        return d, d
    if kind in ("rel_week", "rel_weekend", "weekend"):
        week = {"今週": 0, "先週": -1, "来週": 1}[g[0] if kind != "weekend" else "今週"]
        monday = today - dt.timedelta(today.weekday()) + dt.timedelta(7 * week)
        if kind == "rel_week":
            return monday, monday + dt.timedelta(6)
        return monday + dt.timedelta(5), monday + dt.timedelta(6)
    if kind == "rel_month":
        index = today.year * 12 + today.month - 1 + {"今月": 0, "先月": -1, "来月": 1}[g[0]]
        return era.month_span(index // 12, index % 12 + 1)
    if kind == "rel_year":
        y = today.year + {"一昨年": -2, "再来年": 2, "今年": 0, "去年": -1, "昨年": -1, "来年": 1}[g[0]]
        return dt.date(y, 1, 1), dt.date(y, 12, 31)
    if kind in ("era_y", "w_y"):
        y = era.era_year(g[0], g[1]) if kind == "era_y" else int(g[0])
        return dt.date(y, 1, 1), dt.date(y, 12, 31)
    if kind in ("era_ymd", "w_ymd"):
        y = era.era_year(g[0], g[1]) if kind == "era_ymd" else int(g[0])
        mo, day = (int(g[2]), int(g[3])) if kind == "era_ymd" else (int(g[1]), int(g[2]))
        d = dt.date(y, mo, day)
        return d, d
    if kind in ("era_ym", "w_ym"):
        y = era.era_year(g[0], g[1]) if kind == "era_ym" else int(g[0])
        return era.month_span(y, int(g[-1]))
    if kind in ("day", "day_bare"):
        if last is None or last[2] is None:
            return None  # 18日 alone: no month to put it in
        d = dt.date(last[0], last[1], int(g[0]))
        return d, d
    mo = int(g[0])
    if last is not None:
        y = era.year_after(last[0], last[1], mo)
    elif year_context is not None:
        y = year_context
    else:
        y = era.year_in_fiscal_year(fiscal, mo)
    if kind == "m":
        return era.month_span(y, mo)
    d = dt.date(y, mo, int(g[1]))
    return d, d


def date_word(word: DateWord, lexicon: Lexicon, fiscal_year: int | None, year: int | None) -> list[DateRange]:
    """The days a time-of-year word names (rules in data/date_words.tsv): one range, or for a break across
    the fiscal year's edge (春休み) the two that touch the year. fiscal_year: 年度 asked for; year: a calendar
    year named before the word (去年の夏). Label: 夏（2024年6月～8月）."""
    fy = fiscal_year if fiscal_year is not None else (year if year is not None else lexicon.latest_fiscal_year)
    if word.kind == "edges":
        start, end = word.spec.split("..")
        (m1, d1), (m2, d2) = (tuple(int(x) for x in s.split("-")) for s in (start, end))
        years = [year] if year is not None and fiscal_year is None else [fy, fy + 1]
        spans = [(dt.date(y, m1, d1), dt.date(y, m2, d2)) for y in years]
        label = "・".join(_short_span(a, b) for a, b in spans)
        return [DateRange(a, b, f"{word.label}（{label}）") for a, b in spans]
    if word.kind == "season":
        first, last = (int(x) for x in word.spec.split("-"))
        a = era.month_span(fy, first)[0]
        b = era.month_span(fy if last >= first else fy + 1, last)[1]
    elif word.kind == "days":
        start, end = word.spec.split("..")
        (m1, d1), (m2, d2) = (tuple(int(x) for x in s.split("-")) for s in (start, end))
        a, b = dt.date(fy, m1, d1), dt.date(fy, m2, d2)
    elif word.kind == "recent":
        b = lexicon.today
        a = b - dt.timedelta(int(word.spec) - 1)
    elif word.kind == "fiscal":
        first, last = (int(x) for x in word.spec.split("-"))
        a = era.month_span(era.year_in_fiscal_year(fy, first), first)[0]
        b = era.month_span(era.year_in_fiscal_year(fy, last), last)[1]
    else:  # school: MM-DD..MM-DD
        start, end = word.spec.split("..")
        (m1, d1), (m2, d2) = (tuple(int(x) for x in s.split("-")) for s in (start, end))
        y1 = fy if year is not None and fiscal_year is None else era.year_in_fiscal_year(fy, m1)
        a = dt.date(y1, m1, d1)
        b = dt.date(y1 + (1 if (m2, d2) < (m1, d1) else 0), m2, d2)
    return [DateRange(a, b, f"{word.label}（{_short_span(a, b)}）")]


def _short_span(a: dt.date, b: dt.date) -> str:
    """2024年6月1日～8月31日 → 2024年6月～8月 when whole months; the year once unless it changes."""
    whole = a.day == 1 and b == era.month_span(b.year, b.month)[1]
    if whole:
        if (a.year, a.month) == (b.year, b.month):
            return f"{a.year}年{a.month}月"
        return f"{a.year}年{a.month}月～" + (f"{b.month}月" if a.year == b.year else f"{b.year}年{b.month}月")
    tail = f"{b.month}月{b.day}日" if a.year == b.year else f"{b.year}年{b.month}月{b.day}日"
    return f"{a.year}年{a.month}月{a.day}日～{tail}"
