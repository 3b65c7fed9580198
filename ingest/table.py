"""Reading the report table on one PDF page from its geometry.

    page → visible chars (`ingest.glyphs`) → candidate grids (`ingest.grid`: from ruling lines, or from the
         header's text, the body's alignment and horizontal rules, shading bands or line spacing) → the first
         whose header (or the previous page's columns) makes a report table → chars per cell
         (`ingest.cell_text`) → header and column roles (`ingest.columns`) → rows (one per description cell) → label segments per municipality column

Linking labels across pages, and everything else that needs the whole document, is `ingest.linking`.
Nothing here knows a coordinate, a page break or a city of any one file. What varies between reports and is
handled from geometry: merged label cells over many rows, wrapped cells, headers repeated or not, narrow
header cells written one character per line that overflow into the first row, labels written top to bottom
in two columns, one or two municipality columns, changing header titles and column order, portrait or
landscape, duplicate glyphs drawn for bold, white or hairline rules that are not cell borders, tables drawn
with horizontal rules only, with no rules (rows told apart by shading or spacing) or without their outer sides.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ingest.accounting import Unaccounted, account_page
from ingest.cell_text import assign_chars
from ingest.cells import Cell, Grid
from ingest.columns import Column, cell_title, page_columns
from ingest.glyphs import (
    Char,
    label_text,
    lines_of,
    phrases,
    text_lines,
    visible_area,
    visible_chars,
    words_of,
)
from ingest.grid import candidate_grids
from ingest.roles import is_title, names_a_table
from ingest.rows import Location, Row, join_period_lines, join_wrapped
from ingest.settings import TableSettings
from store.titles import is_list_title


@dataclass
class Segment:
    """A municipality label cell as it appears on one page: the rows it spans and its text."""

    page: int
    column: int
    cell: Cell
    text: str
    hidden_text: str  # label glyphs drawn outside the visible page inside this cell's column
    hidden_side: str  # "above" | "below" | ""
    touches_top: bool
    touches_bottom: bool
    rows: list[int] = field(default_factory=list)
    label: str = ""
    how: str = ""  # printed | from-previous-page | from-next-page | clipped (see ingest.linking)


@dataclass
class PageTable:
    """The table found on one page, with what was read from it (kept for the debug view).

    rows_from / columns_from: how the grid was found (see `ingest.grid.Grid`).
    """

    page: int
    bbox: tuple[float, float, float, float]
    cells: list[Cell]
    columns: list[Column]
    header_bottom: float | None
    data_top: float
    data_bottom: float
    rows: list[Row]
    segments: list[list[Segment]]  # per municipality column
    rows_from: str = "rules"
    columns_from: str = "rules"
    above: list[str] = field(default_factory=list)  # the phrases above the table (its title: `glyphs.phrases`)
    labels_unplaced: bool = False  # label cells not drawn, and a label not on its row's first line (see _unplaced)
    unread_header: str = ""  # a header line outside the table read (a second table this page's grid missed)
    unaccounted: list[Unaccounted] = field(default_factory=list)  # text no field, header or furniture accounts for
    headings: list[tuple[float, str]] = field(default_factory=list)  # (y, text) of lines between stacked tables
    # a department cell merged over rows a page break cut: the rows under an empty one open at the page's top,
    # and whether the last department cell reaches the page's foot (`ingest.linking.continue_departments`)
    department_from_above: list[int] = field(default_factory=list)
    department_runs_on: bool = False
    below: list[str] = field(default_factory=list)  # the phrases under the table (a next list's title at a page's foot)
    # the top of a list's title standing inside the grid under its header (a second list's rules joined to the
    # first's): the page is cut there (`read_page_tables`)
    title_inside: float | None = None


# ---------------------------------------------------------------------------------------------- text


# ------------------------------------------------------------------------------------------- columns


# ------------------------------------------------------------------------------------------- page table


@dataclass
class _Page:
    """One page while it is read: the grid, each cell's chars and text, the columns and the data area."""

    number: int
    grid: Grid
    by_cell: dict[int, list[Char]]
    columns: list[Column]
    header_bottom: float | None
    data_top: float
    data_cells: list[Cell]
    index: dict[int, int]
    settings: TableSettings
    used: dict[int, str] = field(default_factory=dict)  # cell index → what its text became (see ingest.accounting)

    def use(self, cell: Cell, what: str) -> None:
        """Say what a cell's text became (a field, a label, the header …); `ingest.accounting` checks the rest."""
        k = self.index.get(id(cell))
        if k is not None:
            self.used.setdefault(k, what)

    @property
    def roles(self) -> list[str]:
        return [c.role for c in self.columns]

    @property
    def data_bottom(self) -> float:
        return max((c.bottom for c in self.data_cells), default=self.data_top)

    def chars_of(self, cell: Cell) -> list[Char]:
        return self.by_cell.get(self.index.get(id(cell), -1), [])

    def lines_of(self, cell: Cell) -> list[str]:
        return text_lines(self.chars_of(cell), self.settings)

    def columns_of(self, cell: Cell) -> list[int]:
        slack = self.settings.edge_slack
        return [k for k, col in enumerate(self.columns) if cell.x0 - slack <= (col.x0 + col.x1) / 2 <= cell.x1 + slack]


def _rows_above_header(
    grid: Grid, by_cell: dict[int, list[Char]], columns: list[Column], header_bottom: float, settings: TableSettings
) -> bool:
    """True when cells above the header hold dated periods: rows of a table (continued from the previous page)
    stacked above the table whose header this is — data, never a title."""
    from ingest.periods import parse_period

    if "period" not in [c.role for c in columns]:
        return False
    col = columns[[c.role for c in columns].index("period")]
    mid = (col.x0 + col.x1) / 2
    for k, cell in enumerate(grid.cells):
        if (
            cell.bottom <= header_bottom - settings.edge_slack
            and cell.x0 <= mid <= cell.x1
            and cell.x1 - cell.x0 < 2 * (col.x1 - col.x0)
        ):
            text = "".join(text_lines(by_cell.get(k, []), settings))
            if text and parse_period(text, None).start:
                return True
    return False


def _open_page(page, number: int, chars: list[Char], settings: TableSettings, previous: list[Column] | None) -> _Page | None:
    """The page's table: the first candidate grid (`ingest.grid.candidate_grids`) whose header names a report
    table or which continues the previous page's columns, with its chars and columns; None when none does."""
    spans = [(c.x0, c.x1, c.role) for c in previous] if previous else None
    for grid in candidate_grids(page, chars, settings, spans):  # the ruled grid first, then the text grid
        by_cell = assign_chars(grid.cells, chars, settings)
        read = page_columns(grid, by_cell, previous, settings)
        if read is not None:
            break
    else:
        return None
    columns, header_bottom = read
    data_top = header_bottom if header_bottom is not None else grid.bbox[1]
    if header_bottom is not None and _rows_above_header(grid, by_cell, columns, header_bottom, settings):
        data_top = grid.bbox[1]  # a table's last rows above the next one's header: rows, the header a repeated one
    data_cells = [c for c in grid.cells if c.top >= data_top - settings.edge_slack]
    index = {id(c): i for i, c in enumerate(grid.cells)}
    return _Page(number, grid, by_cell, columns, header_bottom, data_top, data_cells, index, settings)


def _role_text(p: _Page, role: str, top: float, bottom: float, joiner, k_only: int | None = None) -> str:
    """Text of the role's cells overlapping a row; a cell merged over several rows gives each row its text."""
    lines: list[str] = []
    slack = p.settings.edge_slack
    for k, r in enumerate(p.roles):
        if r != role or (k_only is not None and k != k_only):
            continue
        mid_x = (p.columns[k].x0 + p.columns[k].x1) / 2
        for c in sorted(p.data_cells, key=lambda c: c.top):
            if c.x0 - slack <= mid_x <= c.x1 + slack and c.top < bottom - slack and c.bottom > top + slack:
                lines.extend(p.lines_of(c))
                p.use(c, role)
    return joiner(lines)


def _rows(p: _Page) -> list[Row]:
    """One row per description cell; two description columns (事業名 | 事業内容) are one description, joined
    by an ideographic space."""
    desc_cols = [k for k, r in enumerate(p.roles) if r == "description"]
    row_cells = sorted((c for c in p.data_cells if desc_cols[0] in p.columns_of(c)), key=lambda c: c.top)
    rows = []
    for rc in row_cells:
        p.use(rc, "description")
        parts = [join_wrapped(p.lines_of(rc))]
        parts += [_role_text(p, "description", rc.top, rc.bottom, join_wrapped, k) for k in desc_cols[1:]]
        rows.append(
            Row(
                at=Location(page=p.number),
                top=rc.top,
                bottom=rc.bottom,
                description="\u3000".join(part for part in parts if part),
                department=_role_text(p, "department", rc.top, rc.bottom, "".join),
                period_text=_role_text(p, "period", rc.top, rc.bottom, join_period_lines),
            )
        )
    kept = []
    headers = {i for i, row in enumerate(rows) if _repeated_header(row)}
    # a header of two rows repeated: its upper row (交流実績 over 内容 | 担当課 | 期間) holds titles only
    headers |= {i - 1 for i in headers if i > 0 and _titles_only(rows[i - 1])}
    for i, row in enumerate(rows):
        if i in headers:  # every cell across it is the header again (its label column's title too, which may
            # stand over both rows of a header of two)
            top = rows[i - 1].top if i - 1 in headers else row.top
            bottom = rows[i + 1].bottom if i + 1 in headers else row.bottom
            for cell in p.data_cells:
                if cell.top >= top - p.settings.edge_slack and cell.bottom <= bottom + p.settings.edge_slack:
                    p.use(cell, "header")
        elif not _spacer(p, row):
            kept.append(row)
    return kept


def _spacer(p: _Page, row: Row) -> bool:
    """A blank row drawn between blocks: no field read, and no glyph in any cell within its height."""
    if row.description or row.department or row.period_text:
        return False
    slack = p.settings.edge_slack
    inside = [c for c in p.data_cells if c.top >= row.top - slack and c.bottom <= row.bottom + slack]
    return not any(p.chars_of(c) for c in inside)


def _titles_only(row: Row) -> bool:
    """A row whose every filled field is a column title (交流実績, 事業内容): part of a header, never an event."""
    texts = [t for t in (row.description, row.department, row.period_text) if t]
    return bool(texts) and all(is_title(t) for t in texts)


def _repeated_header(row: Row) -> bool:
    """A row that is a header again (a second table below the first, or a header repeated mid-page): its
    fields are titles naming a table. A data row never is one (事業内容の確認 is no title)."""
    texts = [t for t in (row.description, row.department, row.period_text) if t]
    return all(is_title(t) for t in texts) and names_a_table(texts)


def _segments(p: _Page, rows: list[Row], page, hidden: list[Char], settings: TableSettings) -> list[list[Segment]]:
    """Per municipality column, its label cells in order, each with the rows it spans; glyphs drawn outside
    the visible page in a cell's column are kept as the cell's hidden text (clipped labels)."""
    _, visible_top, _, visible_bottom = visible_area(page)
    near, slack = settings.band_tolerance, settings.edge_slack
    segments: list[list[Segment]] = []
    for li, k in enumerate(k for k, r in enumerate(p.roles) if r == "municipality"):
        col = p.columns[k]
        mid_x = (col.x0 + col.x1) / 2
        segs: dict[int, Segment] = {}
        order: list[Segment] = []
        for ri, row in enumerate(rows):
            mid_y = (row.top + row.bottom) / 2
            owner = next(
                (c for c in p.data_cells if c.x0 - slack <= mid_x <= c.x1 + slack and c.top - slack <= mid_y <= c.bottom + slack),
                None,
            ) or Cell(col.x0, row.top, col.x1, row.bottom)
            p.use(owner, "municipality")
            if id(owner) not in segs:
                above = [h for h in hidden if owner.x0 <= h.cx <= owner.x1 and h.cy < visible_top]
                below = [h for h in hidden if owner.x0 <= h.cx <= owner.x1 and h.cy > visible_bottom]
                side = ""
                if above and abs(owner.top - p.data_top) < near:
                    side = "above"
                elif below and abs(owner.bottom - p.data_bottom) < near:
                    side = "below"
                text = label_text(p.chars_of(owner), settings)
                hidden_text = "".join(text_lines({"above": above, "below": below}.get(side, []), settings))
                if text and hidden_text:  # a label cut by the page's edge: its hidden part and the part shown
                    text = hidden_text + text if side == "above" else text + hidden_text
                seg = Segment(
                    p.number,
                    li,
                    owner,
                    text,
                    hidden_text,
                    side,
                    touches_top=abs(owner.top - p.data_top) < near or owner.top < p.data_top,
                    touches_bottom=abs(owner.bottom - p.data_bottom) < near,
                )
                segs[id(owner)] = seg
                order.append(seg)
            segs[id(owner)].rows.append(ri)
        segments.append(order)
    return segments


def read_page(page, page_number: int, settings: TableSettings, previous_columns: list[Column] | None) -> PageTable | None:
    """Read the report table on one page. Returns None when the page has no such table.

    Steps: visible chars → candidate grids (`ingest.grid.candidate_grids`) → columns → rows → label segments
    → every character accounted for (`ingest.accounting`: what is left is `PageTable.unaccounted`).
    """
    chars, hidden = visible_chars(page, settings)
    p = _open_page(page, page_number, chars, settings, previous_columns)
    if p is None:
        return None
    g = p.grid
    above = phrases([c for c in chars if c.bottom <= g.bbox[1] + settings.edge_slack], settings)
    above += _titles_in_grid(p)
    below = phrases([c for c in chars if c.top >= g.bbox[3] - settings.edge_slack], settings)
    rows = _rows(p) if p.data_cells else []
    segments = _segments(p, rows, page, hidden, settings) if rows else []
    unplaced = g.labels_unplaced
    if g.roles is not None and len(g.roles) == len(p.columns):
        # the text grid cut a column's rows as content that the header names a label column (or the reverse):
        # which rows its labels cover was not read
        unplaced |= any((r == "municipality") != (c.role == "municipality") for r, c in zip(g.roles, p.columns))
    unread = _header_outside(chars, g.bbox, settings)
    _use_header_and_extras(p)
    from_above, runs_on = _department_at_break(p, rows)
    spans = [(c.x0, c.x1, c.role) for c in p.columns]
    unaccounted, _ = account_page(chars, p.by_cell, set(p.used), g.bbox, spans, settings)
    unaccounted, headings = _between_tables(unaccounted, g.cells, chars, settings)
    if g.cut:  # a column boundary read from the text runs through glyphs: the columns are a guess
        unaccounted.append(Unaccounted("cut", "".join(c.text for c in g.cut)[:60], g.cut))
    unaccounted += cells_apart(p)
    x0, top, x1, bottom = g.bbox
    cut_off = [c for c in chars if c.clipped and x0 <= c.cx <= x1 and top <= c.cy <= bottom]
    if cut_off:  # a cell's text its clip path shows only in part (a label cut by a page break)
        unaccounted.append(Unaccounted("clipped", "".join(c.text for c in cut_off)[:60], cut_off))
    title_inside = _title_inside(headings, p.data_top)
    return PageTable(
        page_number,
        g.bbox,
        g.cells,
        p.columns,
        p.header_bottom,
        p.data_top,
        p.data_bottom,
        rows,
        segments,
        g.rows_from,
        g.columns_from,
        above,
        unplaced,
        unread,
        unaccounted,
        headings,
        from_above,
        runs_on,
        below,
        title_inside,
    )


def cells_apart(p: _Page) -> list[Unaccounted]:
    """Department and period cells holding two texts with white between them: at least cell_line_gap × size
    tall (the rest of a row a page break cut, 進課 at the page's top, read into the next row's cell) or at
    least cell_word_gap × size wide on a line (R6.7.5～10.6 … 共催: the next column's text read into the
    cell) — a cell's own text is one block. Returns one Unaccounted("apart") per such cell, with the text
    after the white."""
    out = []
    for cell in p.data_cells:
        roles = {p.columns[k].role for k in p.columns_of(cell)}
        if not roles & {"department", "period"} or "description" in roles:
            continue
        lines = lines_of(p.chars_of(cell), p.settings)
        wide = [
            b for line in lines for a, b in zip(line, line[1:]) if b.x0 - a.x1 >= p.settings.cell_word_gap * max(a.size, b.size)
        ]
        if wide:
            rest = [c for line in lines for c in line if c.top >= wide[0].top - 0.5 * wide[0].size and c.x0 >= wide[0].x0]
            out.append(Unaccounted("apart", "".join(c.text for c in rest)[:60], rest))
            continue
        for upper, lower in zip(lines, lines[1:]):
            size = max(c.size for c in (*upper, *lower))
            if min(c.top for c in lower) - max(c.bottom for c in upper) >= p.settings.cell_line_gap * size:
                rest = [c for line in lines[lines.index(lower) :] for c in line]
                out.append(Unaccounted("apart", "".join(c.text for c in rest)[:60], rest))
                break
    return out


def _title_inside(headings: list[tuple[float, str]], data_top: float) -> float | None:
    """The top of the first list's title (令和6年度交流実績一覧（…以外）) among the headings standing in the
    white inside the table's box, below its header: a second list drawn on as one grid with the first. None
    when there is none."""
    return next((y for y, text in headings if y > data_top and is_list_title(text)), None)


def read_page_tables(page, page_number: int, settings: TableSettings, previous_columns: list[Column] | None) -> list[PageTable]:
    """The report tables on one page, top to bottom: `read_page`, and when a header naming a table stands
    below the table read (a second list under the first, with its own title), the page cut under the first
    table and each part read on its own. A cut that does not leave the first table whole (its part still sees
    a header it did not read) keeps the page's one reading, whose refusal names the table not read. [] for a
    page without a table."""
    table = read_page(page, page_number, settings, previous_columns)
    if table is not None and previous_columns is not None:
        parts = _continued_above(page, table, page_number, settings, previous_columns)
        if parts:
            return parts
    if table is None or not (table.unread_header or table.title_inside):
        return [table] if table is not None else []
    x0, top, x1, bottom = page.bbox
    y = table.title_inside - settings.edge_slack if table.title_inside else table.bbox[3] + settings.edge_slack
    if not top < y < bottom - settings.edge_slack:
        return [table]
    first = read_page(page.within_bbox((x0, top, x1, y)), page_number, settings, previous_columns)
    above = [row for row in table.rows if row.bottom <= y]
    if first is None or first.unread_header or first.title_inside or len(first.rows) != len(above):
        return [table]
    rest = read_page_tables(page.within_bbox((x0, y, x1, bottom)), page_number, settings, first.columns)
    return [first, *rest] if rest else [table]


def _continued_above(
    page, table: PageTable, page_number: int, settings: TableSettings, previous_columns: list[Column]
) -> list[PageTable]:
    """A page whose table read has its own list title above it, over rows standing like the previous page's
    table's (the first list running on without a header, then the next list's title and table): the page cut
    above that title, the upper part read in the previous page's columns and the rest on its own. [] when the
    page is not so (no such rows, or the upper part is not read whole)."""
    rows_above = [u for u in table.unaccounted if u.where == "outside" and max(c.bottom for c in u.chars) < table.bbox[1]]
    if not rows_above:
        return []
    slack = settings.edge_slack
    last_row = max(c.bottom for u in rows_above for c in u.chars)
    chars, _ = visible_chars(page, settings)
    titles = [
        min(c.top for c in line)
        for line in lines_of([c for c in chars if last_row < c.top and c.bottom <= table.bbox[1] + slack], settings)
        if is_list_title("".join(c.text for c in line).strip())
    ]
    if not titles:
        return []
    x0, top, x1, bottom = page.bbox
    y = titles[0] - slack
    upper = read_page(page.within_bbox((x0, top, x1, y)), page_number, settings, previous_columns)
    if upper is None or not upper.rows or upper.unaccounted or upper.unread_header:
        return []
    rest = read_page_tables(page.within_bbox((x0, y, x1, bottom)), page_number, settings, upper.columns)
    return [upper, *rest] if rest else []


def _titles_in_grid(p: _Page) -> list[str]:
    """Phrases of cells drawn inside the grid above the header that hold no column title: a title row, or a
    list's title standing under the top of the table's rules."""
    if p.header_bottom is None:
        return []
    slack = p.settings.edge_slack
    chars: list[Char] = []
    for k, cell in enumerate(p.grid.cells):
        if cell.bottom <= p.data_top + slack and p.by_cell.get(k):
            text = "\n".join(text_lines(p.by_cell[k], p.settings))
            if not cell_title(text):
                chars += p.by_cell[k]
    return phrases(chars, p.settings)  # a title cut by the columns' rules is read whole


def _department_at_break(p: _Page, rows: list[Row]) -> tuple[list[int], bool]:
    """(the rows at the page's top under one empty department cell open at the top, True when the last
    department cell reaches the page's foot): a department merged over rows that a page break cut shows its
    name on one side only."""
    if "department" not in p.roles or not rows:
        return [], False
    col = p.columns[p.roles.index("department")]
    mid, near = (col.x0 + col.x1) / 2, p.settings.band_tolerance

    def cell_of(row: Row) -> Cell | None:
        y = (row.top + row.bottom) / 2
        return next((c for c in p.data_cells if c.x0 <= mid <= c.x1 and c.top <= y <= c.bottom), None)

    # a heading repeated at the page's top (◆ 島根県津和野町（続き）) stands over the cell, which goes on under it
    lead = next((k for k, row in enumerate(rows) if not (row.description == row.department == row.period_text != "")), len(rows))
    top = rows[lead - 1].bottom if lead else p.data_top
    first, last = (cell_of(rows[lead]) if lead < len(rows) else None), cell_of(rows[-1])
    from_above: list[int] = []
    if first is not None and abs(first.top - top) < near and not p.chars_of(first):
        from_above = [i for i, row in enumerate(rows) if cell_of(row) is first]
    return from_above, last is not None and abs(last.bottom - p.data_bottom) < near and bool(p.chars_of(last))


def _use_header_and_extras(p: _Page) -> None:
    """The cells whose text is no field but is accounted for: the header band and any title row drawn inside
    the grid above it, and the cells of extra columns the header names (No., 備考, 協定締結年月日: read as what
    they are, never into a field)."""
    slack = p.settings.edge_slack
    for cell in p.grid.cells:
        if cell.top < p.data_top - slack:
            p.use(cell, "header")
    for k, col in enumerate(p.columns):
        if col.role == "other" and col.title:
            for cell in p.data_cells:
                if p.columns_of(cell) == [k]:
                    p.use(cell, "extra")


def _between_tables(
    unaccounted: list[Unaccounted], cells: list[Cell], chars: list[Char], settings: TableSettings
) -> tuple[list[Unaccounted], list[tuple[float, str]]]:
    """Glyphs inside the table's box but in no cell, on lines no cell reaches (the white between two tables
    stacked on one page): a heading, such as the second table's title — read whole, with the page's glyphs on
    its line outside the box (a title wider than the table). Returns (what is still unaccounted, [(y, heading
    text)] top to bottom)."""
    headings: list[tuple[float, str]] = []
    kept: list[Unaccounted] = []
    slack = settings.edge_slack
    for u in unaccounted:
        if u.where != "table":
            kept.append(u)
            continue
        free = [
            c
            for c in u.chars
            if not any(cell.top - slack <= c.cy <= cell.bottom + slack for cell in cells)
            and any(cell.bottom < c.cy for cell in cells)
            and any(cell.top > c.cy for cell in cells)  # between cells, not across the table's top or foot
        ]
        if len(free) < len(u.chars):
            kept.append(Unaccounted("table", u.text, [c for c in u.chars if c not in free]) if free else u)
        for line in lines_of(free, settings):
            size = max(c.size for c in line)
            centre = sum(c.cy for c in line) / len(line)
            whole = [c for c in chars if abs(c.cy - centre) < settings.line_overlap * size]
            headings += [(min(c.top for c in line), text) for text in phrases(whole, settings)]
    return kept, sorted(headings)


def _header_outside(chars: list[Char], bbox: tuple[float, float, float, float], settings: TableSettings) -> str:
    """A line outside the table read whose words are a header naming a table: another table on the page that
    no grid took in (below the first, after a white band that ended it). Its text, or ""."""
    x0, top, x1, bottom = bbox
    slack = settings.edge_slack
    outside = [c for c in chars if not (x0 - slack <= c.cx <= x1 + slack and top - slack <= c.cy <= bottom + slack)]
    for line in lines_of(outside, settings):
        words = [w.text for w in words_of(line, settings)]
        if names_a_table(words):
            return " ".join(words)
    return ""
