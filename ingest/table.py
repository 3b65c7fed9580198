"""Reading the report table from a PDF page's geometry.

The pipeline is a chain of small steps, each a plain function you can test and see (`koryu ingest --debug`):

    page → visible chars → grid cells (`ingest.grid`: from ruling lines, or from the header's text, the
         body's alignment and horizontal rules, shading bands or line spacing) → chars per cell → header and
         column roles → rows (one per description cell) → label segments per municipality column
         → segments linked across page breaks → rows with their printed municipality label

Nothing here knows a coordinate, a page break or a city of any one file. What varies between reports and is
handled from geometry: merged label cells over many rows and page breaks (label on the first page, the last,
every page, or drawn outside the visible page), wrapped cells, headers repeated or not, narrow header cells
written one character per line that overflow into the first row, labels written top to bottom in two
columns, one or two municipality columns, changing header titles and column order, portrait or landscape,
duplicate glyphs drawn for bold, white or hairline rules that are not cell borders, tables drawn with
horizontal rules only, with no rules (rows told apart by shading or spacing) or without their outer sides,
and rows split by a page break.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from ingest.grid import (
    DEFAULT,
    Cell,
    Char,
    Grid,
    TableSettings,
    find_grid,
    lines_of,
    stacks,
    vertical_columns,
    visible_area,
    visible_chars,
    words_of,
)
from ingest.roles import MAX_TITLE_CHARS, ROLE_WORDS, column_role, column_roles, is_title, names_a_table
from store.normalize import fold

__all__ = [
    "ROLE_WORDS",
    "MAX_TITLE_CHARS",
    "TableSettings",
    "Cell",
    "Char",
    "Column",
    "Segment",
    "Row",
    "PageTable",
    "column_role",
    "read_page",
    "link_labels",
    "merge_split_rows",
    "combine_labels",
    "join_wrapped",
    "join_period_lines",
    "text_lines",
]

HEADER_BANDS = 4  # the header is within the table's first bands (a title row may sit above it)


@dataclass
class Column:
    x0: float
    x1: float
    role: str  # municipality | description | department | period | other
    title: str = ""


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
    how: str = ""  # printed | from-previous-page | from-next-page | clipped | fill-down


@dataclass
class Row:
    """One table row: what a record is made from. `labels` has one entry per municipality column."""

    page: int  # 1-based
    top: float
    bottom: float
    description: str
    department: str
    period_text: str
    labels: list[str] = field(default_factory=list)
    printed_name: str = ""
    label_how: str = ""


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
    above: list[str] = field(default_factory=list)  # the page's text lines above the table (its title)
    labels_unplaced: bool = False  # label cells not drawn, and a label not on its row's first line (see _unplaced)
    unread_header: str = ""  # a header line outside the table read (a second table this page's grid missed)


# ---------------------------------------------------------------------------------------------- text


class CellIndex:
    """Point → smallest cell containing it, via the grid of all cell boundaries (bisect, not a scan)."""

    def __init__(self, cells: list[Cell]):
        import bisect

        self._bisect = bisect.bisect_right
        self.xs = sorted({c.x0 for c in cells} | {c.x1 for c in cells})
        self.ys = sorted({c.top for c in cells} | {c.bottom for c in cells})
        self.owner: dict[tuple[int, int], int] = {}
        area: dict[tuple[int, int], float] = {}
        for k, c in enumerate(cells):
            i0, i1 = self.xs.index(c.x0), self.xs.index(c.x1)
            j0, j1 = self.ys.index(c.top), self.ys.index(c.bottom)
            a = (c.x1 - c.x0) * (c.bottom - c.top)
            for i in range(i0, i1):
                for j in range(j0, j1):
                    if (i, j) not in area or a < area[(i, j)]:
                        area[(i, j)], self.owner[(i, j)] = a, k

    def at(self, x: float, y: float) -> int | None:
        i = self._bisect(self.xs, x) - 1
        j = self._bisect(self.ys, y) - 1
        return self.owner.get((i, j))


def assign_chars(cells: list[Cell], chars: list[Char], settings: TableSettings = DEFAULT) -> dict[int, list[Char]]:
    """Map each char to the cell holding its centre; a one-per-line stack goes whole to its majority cell."""
    index = CellIndex(cells)
    found = {id(c): index.at(c.cx, c.cy) for c in chars}
    where = {k: cell for k, cell in found.items() if cell is not None}
    in_table = [c for c in chars if id(c) in where]
    out: dict[int, list[Char]] = {}
    placed: set[int] = set()
    for stack in stacks(in_table, settings):
        votes: dict[int, int] = {}
        for c in stack:
            votes[where[id(c)]] = votes.get(where[id(c)], 0) + 1
        first = where[id(stack[0])]
        target = max(votes, key=lambda k: (votes[k], k == first))
        for c in stack:
            out.setdefault(target, []).append(c)
            placed.add(id(c))
    for c in in_table:
        if id(c) not in placed:
            out.setdefault(where[id(c)], []).append(c)
    return out


def text_lines(chars: Iterable[Char], settings: TableSettings = DEFAULT) -> list[str]:
    """Chars of one cell → its printed lines, top to bottom, each left to right."""
    out = []
    for line in lines_of(list(chars), settings):
        s = "".join(c.text for c in line).strip()
        if s:
            out.append(s)
    return out


_LATIN = re.compile(r"[A-Za-z]")
_ERA_START = re.compile(r"^\s*(?:[RHSＲＨＳ]\s*[0-9０-９元]|令和|平成|昭和|(?:19|20)\d\d[./年])")
_CONNECTOR_END = re.compile(r"[・、,，~～〜\-－]\s*$")


def join_wrapped(lines: list[str]) -> str:
    """Undo the cell's line wrapping: CJK lines join directly, two latin words get a space between."""
    out = ""
    for line in lines:
        if out and _LATIN.match(out[-1]) and _LATIN.match(line[0]):
            out += " "  # Excel wraps latin text at a space and does not print it
        out += line
    return out


def join_period_lines(lines: list[str]) -> str:
    """A period cell's lines: a new line that starts a new dated item stays a line ("\\n"); a wrapped one joins."""
    out = ""
    for line in lines:
        if out and _ERA_START.match(line) and not _CONNECTOR_END.search(out):
            out += "\n"
        out += line
    return out


# ------------------------------------------------------------------------------------------- columns


def _boundaries(cells: list[Cell], tol: float = DEFAULT.boundary_tolerance) -> list[float]:
    xs = sorted({round(v, 1) for c in cells for v in (c.x0, c.x1)})
    merged: list[float] = []
    for x in xs:
        if merged and x - merged[-1] <= tol:
            continue
        merged.append(x)
    return merged


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
        titled = [i for i in band if is_title(texts.get(i, ""))]
        if names_a_table([texts[i] for i in titled]):
            break
    else:
        return [Column(a, b, "other") for a, b in spans], None
    header_bottom = _under_headings(cells, texts, spans, band_top, max(cells[i].bottom for i in titled), settings)
    titles, named = [], []
    for a, b in spans:
        mid = (a + b) / 2
        parts = [
            texts.get(i, "")
            for i, c in sorted(enumerate(cells), key=lambda ic: ic[1].top)
            if band_top - settings.band_tolerance <= c.top < header_bottom - 1 and c.x0 - 1 <= mid <= c.x1 + 1
        ]
        titles.append("".join(parts).replace("\n", ""))
        # a heading over sub-headings (交流自治体名 over 県 | 市区町, in one cell or two): the lowest title that
        # names a role decides — a cell's lines joined (所管 / 課 wrapped), else its lower lines (市 / 区 / 町)
        lines = [part.split("\n") for part in reversed(parts)]
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
    tol = settings.band_tolerance

    def width(c: Cell) -> int:
        return sum(1 for a, b in spans if c.x0 - 1 <= (a + b) / 2 <= c.x1 + 1)

    while True:
        headings = [c for c in cells if c.top >= top - tol and abs(c.bottom - bottom) < tol and width(c) >= 2]
        below = [
            i
            for i, c in enumerate(cells)
            if abs(c.top - bottom) < tol and any(h.x0 - 1 <= c.x0 and c.x1 <= h.x1 + 1 for h in headings)
        ]
        if not headings or not below or not all(is_title(texts.get(i, "")) for i in below):
            return bottom
        bottom = max(cells[i].bottom for i in below)


def columns_like(previous: list[Column], cells: list[Cell], settings: TableSettings = DEFAULT) -> list[Column]:
    """A page without a header: reuse the previous page's roles for columns at the same place."""
    xs = _boundaries(cells, settings.boundary_tolerance)
    out = []
    for a, b in zip(xs, xs[1:]):
        best = max(previous, key=lambda col: min(b, col.x1) - max(a, col.x0))
        overlap = min(b, best.x1) - max(a, best.x0)
        out.append(Column(a, b, best.role if overlap > 0.5 * (b - a) else "other", best.title))
    return out


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

    @property
    def roles(self) -> list[str]:
        return [c.role for c in self.columns]

    @property
    def data_bottom(self) -> float:
        return max((c.bottom for c in self.data_cells), default=self.data_top)

    def chars_of(self, cell: Cell) -> list[Char]:
        return self.by_cell.get(self.index.get(id(cell), -1), [])

    def lines_of(self, cell: Cell) -> list[str]:
        return text_lines(self.chars_of(cell))

    def columns_of(self, cell: Cell) -> list[int]:
        return [k for k, col in enumerate(self.columns) if cell.x0 - 1 <= (col.x0 + col.x1) / 2 <= cell.x1 + 1]


def _columns(grid: Grid, by_cell: dict[int, list[Char]], previous: list[Column] | None, settings: TableSettings):
    """(columns, header_bottom) of the grid: from its header, else the previous page's roles; None when the
    page holds no report table."""
    texts = {i: "\n".join(text_lines(cs, settings)) for i, cs in by_cell.items()}
    columns, header_bottom = read_header(grid.cells, texts, settings)
    if header_bottom is None:
        if previous is None:
            return None
        columns = columns_like(previous, grid.cells, settings)
    if "description" not in [c.role for c in columns]:
        return None
    return columns, header_bottom


def _open_page(page, number: int, chars: list[Char], settings: TableSettings, previous: list[Column] | None) -> _Page | None:
    """Find the page's table grid and its columns (the first step of `read_page`)."""
    spans = [(c.x0, c.x1, c.role) for c in previous] if previous else None
    found: dict[int, tuple] = {}

    def accept(grid: Grid) -> bool:
        by_cell = assign_chars(grid.cells, chars, settings)
        read = _columns(grid, by_cell, previous, settings)
        if read is not None:
            found[id(grid)] = (by_cell, *read)
        return read is not None

    grid = find_grid(page, chars, settings, spans, accept)
    if grid is None:
        return None
    by_cell, columns, header_bottom = found[id(grid)]
    data_top = header_bottom if header_bottom is not None else grid.bbox[1]
    data_cells = [c for c in grid.cells if c.top >= data_top - 1.0]
    index = {id(c): i for i, c in enumerate(grid.cells)}
    return _Page(number, grid, by_cell, columns, header_bottom, data_top, data_cells, index)


def _role_text(p: _Page, role: str, top: float, bottom: float, joiner, k_only: int | None = None) -> str:
    """Text of the role's cells overlapping a row; a cell merged over several rows gives each row its text."""
    lines: list[str] = []
    for k, r in enumerate(p.roles):
        if r != role or (k_only is not None and k != k_only):
            continue
        mid_x = (p.columns[k].x0 + p.columns[k].x1) / 2
        for c in sorted(p.data_cells, key=lambda c: c.top):
            if c.x0 - 1 <= mid_x <= c.x1 + 1 and c.top < bottom - 1 and c.bottom > top + 1:
                lines.extend(p.lines_of(c))
    return joiner(lines)


def _rows(p: _Page) -> list[Row]:
    """One row per description cell; two description columns (事業名 | 事業内容) are one description, joined
    by an ideographic space."""
    desc_cols = [k for k, r in enumerate(p.roles) if r == "description"]
    row_cells = sorted((c for c in p.data_cells if desc_cols[0] in p.columns_of(c)), key=lambda c: c.top)
    rows = []
    for rc in row_cells:
        parts = [join_wrapped(p.lines_of(rc))]
        parts += [_role_text(p, "description", rc.top, rc.bottom, join_wrapped, k) for k in desc_cols[1:]]
        rows.append(
            Row(
                page=p.number,
                top=rc.top,
                bottom=rc.bottom,
                description="\u3000".join(part for part in parts if part),
                department=_role_text(p, "department", rc.top, rc.bottom, "".join),
                period_text=_role_text(p, "period", rc.top, rc.bottom, join_period_lines),
            )
        )
    return [row for row in rows if not _repeated_header(row) and not _spacer(p, row)]


def _spacer(p: _Page, row: Row) -> bool:
    """A blank row drawn between blocks: no field read, and no glyph in any cell within its height."""
    if row.description or row.department or row.period_text:
        return False
    inside = [c for c in p.data_cells if c.top >= row.top - 1 and c.bottom <= row.bottom + 1]
    return not any(p.chars_of(c) for c in inside)


def _repeated_header(row: Row) -> bool:
    """A row that is a header again (a second table below the first, or a header repeated mid-page): its
    fields are titles naming a table. A data row never is one (事業内容の確認 is no title)."""
    texts = [t for t in (row.description, row.department, row.period_text) if t]
    return all(is_title(t) for t in texts) and names_a_table(texts)


def label_text(chars: list[Char], settings: TableSettings = DEFAULT) -> str:
    """A label cell's text: its lines joined, or — written top to bottom in columns (縦書き) — its columns
    right to left, each top to bottom."""
    columns = vertical_columns(chars, settings)
    if columns is not None:
        return "".join(c.text for col in columns for c in col)
    return "".join(text_lines(chars, settings))


def _segments(p: _Page, rows: list[Row], page, hidden: list[Char], settings: TableSettings) -> list[list[Segment]]:
    """Per municipality column, its label cells in order, each with the rows it spans; glyphs drawn outside
    the visible page in a cell's column are kept as the cell's hidden text (clipped labels)."""
    _, visible_top, _, visible_bottom = visible_area(page)
    near = settings.band_tolerance
    segments: list[list[Segment]] = []
    for li, k in enumerate(k for k, r in enumerate(p.roles) if r == "municipality"):
        col = p.columns[k]
        mid_x = (col.x0 + col.x1) / 2
        segs: dict[int, Segment] = {}
        order: list[Segment] = []
        for ri, row in enumerate(rows):
            mid_y = (row.top + row.bottom) / 2
            owner = next(
                (c for c in p.data_cells if c.x0 - 1 <= mid_x <= c.x1 + 1 and c.top - 1 <= mid_y <= c.bottom + 1),
                None,
            ) or Cell(col.x0, row.top, col.x1, row.bottom)
            if id(owner) not in segs:
                above = [h for h in hidden if owner.x0 <= h.cx <= owner.x1 and h.cy < visible_top]
                below = [h for h in hidden if owner.x0 <= h.cx <= owner.x1 and h.cy > visible_bottom]
                side = ""
                if above and abs(owner.top - p.data_top) < near:
                    side = "above"
                elif below and abs(owner.bottom - p.data_bottom) < near:
                    side = "below"
                seg = Segment(
                    p.number,
                    li,
                    owner,
                    label_text(p.chars_of(owner), settings),
                    "".join(text_lines({"above": above, "below": below}.get(side, []), settings)),
                    side,
                    touches_top=abs(owner.top - p.data_top) < near or owner.top < p.data_top,
                    touches_bottom=abs(owner.bottom - p.data_bottom) < near,
                )
                segs[id(owner)] = seg
                order.append(seg)
            segs[id(owner)].rows.append(ri)
        segments.append(order)
    return segments


def _unplaced(p: _Page, rows: list[Row], segments: list[list[Segment]], settings: TableSettings) -> bool:
    """In a table whose rows come from spacing alone, a label must stand on the first line of the row it
    starts: nothing else shows how far a municipality's rows run. A label beside a later line (centred or
    bottom-aligned on a merged block, as a spreadsheet prints it) leaves that unknown: True."""
    desc = p.roles.index("description")
    for column in segments:
        for seg in column:
            chars = p.chars_of(seg.cell)
            if not chars or not seg.rows:
                continue
            row = rows[seg.rows[0]]
            cell = next((c for c in p.data_cells if desc in p.columns_of(c) and abs(c.top - row.top) < 0.5), None)
            first = [c.top for c in p.chars_of(cell)] if cell else []
            if first and abs(min(c.top for c in chars) - min(first)) > settings.line_overlap * chars[0].size:
                return True
    return False


def read_page(page, page_number: int, settings: TableSettings, previous_columns: list[Column] | None) -> PageTable | None:
    """Read the report table on one page. Returns None when the page has no such table.

    Steps: visible chars → grid (`ingest.grid.find_grid`) → columns → rows → label segments.
    """
    chars, hidden = visible_chars(page, settings)
    p = _open_page(page, page_number, chars, settings, previous_columns)
    if p is None:
        return None
    g = p.grid
    above = text_lines([c for c in chars if c.bottom <= g.bbox[1] + 1], settings)
    rows = _rows(p) if p.data_cells else []
    segments = _segments(p, rows, page, hidden, settings) if rows else []
    unplaced = g.labels_unplaced or (g.rows_from == "spacing" and _unplaced(p, rows, segments, settings))
    unread = _header_outside(chars, g.bbox, settings)
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
    )


def _header_outside(chars: list[Char], bbox: tuple[float, float, float, float], settings: TableSettings) -> str:
    """A line outside the table read whose words are a header naming a table: another table on the page that
    no grid took in (below the first, after a white band that ended it). Its text, or ""."""
    x0, top, x1, bottom = bbox
    outside = [c for c in chars if not (x0 - 1 <= c.cx <= x1 + 1 and top - 1 <= c.cy <= bottom + 1)]
    for line in lines_of(outside, settings):
        words = [w.text for w in words_of(line, settings)]
        if names_a_table(words):
            return " ".join(words)
    return ""


# ------------------------------------------------------------------------------------------- document


def link_labels(tables: list[PageTable]) -> list[Row]:
    """Give every row its printed municipality label, following merged cells across page breaks.

    Per municipality column, an empty label cell takes, in order: the label its clipped glyphs show
    (drawn above the page → the block from the previous page; below → the next page's), the previous
    page's last label when it touches the page top and the break continues the block, the next page's first
    label when it touches the bottom; what is still empty is filled down from the row above.
    """
    tables = [t for t in tables if t.rows]
    n_cols = max((len(t.segments) for t in tables), default=0)
    for k in range(n_cols):
        seq = [s for t in tables for s in (t.segments[k] if k < len(t.segments) else [])]
        for s in seq:
            s.label, s.how = (s.text, "printed") if s.text else ("", "")
        # an empty cell whose rows already carry a full name in another column needs nothing: the empty
        # 県 cells of 石川県金沢市's rows must not borrow 熊本県 from a block across the page break
        done = {id(s) for s in seq if not s.text and _named_elsewhere(s, tables)}
        # rows naming just a prefecture elsewhere are that prefecture's own records (熊本県 | empty): their
        # empty city cell at a page's foot must not take the next page's city
        prefecture_rows = {id(s) for s in seq if not s.text and _named_elsewhere(s, tables, prefecture_alone=True)}
        _from_clipped_glyphs(seq, done)
        _from_previous_page(seq, done, tables)
        _from_next_page(seq, done | prefecture_rows)
    return _fill_down(_rows_with_labels(tables))


def _from_clipped_glyphs(seq: list[Segment], done: set[int]) -> None:
    """Clipped glyphs say which way the block runs: drawn above the page, it is the previous page's block."""
    for i, s in enumerate(seq):
        if s.label or not s.hidden_side or id(s) in done:
            continue
        j = i - 1 if s.hidden_side == "above" else i + 1
        if 0 <= j < len(seq) and seq[j].page != s.page and seq[j].text:
            s.label, s.how = seq[j].text, "from-previous-page" if j < i else "from-next-page"
        else:
            s.label, s.how = s.hidden_text, "clipped"


def _from_previous_page(seq: list[Segment], done: set[int], tables: list[PageTable]) -> None:
    """An empty block at the top of a page continues the previous page's block."""
    for i, s in enumerate(seq):
        if s.label or not s.touches_top or i == 0 or id(s) in done:
            continue
        prev = seq[i - 1]
        if prev.page != s.page and prev.touches_bottom and prev.label and _break_continues(tables, s.page):
            s.label, s.how = prev.label, "from-previous-page"


def _from_next_page(seq: list[Segment], skip: set[int]) -> None:
    """An empty block at the bottom of a page is labelled on the next page (not in a fill-down report,
    where an empty one-row cell means "same as above")."""
    for i in range(len(seq) - 1, -1, -1):
        s = seq[i]
        if s.label or not s.touches_bottom or i + 1 >= len(seq) or id(s) in skip:
            continue
        nxt = seq[i + 1]
        if nxt.page != s.page and nxt.touches_top and nxt.label and (len(s.rows) > 1 or not _fill_down_style(seq)):
            s.label, s.how = nxt.label, "from-next-page"


_HEADING_MARKS = "■□◆◇●○▲△▼▽★☆◎・【】［］[]〈〉《》〔〕()（）"


def heading_label(row: Row) -> str:
    """The municipality a heading row names (■ 石川県金沢市, 【熊本県】): one cell across the whole table, so
    the same text in 事業内容, 所管課 and 実施期間, naming a municipality once its marks are dropped; else ""."""
    from ingest.labels import resolve

    texts = {re.sub(r"\s+", "", t) for t in (row.description, row.department, row.period_text)}
    if len(texts) != 1 or row.labels and any(row.labels):
        return ""
    name = next(iter(texts)).strip(_HEADING_MARKS)
    found = resolve(name) if name else None
    return name if found and found.municipality and found.method in ("exact", "name") else ""


def labels_from_headings(rows: list[Row]) -> list[Row]:
    """A table without a label column, whose municipalities are heading rows across its width: each heading
    labels the rows under it, up to the next, and is dropped. A row above the first heading keeps no label
    (and is refused by the checks). Tables with a label column are left as they are."""
    if any(r.printed_name for r in rows):
        return rows
    out: list[Row] = []
    current = ""
    for row in rows:
        name = heading_label(row)
        if name:
            current = name
            continue
        if current:
            row.printed_name, row.label_how = current, "heading"
        out.append(row)
    return out


def _rows_with_labels(tables: list[PageTable]) -> list[Row]:
    """Every row with its label per municipality column and how each was found."""
    rows: list[Row] = []
    for t in tables:
        for ri, row in enumerate(t.rows):
            row.labels = []
            how = []
            for segs in t.segments:
                seg = next((s for s in segs if ri in s.rows), None)
                row.labels.append(seg.label if seg else "")
                if seg and seg.label:
                    how.append(seg.how)
            row.label_how = ",".join(sorted(set(how)))
            rows.append(row)
    return rows


def _fill_down(rows: list[Row]) -> list[Row]:
    """The columns' labels combined into the printed name; a row still without one takes the row above's."""
    previous = ""
    for row in rows:
        row.printed_name = combine_labels(row.labels)
        if not row.printed_name and previous:
            row.printed_name, row.label_how = previous, "fill-down"
        previous = row.printed_name or previous
    return rows


def _named_elsewhere(segment: Segment, tables: list[PageTable], prefecture_alone: bool = False) -> bool:
    """True when every row of the segment has, in another municipality column, a printed full name (a
    prefecture followed by more: 石川県金沢市) — or, with prefecture_alone, exactly a prefecture (熊本県)."""
    from store.gazetteer import prefecture_names

    def named(text: str) -> bool:
        t = re.sub(r"\s+", "", text)
        if prefecture_alone:
            return t in prefecture_names()
        return any(t.startswith(p) and len(t) > len(p) for p in prefecture_names())

    table = next(t for t in tables if t.page == segment.page)
    for ri in segment.rows:
        others = [s.text for col in table.segments for s in col if s.column != segment.column and ri in s.rows]
        if not any(named(o) for o in others):
            return False
    return True


def _break_continues(tables: list[PageTable], page: int) -> bool:
    """At the break before `page`: every label printed at the new page's top repeats the one above it."""
    cur = next((t for t in tables if t.page == page), None)
    prev = next((t for t in reversed(tables) if t.page < page), None)
    if cur is None or prev is None:
        return False
    for k in range(min(len(cur.segments), len(prev.segments))):
        top = next((s for s in cur.segments[k] if s.touches_top), None)
        bottom = next((s for s in reversed(prev.segments[k]) if s.touches_bottom), None)
        if top and top.text and bottom and bottom.label and fold(top.text) != fold(bottom.label):
            return False
        if top and top.text and (bottom is None or not bottom.label):
            return False
    return True


def _fill_down_style(seq: list[Segment]) -> bool:
    """True when the report marks "same as above" with empty one-row cells mid-page (no merged cells)."""
    mid_empty = [s for s in seq if not s.text and len(s.rows) == 1 and not s.touches_top and not s.touches_bottom]
    merged = [s for s in seq if len(s.rows) > 1]
    return bool(mid_empty) and not merged


def combine_labels(labels: list[str]) -> str:
    """Join the municipality columns' labels (県 | 市区町 → 石川県金沢市); a repeat of the first part is dropped."""
    parts = [re.sub(r"\s+", "", unicodedata.normalize("NFC", p)) for p in labels]
    parts = [p for p in parts if p and p not in ("-", "－", "―", "ー", "〃")]
    out = ""
    for p in parts:
        if out and p.startswith(out):
            out = p
        elif out and out.endswith(p):
            continue
        else:
            out += p
    return out


def merge_split_rows(rows: list[Row]) -> list[Row]:
    """A row cut by a page break arrives as two rows; the part lacking both department and period joins the other."""
    out: list[Row] = []
    for row in rows:
        if out and out[-1].page != row.page and out[-1].printed_name == row.printed_name:
            prev = out[-1]
            prev_incomplete = not prev.department and not prev.period_text
            this_incomplete = not row.department and not row.period_text
            if (prev_incomplete or this_incomplete) and row.description and prev.description:
                prev.description += row.description
                prev.department = prev.department or row.department
                prev.period_text = prev.period_text or row.period_text
                continue
        out.append(row)
    return out
