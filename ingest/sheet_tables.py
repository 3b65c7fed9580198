"""The report tables of a worksheet: the header (one or two rows, titles over sub-titles), the columns it names, a
list title above it, the body rows down to a note or the next table, labels written once for a block (or as 〃),
and the cells no column title covers — each read exactly or refused with its cell and reason."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.errors import NotAReport
from ingest.roles import column_roles, is_header_word, is_title, names_a_table
from ingest.rows import (
    DITTO_MARKS,
    NONE_MARKS,
    Location,
    Row,
    combine_labels,
    is_total_word,
    join_period_lines,
    join_wrapped,
)
from ingest.sheet_cells import SheetGrid, cell_lines, plain
from store.titles import title_of

HEADER_SEARCH_ROWS = 10  # the header is among the first rows with content (a title and notes may sit above)


MAX_HEADER_ROWS = 3


# labels that mean "as above" (not "none": a dash in the city column of a prefecture partner means no city)
_DITTO = set(DITTO_MARKS)


_NOTE = re.compile(r"^\s*(?:※|＊|\*|[(（]注\d*[)）]|注\d*[:：)）])")


def _header_texts(grid: SheetGrid, r: int) -> list[str]:
    return [plain(grid.header_value(r, c)) for c in range(1, grid.n_cols + 1)]


def find_header(grid: SheetGrid, start: int) -> tuple[int, int] | None:
    """(first, last) header row at or below row `start`, or None when the first rows with content there hold
    no header."""
    seen = 0
    for r in range(start, grid.n_rows + 1):
        texts = _header_texts(grid, r)
        if not any(texts):
            continue
        seen += 1
        if seen > HEADER_SEARCH_ROWS:
            return None
        if names_a_table(texts):
            return r, _header_bottom(grid, r)
    return None


def _header_bottom(grid: SheetGrid, top: int) -> int:
    """The header's last row: down to where its cells merged down end, or one more row of sub-titles under
    a group title (交流自治体 over 都道府県 | 市区町村). A row holding anything but short titles in cells of
    its own is data, never header."""
    cols = range(1, grid.n_cols + 1)
    bottom = top
    for c in cols:
        rng = grid.range_at(top, c)
        if rng:
            bottom = max(bottom, rng[2])
    bottom = min(bottom, top + MAX_HEADER_ROWS - 1)
    if bottom == top:
        below = top + 1
        own = [c for c in cols if grid.cells.get((below, c)) is not None]
        grouped = [c for c in own if not plain(grid.header_value(top, c)) or _spans_columns(grid.range_at(top, c))]
        if own and grouped and _sub_titles(grid, below, own):
            bottom = below
        return bottom
    for s in range(top + 1, bottom + 1):
        own = [
            c
            for c in cols
            if grid.cells.get((s, c)) is not None and not ((rng := grid.range_at(s, c)) and rng[0] < s)  # not merged down
        ]
        if not _sub_titles(grid, s, own):
            return s - 1
    return bottom


def _sub_titles(grid: SheetGrid, r: int, cells: list[int]) -> bool:
    """True when row r's own cells (columns `cells`) are a header's sub-titles: each a role's title, or under a
    group title spanning columns a short word of its own (県 | 市区町, 事業費（千円） under 交流の実績); at least one
    a role's title (a first data row holds none)."""
    texts = {c: plain(grid.cells[(r, c)]) for c in cells}
    fits = all(is_title(t) or _spans_columns(grid.range_at(r - 1, c)) and is_header_word(t) for c, t in texts.items())
    return fits and any(is_title(t) for t in texts.values())


def _spans_columns(rng: tuple[int, int, int, int] | None) -> bool:
    return rng is not None and rng[3] > rng[1]


@dataclass
class _Columns:
    description: list[int]
    department: list[int]
    period: list[int]
    municipality: list[int]
    width: int  # the header's last titled column
    titled: set[int] = field(default_factory=set)  # columns the header gives a title (a role's or another)


def _columns(grid: SheetGrid, header: tuple[int, int]) -> _Columns:
    top, bottom = header
    out = _Columns([], [], [], [], 0)
    titles: list[str] = []
    for c in range(1, grid.n_cols + 1):
        texts: list[str] = []
        own: list[str] = []  # texts of cells not spanning columns: a group title over several is a heading
        for r in range(top, bottom + 1):
            t = plain(grid.header_value(r, c))
            if t and (not texts or texts[-1] != t):
                texts.append(t)
                if not _spans_columns(grid.range_at(r, c)):
                    own.append(t)
        if texts:
            out.width = c
            out.titled.add(c)
        # a column's own title under a group (協定締結日 under 実施内容) is its title, a role's or none
        titles.append(next((t for t in reversed(own or texts) if is_title(t)), ""))
    for c, role in enumerate(column_roles(titles), start=1):  # of two claiming one field, the plainer keeps it
        if role != "other":
            getattr(out, role).append(c)
    return out


def _title(grid: SheetGrid, top: int, header_top: int) -> str:
    """The list's title among the rows from `top` to the header (`store.titles.title_of`)."""
    lines = []
    for r in range(top, header_top):
        seen = set()
        for c in range(1, grid.n_cols + 1):
            rng = grid.range_at(r, c)
            key = (rng[0], rng[1]) if rng else (r, c)
            if key in seen:
                continue
            seen.add(key)
            t = plain(grid.header_value(r, c))
            if t:
                lines.append(t)
    return title_of(lines)


@dataclass
class _Table:
    """One table read from a grid: its title, header rows, rows, column roles, warnings, unaccounted cells."""

    title: str
    header: tuple[int, int]
    rows: list[Row]
    roles: tuple[str, ...]
    warnings: list[str]
    unaccounted: list[str]


def read_tables(grid: SheetGrid) -> list[_Table]:
    """Every table on a worksheet (or CSV), top to bottom: a header, its rows, up to the next list's title."""
    out: list[_Table] = []
    start = 1
    while start <= grid.n_rows:
        header = find_header(grid, start)
        if header is None:
            break
        table, end = _read_table(grid, header, _title(grid, start, header[0]))
        out.append(table)
        start = end
    return out


def _list_title_row(grid: SheetGrid, r: int) -> bool:
    """A row holding nothing but a list's title (令和６年度交流実績一覧（協定等締結自治体以外））: the next table starts."""
    from store.titles import is_list_title

    texts = {plain(grid.cells[(r, c)]) for c in range(1, grid.n_cols + 1) if (r, c) in grid.cells} - {""}
    return len(texts) == 1 and is_list_title(next(iter(texts))) and not names_a_table(list(texts))


def _read_table(grid: SheetGrid, header: tuple[int, int], title: str) -> tuple[_Table, int]:
    """The table under the header, and the row where the next list's title stands (past the grid's last row
    when none). A table without a label column takes its municipalities from heading rows across it (■ 石川県
    金沢市). Raises NotAReport for a cell that cannot be read, a table with neither label column nor heading
    rows, or (CSV) a row with more fields than the header."""
    from ingest.linking import heading_name

    cols = _columns(grid, header)
    main = cols.description[0]
    header_texts = [_header_texts(grid, h) for h in range(header[0], header[1] + 1)]
    rows: list[Row] = []
    warnings: list[str] = []
    unaccounted: list[str] = []
    filled: list[int] = []  # CSV rows whose empty label (and department) cells took the row above's
    previous: list[str] | None = None
    heading_labels: list[str] | None = None  # a row of labels alone: its rows below take them
    heading = ""
    r = header[1] + 1
    while r <= grid.n_rows:
        rng = grid.range_at(r, main)
        if rng and rng[1] == main and rng[0] < r:
            r += 1  # inside a description merged down from a row already read
            continue
        last = min(rng[2], grid.n_rows) if rng and rng[1] == main else r
        if grid.kind == "csv":
            extra = [c for c in range(cols.width + 1, grid.n_cols + 1) if (r, c) in grid.cells]
            if extra:
                raise NotAReport(
                    f"{grid.name}: {r}行目の列が見出しより多くあります / row {r} has {max(extra)} fields, the header {cols.width}"
                )
        if _header_texts(grid, r) in header_texts:
            r = last + 1  # the header repeated inside the table (a copy of one of its rows)
            continue
        if _list_title_row(grid, r):
            break
        description, department, period_text = _record_text(grid, cols, r, last)
        is_record = bool(description or department or period_text)
        if _NOTE.match(_alone(grid, r)):
            r = last + 1  # a note alone on its row (※ 実施期間は予定を含む。), in whichever column it starts
            continue
        if not cols.municipality:
            alone = _alone(grid, r)
            name = heading_name(alone) if alone else ""
            if name or alone and not (department or period_text):  # a heading row: its rows follow under it
                heading = name  # "" for one naming no municipality: the rows under it have none
                r = last + 1
                continue
            labels, how = ([heading], "heading") if heading else (None, "")
        else:
            labels, how = _labels(grid, r, cols.municipality, previous)
            if labels is None and heading_labels:  # under a row of labels alone: a heading over its rows
                labels, how = list(heading_labels), "heading"
        if is_record and not department and not period_text and _is_note(grid, cols, r, description):
            r = last + 1
            continue
        if not is_record:
            # a row of labels alone heads the records under it; a note in the first column does not
            if labels and not any(_NOTE.match(t) for t in labels):
                previous = heading_labels = labels
            r = last + 1
            continue
        unaccounted += _untitled_cells(grid, cols, r, last)
        if grid.kind == "csv" and not department and rows and rows[-1].labels == labels and rows[-1].department:
            department = rows[-1].department  # a department merged over rows of one partner, as the CSV saved it
            how = how if how == "fill-down" else "printed, department filled down"
        if "fill-down" in how or "filled down" in how:
            filled.append(r)
        if how in ("printed", "merged"):
            heading_labels = None  # a row's own label ends what a heading row above said
        if not any(is_total_word(plain(label)) for label in labels or []):
            previous = labels  # a 小計 line's word is no label for the rows under it
        rows.append(
            Row(
                Location(row=r),
                0.0,
                0.0,
                description,
                department,
                period_text,
                list(labels or []),
                combine_labels(labels or []),
                how,
            )
        )
        r = last + 1
    if not cols.municipality and not any(row.label_how == "heading" for row in rows):
        raise NotAReport(f"{grid.name}: 自治体の列が見つかりません / no municipality column (交流自治体, 都道府県, 市区町村 …)")
    if filled:
        where = "、".join(f"{n}行目" for n in filled[:5]) + ("…" if len(filled) > 5 else "")
        warnings.append(
            f"CSVの空欄を上の行の自治体・所管課で補いました（結合セルの保存形） / empty label or department cells of a CSV taken "
            f"from the row above, as Excel saves merged cells: {len(filled)}行（{where}）"
        )
    roles = tuple(role for role in ("description", "department", "period", "municipality") for _ in getattr(cols, role))
    return _Table(title, header, rows, roles, warnings, unaccounted), r


def _alone(grid: SheetGrid, r: int) -> str:
    """The one text a row holds (alone in a cell, or merged across the row), or "" when it holds several."""
    texts = {plain(grid.cells[(r, c)]) for c in range(1, grid.n_cols + 1) if (r, c) in grid.cells} - {""}
    return next(iter(texts)) if len(texts) == 1 else ""


def _untitled_cells(grid: SheetGrid, cols: _Columns, r: int, last: int) -> list[str]:
    """Cells of rows r..last in columns the header gives no title (inside the table's width): text no field
    accounts for, as 「5行目 F列「…」」."""
    out = []
    for s in range(r, last + 1):
        for c in range(1, cols.width + 1):
            if c in cols.titled or grid.range_at(s, c) is not None:
                continue
            value = grid.cells.get((s, c))
            if value is not None and plain(value):
                ja, _ = grid.where(s, c)
                out.append(f"{ja}「{plain(value)[:30]}」")
    return out


def _record_text(grid: SheetGrid, cols: _Columns, r: int, last: int) -> tuple[str, str, str]:
    """(description, department, period_text) of the record in rows r..last: every cell of the role's
    columns in those rows once (a cell merged over several records gives each its value)."""

    def lines_of(columns: list[int], role: str) -> list[str]:
        out: list[str] = []
        seen: set[tuple[int, int]] = set()
        for c in columns:
            for s in range(r, last + 1):
                value, at = grid.body_value(s, c)
                if at is None or at in seen:
                    continue
                seen.add(at)
                out.extend(cell_lines(grid, value, at, role))
        return out

    # two description columns (事業名 | 事業内容) are one description, joined by an ideographic space
    parts = [join_wrapped(lines_of([c], "description")) for c in cols.description]
    return (
        "\u3000".join(p for p in parts if p),
        join_wrapped(lines_of(cols.department, "department")),
        join_period_lines(lines_of(cols.period, "period")),
    )


def _is_note(grid: SheetGrid, cols: _Columns, r: int, description: str) -> bool:
    """A description-only row that is a note: 「※…」, 「(注)…」, or text merged across the table's
    department or period column."""
    if _NOTE.match(description):
        return True
    rng = grid.range_at(r, cols.description[0])
    return rng is not None and any(rng[1] <= c <= rng[3] for c in cols.department + cols.period)


def _labels(grid: SheetGrid, r: int, columns: list[int], previous: list[str] | None) -> tuple[list[str] | None, str]:
    """The row's municipality labels, one per column, and how they were found ("printed", "merged", "ditto",
    "fill-down"); (None, "") when the row shows none.

    Labels by evidence: a label cell's own text (a merged range gives every row it covers its value), or 〃 /
    同上 (as above). An empty cell of its own is no label in a workbook (the row is refused by the checks); in a
    CSV, where Excel saves a merged cell as its value and empty cells below, it takes the row above's (said in
    the warnings). A row whose inner label is printed without its outer one (empty 都道府県, 玉名市) takes the
    outer one from above unless a printed label already names its prefecture."""
    from store.gazetteer import prefecture_names

    texts: list[str] = []
    merged: list[bool] = []
    ditto = False
    for c in columns:
        value, at = grid.body_value(r, c)
        rng = grid.range_at(r, c)
        text = re.sub(r"\s+", "", join_wrapped(cell_lines(grid, value, at, "municipality")))
        ditto = ditto or text in _DITTO
        texts.append("" if text in _DITTO else text)
        merged.append(rng is not None and (rng[0] != rng[2] or rng[1] != rng[3]))
    how = "merged" if any(m and t for m, t in zip(merged, texts)) else "printed"
    if not any(texts):
        if previous and ditto:
            return list(previous), "ditto"
        if previous and grid.kind == "csv":
            return list(previous), "fill-down"
        return None, ""
    labels = list(texts)
    named = [t for t in texts if t and t not in NONE_MARKS]
    if previous and not any(t.startswith(p) for t in named for p in prefecture_names()):
        for k in range(len(labels)):
            if not labels[k] and not merged[k] and any(labels[k + 1 :]) and previous[k]:
                labels[k] = previous[k]
    return labels, how
