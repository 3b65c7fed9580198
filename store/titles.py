"""The grammar of report titles: which fiscal year a title names, which line above a table is the title,
and which of a year's lists (series) a title names.

    「令和６年度交流実績一覧（協定等締結自治体）」 → fiscal year 2024, series 「交流実績一覧（協定等締結自治体）」

One grammar for every reader (PDF, spreadsheet, export), for the store (a report is keyed by fiscal year and
series) and for people typing a series name (`koryu ingest --series`, the bot's 別の報告書として追加).
"""

from __future__ import annotations

import re
import unicodedata

from store import era

_FY = re.compile(rf"({era.ERA_PATTERN})\s*({era.ERA_YEAR_PATTERN})\s*年度|({era.WESTERN_YEAR_PATTERN})\s*年度")


def fiscal_year_of(title: str) -> int | None:
    """令和６年度… → 2024; 2024年度 → 2024; None when the text names no fiscal year."""
    m = _FY.search(unicodedata.normalize("NFKC", title))
    if not m:
        return None
    if m.group(3):
        return int(m.group(3))
    try:
        return era.era_year(m.group(1), m.group(2))
    except era.NotAYear:
        return None


# a line that is only a date, as a page header prints it: 令和7年4月1日現在, R8.1.15作成, 2025/4/1時点
_DATE_LINE = re.compile(
    r"^(?:(?:令和|平成|R|H)(?:\d+|元)[年.]|\d{4}[年./-])?\d{1,2}[月./-]\d{1,2}日?(?:現在|作成|時点|更新|発行|付け?)?$"
)
_NAMES_A_REPORT = re.compile(r"一覧|実績|報告|交流")


def is_list_title(line: str) -> bool:
    """True when a line names a report list: a fiscal year (令和６年度…), 一覧 or 報告書 — not a column
    heading such as 交流の実績."""
    plain = unicodedata.normalize("NFKC", "".join(line.split()))
    return fiscal_year_of(plain) is not None or "一覧" in plain or "報告書" in plain


def title_of(lines: list[str]) -> str:
    """The report's title among the text lines above its table: the first naming a fiscal year, else the
    first naming the report (一覧, 実績, 報告, 交流), else the first line at all — never a line that is only a
    date (令和7年4月1日現在: when the list was made, not what it is)."""
    lines = [line for line in lines if not _DATE_LINE.match("".join(unicodedata.normalize("NFKC", line).split()))]
    return next(
        (line for line in lines if fiscal_year_of(line)),
        next((line for line in lines if _NAMES_A_REPORT.search(line)), lines[0] if lines else ""),
    )


_BRACKETS = str.maketrans(dict.fromkeys("([【〔〈《{", "（") | dict.fromkeys(")]】〕〉》}", "）"))
# a reissue or an as-of date names an edition of the same list, not another list: 訂正版, （第2版）, （3月31日現在）
_EDITION = re.compile(
    r"(?:（[^（）]*(?:版|現在)）|(?:第\d+|訂正|改訂|修正|差替え?|差し替え|更新|確定|最終|速報)版"
    r"|[（]?(?:全国地方公共団体|自治体|団体)?(?:コード|五十音|番号|実施日|日付|地域)順[）]?)$"  # the list's order, printed beside its title
)
_SERIES_EDGES = "・:;-_、,。/|―—"


def series_of(title: str) -> str:
    """Which of a fiscal year's lists a report is: its title without the fiscal year and the edition, normalised.

    「令和６年度交流実績一覧（協定等締結自治体）」 and 「令和7年度 交流実績一覧(協定等締結自治体) 訂正版」 →
    「交流実績一覧（協定等締結自治体）」. The year with 年度 (令和６年度, R6年度, 2024年度, 令和元年度; the grammar of
    `fiscal_year_of`) is removed wherever it stands, then NFKC, whitespace removed, every bracket pair made
    full-width round （）, empty brackets and an edition at the end (訂正版, 改訂版, 第2版, （…現在）) dropped, and
    separators at either end trimmed. "" when nothing is left (no title, or a title that is only a year).
    Also used for a series name typed by a person (`koryu ingest --series`), so both spellings meet.
    """
    text = _FY.sub("", unicodedata.normalize("NFKC", title or ""))
    text = "".join(text.split()).translate(_BRACKETS).replace("（）", "")
    while (stripped := _EDITION.sub("", text).strip(_SERIES_EDGES)) != text:
        text = stripped
    return text


def series_label(series: str) -> str:
    """A series as people read it: its name, or （題名なし） for the series of untitled reports."""
    return series or "（題名なし）"
