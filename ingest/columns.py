"""A PDF table's columns: the header's titles in their cells, under a heading that spans them or not (`read_header`),
columns carried from the page before when a page has no header (`columns_like`), a label column found by what it
holds, and titles run on from one cell into the next."""

from __future__ import annotations

from dataclasses import dataclass

from ingest.cell_text import CellIndex
from ingest.cells import Cell, Grid
from ingest.glyphs import (
    Char,
    stacks,
    text_lines,
)
from ingest.roles import column_role, column_roles, is_header_word, is_title, names_a_table
from ingest.settings import DEFAULT, TableSettings

HEADER_BANDS = 4  # the header is within the table's first bands (a title row may sit above it)


@dataclass
class Column:
    x0: float
    x1: float
    role: str  # municipality | description | department | period | other
    title: str = ""


def _boundaries(cells: list[Cell], tol: float = DEFAULT.boundary_tolerance) -> list[float]:
    xs = sorted({round(v, 1) for c in cells for v in (c.x0, c.x1)})
    merged: list[float] = []
    for x in xs:
        if merged and x - merged[-1] <= tol:
            continue
        merged.append(x)
    return merged


def cell_title(text: str) -> str:
    """The title a header cell holds: its text, or — a cell a heading over several columns runs into (交流自
    over 県, written in one band) — its lower lines (県, 市 / 区 / 町 joined); "" when none is a title."""
    lines = [line for line in text.split("\n") if line]
    tried = ["".join(lines[k:]) for k in range(len(lines))]
    return next((t for t in tried if is_title(t)), "")


def read_header(cells: list[Cell], texts: dict[int, str], settings: TableSettings = DEFAULT) -> tuple[list[Column], float | None]:
    """Find the header band and name each column. Returns (columns, header_bottom or None).

    The header is the first band of cells (among the table's first few) holding short titles that name the
    description and at least one other column; bands above it (a title row drawn inside the grid) are not
    data. A first data row is never a header: 石川県金沢市 holds 県, a description may hold 事業, but not
    as short titles naming two roles. Headings over several columns (交流の実績 over 内容 | 担当課 | 期間) are
    no columns: the titles under them are (`_under_headings`).
    """
    xs = _boundaries(cells, settings.boundary_tolerance)
    spans = list(zip(xs, xs[1:]))
    tops = sorted({round(c.top, 1) for c in cells})
    for band_top in tops[:HEADER_BANDS]:
        band = [i for i, c in enumerate(cells) if abs(c.top - band_top) < settings.band_tolerance]
        titled = [i for i in band if cell_title(texts.get(i, ""))]
        if names_a_table([cell_title(texts[i]) for i in titled]):
            break
    else:
        return [Column(a, b, "other") for a, b in spans], None
    header_bottom = _under_headings(cells, texts, spans, band_top, max(cells[i].bottom for i in titled), settings)
    titles, named = [], []
    slack = settings.edge_slack
    for a, b in spans:
        mid = (a + b) / 2
        own = [
            (texts.get(i, ""), sum(1 for x, y in spans if c.x0 - slack <= (x + y) / 2 <= c.x1 + slack))
            for i, c in sorted(enumerate(cells), key=lambda ic: ic[1].top)
            # cells of the header band, and cells merged down into it from above (備考 over both header rows)
            if c.top < header_bottom - slack and c.bottom > band_top + slack and c.x0 - slack <= mid <= c.x1 + slack
        ]
        titles.append("".join(text for text, _ in own).replace("\n", ""))
        # a heading over sub-headings (交流自治体名 over 県 | 市区町, in one cell or two): the lowest title that
        # names a role decides — a cell's lines joined (所管 / 課 wrapped), else its lower lines (市 / 区 / 町);
        # a heading over several columns (交流実績 over 内容 | 連絡先) names none of them
        lines = [text.split("\n") for k, (text, width) in enumerate(reversed(own)) if k == 0 or width == 1]
        tried = [t for ls in lines for t in ("".join(ls), *("".join(ls[k:]) for k in range(1, len(ls))))]
        named.append(next((t for t in tried if column_role(t) != "other"), titles[-1]))
    roles = column_roles(named)
    return [Column(a, b, role, title) for (a, b), role, title in zip(spans, roles, titles)], header_bottom


def _under_headings(
    cells: list[Cell], texts: dict[int, str], spans: list[tuple[float, float]], top: float, bottom: float, settings: TableSettings
) -> float:
    """The header's bottom, taking in the lines of sub-headings under headings that span several columns.

    A heading over several columns (交流先 over 都道府県 | 市区町村, 交流の実績 over 内容 | 担当課 | 期間) is not a
    column: when the header band found ends with such headings, the band below them holds the columns'
    titles, and it belongs to the header when each of its cells under a heading is a title (a first data row
    is not: 熊本県, 物産展…). Repeated for a heading over headings. Returns the bottom (unchanged without such
    headings)."""
    tol, slack = settings.band_tolerance, settings.edge_slack

    def width(c: Cell) -> int:
        return sum(1 for a, b in spans if c.x0 - slack <= (a + b) / 2 <= c.x1 + slack)

    while True:
        headings = [c for c in cells if c.top >= top - tol and abs(c.bottom - bottom) < tol and width(c) >= 2]
        below = [
            i
            for i, c in enumerate(cells)
            if abs(c.top - bottom) < tol and any(h.x0 - slack <= c.x0 and c.x1 <= h.x1 + slack for h in headings)
        ]
        words = [texts.get(i, "") for i in below]
        if not headings or not below or not all(is_header_word(w) for w in words if w) or not any(is_title(w) for w in words):
            return bottom
        bottom = max(cells[i].bottom for i in below)


def columns_like(previous: list[Column], cells: list[Cell], settings: TableSettings = DEFAULT) -> list[Column]:
    """A page without a header: reuse the previous page's roles for columns at the same place."""
    xs = _boundaries(cells, settings.boundary_tolerance)
    out = []
    for a, b in zip(xs, xs[1:]):
        best = max(previous, key=lambda col: min(b, col.x1) - max(a, col.x0))
        overlap = min(b, best.x1) - max(a, best.x0)
        out.append(Column(a, b, best.role if overlap > settings.column_share * (b - a) else "other", best.title))
    return out


def page_columns(grid: Grid, by_cell: dict[int, list[Char]], previous: list[Column] | None, settings: TableSettings):
    """(columns, header_bottom) of the grid: from its header, else the previous page's roles; None when the
    page holds no report table."""
    texts = {i: "\n".join(text_lines(cs, settings)) for i, cs in by_cell.items()}
    columns, header_bottom = read_header(grid.cells, texts, settings)
    if header_bottom is not None and _titles_run_on(grid.cells, by_cell, columns, header_bottom, settings):
        texts = {i: "\n".join(text_lines(cs, settings)) for i, cs in by_cell.items()}
        columns, header_bottom = read_header(grid.cells, texts, settings)
    if header_bottom is None:
        if previous is None:
            return None
        columns = columns_like(previous, grid.cells, settings)
    _label_columns_by_content(grid.cells, texts, columns, header_bottom, settings)
    if "description" not in [c.role for c in columns]:
        return None
    return columns, header_bottom


def _label_columns_by_content(
    cells: list[Cell], texts: dict[int, str], columns: list[Column], header_bottom: float | None, settings: TableSettings
) -> None:
    """A column whose title names no role but whose cells are municipality names (岩手県盛岡市, 熊本県) is a label
    column whose title was not read (a heading cut by a rule, a title in an unusual word): read it as one, not
    as an extra column — its names would be lost. Half or more of its non-empty cells must be a municipality's
    exact name (`ingest.labels.resolve`). Changes `columns` in place."""
    from ingest.labels import resolve

    top = header_bottom if header_bottom is not None else min((c.top for c in cells), default=0.0)
    for col in columns:
        if col.role != "other":
            continue
        mid = (col.x0 + col.x1) / 2
        own = [
            texts.get(i, "").replace("\n", "")
            for i, c in enumerate(cells)
            if c.top >= top - settings.edge_slack
            and col.x0 - settings.edge_slack <= c.x0 <= mid <= c.x1 <= col.x1 + settings.edge_slack
        ]
        own = [t for t in own if t.strip()]
        named = [t for t in own if resolve(t).method in ("exact", "name")]
        if own and 2 * len(named) >= len(own):
            col.role = "municipality"


def _titles_run_on(
    cells: list[Cell], by_cell: dict[int, list[Char]], columns: list[Column], header_bottom: float, settings: TableSettings
) -> bool:
    """A narrow column's title written one character per line (市 / 区 / 町) that starts in the header and runs
    on below its bottom rule belongs to the header, not to the first row: when a column's title names no role
    and such a stack was given to a cell below the header, its characters move to the header cell above.
    Returns True when any moved (the caller reads the header again)."""
    index = CellIndex(cells)
    moved = False
    for col in columns:
        if col.role != "other":
            continue
        for cell_id, chars in list(by_cell.items()):
            cell = cells[cell_id]
            if cell.top < header_bottom - settings.edge_slack or not (cell.x0 <= (col.x0 + col.x1) / 2 <= cell.x1):
                continue
            for stack in stacks(chars, settings):
                if stack[0].cy >= header_bottom:
                    continue  # starts below the header: the cell's own text written one per line
                target = index.at(stack[0].cx, stack[0].cy)
                if target is None or target == cell_id:
                    continue
                ids = {id(c) for c in stack}
                by_cell[cell_id] = [c for c in by_cell[cell_id] if id(c) not in ids]
                by_cell.setdefault(target, []).extend(stack)
                moved = True
    return moved
