"""A worksheet as a grid of cells and their text: merged ranges, formulas and their cached results, error values,
dates typed as dates (shown in the report's era notation), line breaks and control characters — everything the
table finder (`ingest.sheet_tables`) reads through `SheetGrid` and `cell_lines`."""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
import warnings
from dataclasses import dataclass, field
from typing import Any

from ingest.errors import NotAReport
from ingest.rows import (
    join_wrapped,
)
from store import era
from store.normalize import repair

MAX_ROWS = 20_000  # a yearly report has a few hundred rows; the limit keeps a stray sheet from filling memory


_ERA_FIRST_DAYS = (  # the first day of each era, as in store/era.py: 令和 1 May 2019, 平成 8 Jan 1989, 昭和 25 Dec 1926
    ("R", dt.date(era.ERA_FIRST_YEAR["令和"], 5, 1)),
    ("H", dt.date(era.ERA_FIRST_YEAR["平成"], 1, 8)),
    ("S", dt.date(era.ERA_FIRST_YEAR["昭和"], 12, 25)),
)


def era_date_text(day: dt.date) -> str:
    """A date as reports print it: 2024-07-05 → "R6.7.5", 2019-04-30 → "H31.4.30", 2019-05-01 → "R1.5.1".

    Raises ValueError for a day before 昭和 (1926-12-25).
    """
    for letter, first in _ERA_FIRST_DAYS:
        if day >= first:
            return f"{letter}{day.year - first.year + 1}.{day.month}.{day.day}"
    raise ValueError(f"{day.isoformat()} is before 昭和")


class _Error(str):
    """An Excel error value (#REF!, #N/A, …) as openpyxl reads it."""


@dataclass
class SheetGrid:
    """A sheet's cells: (row, column) 1-based → value; merged ranges as (min_row, min_col, max_row, max_col)."""

    name: str
    kind: str
    cells: dict[tuple[int, int], Any]
    n_rows: int
    n_cols: int
    ranges_by_row: dict[int, list[tuple[int, int, int, int]]] = field(default_factory=dict)
    formulas: set[tuple[int, int]] = field(default_factory=set)  # cells holding a formula (xlsx)
    empty_results: set[tuple[int, int]] = field(default_factory=set)  # formulas whose saved value is "" (t="str")

    def range_at(self, r: int, c: int) -> tuple[int, int, int, int] | None:
        for rng in self.ranges_by_row.get(r, ()):
            if rng[1] <= c <= rng[3]:
                return rng
        return None

    def header_value(self, r: int, c: int) -> Any:
        """The value shown at (r, c): a merged range's top-left value over all of it."""
        rng = self.range_at(r, c)
        return self.cells.get((rng[0], rng[1]) if rng else (r, c))

    def body_value(self, r: int, c: int) -> tuple[Any, tuple[int, int] | None]:
        """(value, its cell) at (r, c) in the table body: a merged range's value down its first column only;
        a cell a range covers sideways is empty (cell None)."""
        rng = self.range_at(r, c)
        if rng is None:
            return self.cells.get((r, c)), (r, c)
        if rng[1] != c:
            return None, None
        return self.cells.get((rng[0], rng[1])), (rng[0], rng[1])

    def where(self, r: int, c: int) -> tuple[str, str]:
        """(Japanese, English) name of a cell for messages: ("5行目 D列", "row 5, column D")."""
        from openpyxl.utils.cell import get_column_letter

        letter = get_column_letter(c)
        return f"{r}行目 {letter}列", f"row {r}, column {letter}"


def grid_of_worksheet(name: str, ws) -> SheetGrid:
    cells: dict[tuple[int, int], Any] = {}
    # ws._cells holds only the cells the file has; iter_rows would create every missing one in the used range
    empty_results: set[tuple[int, int]] = set()
    for (r, c), cell in ws._cells.items():
        value = cell.value
        if value is None and cell.data_type == "str":
            empty_results.add((r, c))  # a formula whose saved result is the empty string
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        cells[(r, c)] = _Error(value) if cell.data_type == "e" else value
    n_rows = max((r for r, _ in cells), default=0)
    n_cols = max((c for _, c in cells), default=0)
    grid = SheetGrid(name, "xlsx", cells, n_rows, n_cols, empty_results=empty_results)
    if n_rows > MAX_ROWS:
        return grid  # refused by the caller if it holds the table; ranges not needed
    for rng in ws.merged_cells.ranges:
        min_col, min_row, max_col, max_row = rng.bounds
        bounds = (min_row, min_col, max_row, max_col)
        for r in range(min_row, min(max_row, n_rows) + 1):
            grid.ranges_by_row.setdefault(r, []).append(bounds)
    return grid


def formula_cells(data: bytes, sheet_title: str, n_rows: int, n_cols: int) -> set[tuple[int, int]]:
    """Cells holding a formula, from a second, streaming read that keeps formulas (data_only=False). A
    formula whose value was never saved (a file written by a script, never opened in Excel) reads as empty
    with data_only; it must refuse the file, not pass as an empty cell."""
    import openpyxl
    from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

    out: set[tuple[int, int]] = set()
    if not n_rows or not n_cols:
        return out
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        ws = wb[sheet_title]
        for row in ws.iter_rows(min_row=1, max_row=n_rows, max_col=n_cols):
            for cell in row:
                v = getattr(cell, "value", None)
                if isinstance(v, (ArrayFormula, DataTableFormula)) or (isinstance(v, str) and v.startswith("=")):
                    out.add((cell.row, cell.column))
    finally:
        wb.close()
    return out


CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def plain(value: Any) -> str:
    """A value as header or title text: strings and numbers; anything else is no title."""
    if isinstance(value, bool) or isinstance(value, _Error):
        return ""
    if isinstance(value, str):
        return join_wrapped(_lines(value))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return ""


def _lines(text: str) -> list[str]:
    text = repair(text).replace("\r\n", "\n").replace("\r", "\n")
    return [line.strip() for line in text.split("\n") if line.strip()]


def cell_lines(grid: SheetGrid, value: Any, at: tuple[int, int] | None, role: str) -> list[str]:
    """A body cell's printed lines. Raises NotAReport for a value that cannot be read as the role's text."""
    if at is None:
        return []
    ja, en = grid.where(*at)

    def refuse(ja_reason: str, en_reason: str) -> NotAReport:
        return NotAReport(f"{grid.name}: {ja}{ja_reason} / {en}: {en_reason}")

    if value is None:
        if at in grid.formulas and at not in grid.empty_results:
            raise refuse(
                "の数式に保存された値がありません（Excelで開いて保存し直してください）",
                "a formula without a saved value (open and save it in Excel)",
            )
        return []

    if isinstance(value, _Error):
        raise refuse(f"がエラー値です（{value}）", f"an error value ({value})")
    if isinstance(value, bool):
        raise refuse(f"が真偽値です（{value}）", f"a TRUE/FALSE value where text belongs ({value})")
    if isinstance(value, dt.datetime | dt.date):
        if role != "period":
            raise refuse("が日付です（文字で入力してください）", "a date where text belongs (type it as text)")
        if isinstance(value, dt.datetime) and value.time() != dt.time(0):
            raise refuse("の日付に時刻が付いています", f"a date with a time of day ({value.isoformat(' ')})")
        day = value.date() if isinstance(value, dt.datetime) else value
        try:
            return [era_date_text(day)]
        except ValueError:
            raise refuse("の日付が昭和より前です", f"a date before 昭和 ({day.isoformat()})") from None
    if isinstance(value, dt.time | dt.timedelta):
        raise refuse("が時刻です", f"a time where a date or text belongs ({value})")
    if isinstance(value, int):
        return [str(value)]
    if isinstance(value, float):
        return [str(int(value)) if value.is_integer() else repr(value)]
    if not isinstance(value, str):
        raise refuse("を読めません", f"cannot read a {type(value).__name__} value")
    lines = _lines(value)
    if any(unicodedata.category(ch) == "Co" for line in lines for ch in line):
        raise refuse("に外字（私用領域の文字）があります", "a private-use character (外字) that has no standard form")
    if any(CONTROL.search(line) for line in lines):
        raise refuse("に制御文字があります", "a control character")
    return lines
