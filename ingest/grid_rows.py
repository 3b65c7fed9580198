"""The rows of a table drawn without horizontal rules: from shading bands, from line spacing, through the cells of
a column left unfilled; where the body ends (a note, a total, another table's start), and the headings between
its bands."""

from __future__ import annotations

import math
import re
import statistics
import unicodedata

from ingest.accounting import PAGE_NUMBER
from ingest.cells import make_edge
from ingest.glyphs import Char, lines_of, luminance, phrases, words_of
from ingest.roles import names_a_table
from ingest.settings import TableSettings
from store.titles import is_list_title

_NOTE_START = re.compile(r"^(?:※|＊|\*|注\s*\d*\s*[:：)）]|[(（]注)")  # a note under a table: ※ …, 注1：…, （注）…


def end_of_body(lines: list[list[Char]], start: int, settings: TableSettings) -> int:
    """Index past the last line of the table body: the table ends at a white band table_end_gap × size tall,
    at a note under it (a line starting ※, 注1：, （注）, no further right than note_indent × size past the
    body's left), at the page number (- 1 -, 1/2) or at the next list's
    title."""
    end = start
    left = math.inf  # the body's left so far
    while end < len(lines):
        text = "".join(c.text for c in lines[end]).strip()
        last = end == len(lines) - 1
        # a note starts at the table's left, not in a column further right (※ in a 備考 cell, centred in its
        # row between the description's two lines)
        size = statistics.median(c.size for c in lines[end])
        note = (
            _NOTE_START.match(text)
            and min(c.x0 for c in lines[end]) <= left + settings.note_indent * size
            and not _row_with_note_mark(lines[end], settings)
        )
        if note or end > start and last and PAGE_NUMBER.match(unicodedata.normalize("NFKC", text)):
            break  # a note, or the page number at the foot of the page
        if end > start and is_list_title(text):
            break  # the next list's title: its own table follows
        if end > start:
            if min(c.top for c in lines[end]) - max(c.bottom for c in lines[end - 1]) > settings.table_end_gap * size:
                break
        left = min(left, min(c.x0 for c in lines[end]))
        end += 1
    return end


def _row_with_note_mark(line: list[Char], settings: TableSettings) -> bool:
    """True for a line starting ※ that is a table row, not a note: three phrases or more, set apart as cells
    are (`ingest.glyphs.phrases`), one after the first a date (※ in a 備考 column left of the description,
    the row's department and period)."""
    from ingest.periods import parse_period

    parts = phrases(line, settings)
    return len(parts) >= 3 and any(parse_period(part, None).start is not None for part in parts[1:])


def shading_fills(page, box: tuple[float, float, float, float], settings: TableSettings) -> list[dict]:
    """Filled rectangles inside the table's box that are neither white nor thin: row and cell fills."""
    x0, top, x1, bottom = box
    out = []
    for r in page.rects:
        w, h = r["x1"] - r["x0"], r["bottom"] - r["top"]
        if not r.get("fill") or min(w, h) <= settings.thin_rect:
            continue
        lum = luminance(r.get("non_stroking_color"))
        if lum is not None and lum >= settings.white_luminance:
            continue
        if r["x0"] < x1 and r["x1"] > x0 and top - settings.edge_slack <= r["top"] < bottom:
            out.append(r)
    return out


def rows_through_cells(ys: list[float], columns: list[list[Char]], row_white: float) -> list[Char]:
    """Glyphs of a cell that a row boundary read from the description column's spacing runs between: another
    column's lines stand across it as close as a cell's wrapped lines (less white than `row_white`, what parts
    between rows) — a period's third line 教室 under its row's last description line. Which row they belong
    to is a guess. [] when every boundary runs through white in every column."""
    out: list[Char] = []
    for y in ys:
        for chars in columns:
            above = [c for c in chars if c.cy < y]
            below = [c for c in chars if c.cy >= y]
            if not above or not below:
                continue
            low, high = max(above, key=lambda c: c.bottom), min(below, key=lambda c: c.top)
            if high.top - low.bottom < row_white:
                out += [low, high]
    return out


def _band_gaps(chars: list[Char]) -> list[tuple[float, float]]:
    """(height, middle) of each white band between the ink bands of `chars` (the union of their heights)."""
    bands: list[list[float]] = []
    for c in sorted(chars, key=lambda c: c.top):
        if bands and c.top <= bands[-1][1]:
            bands[-1][1] = max(bands[-1][1], c.bottom)
        else:
            bands.append([c.top, c.bottom])
    return [(b[0] - a[1], (a[1] + b[0]) / 2) for a, b in zip(bands, bands[1:])]


def spacing_rows(
    body: list[list[Char]], settings: TableSettings, known: list[float] | None = None, columns: list[list[Char]] | None = None
) -> tuple[list[float], float]:
    """Row boundaries from line spacing: the middle of each white band between text lines that is taller than
    the spacing of a cell's wrapped lines (the first jump up among the bands' heights; row_gap × size when the
    bands are all alike). known: row boundaries already drawn (shading bands' edges): then a band must also be
    about as tall as the white across those (a row's wrapped lines in a shaded table are not rows). Returns
    (the boundaries, the white that parts a cell's wrapped lines from separate rows in any column: a boundary
    on a fill's edge may run through less white in another column than between the description's rows)."""
    gaps = _band_gaps([c for line in body for c in line])
    if not gaps:
        return [], 0.0
    size = statistics.median(c.size for line in body for c in line)
    # the spacing of wrapped lines shows in any column (a department wrapped in two lines), so the sizes of
    # the white bands are taken from every column's own; the rows part where the description column's do
    heights = sorted(g for g, _ in gaps) if not columns else sorted(g for col in columns for g, _ in _band_gaps(col))
    touch = settings.line_touch * size  # a band thinner than this is two lines touching (rounding), never a row's edge
    gaps = [(g, y) for g, y in gaps if g > touch]
    heights = [h for h in heights if h > touch]
    threshold = settings.row_gap * size
    # the first jump up from the smallest bands (a cell's wrapped lines) to taller ones (between rows); a few
    # much taller bands (a spacer row, a heading) must not hide it
    jumps = [(a * b) ** 0.5 for a, b in zip(heights, heights[1:]) if a > 0 and b / a >= settings.row_gap_jump]
    if jumps:
        threshold = jumps[0]
    if columns and _lines_touch(columns, settings, size):
        # a cell's wrapped lines set with no white between them leave no band of their own: every band is
        # between rows, and the first jump (if any) is only from short rows to taller ones
        threshold = min(threshold, settings.row_gap * size)
    wrapped = threshold
    across = [g for g, y in gaps if known and any(abs(k - y) <= g / 2 + settings.edge_slack for k in known)]
    split = [g for g, _ in gaps if g >= threshold]
    # fills row by row (a zebra) are as far apart as the rows; fills far apart (headings alone) say nothing
    if across and split and min(across) <= settings.row_gap_jump * statistics.median(split):
        threshold = max(threshold, settings.known_row_gap * min(across))
    return [_row_edge(g, y, known, columns, settings) for g, y in gaps if g >= threshold], wrapped


def _lines_touch(columns: list[list[Char]], settings: TableSettings, size: float) -> bool:
    """True when some column holds two lines one right under the other, with no white between them (at most
    line_touch × size): a cell's wrapped lines set solid."""
    for col in columns:
        lines = lines_of(col, settings)
        for upper, lower in zip(lines, lines[1:]):
            if min(c.top for c in lower) - max(c.bottom for c in upper) <= settings.line_touch * size:
                return True
    return False


def _row_edge(
    height: float, middle: float, known: list[float] | None, columns: list[list[Char]] | None, settings: TableSettings
) -> float:
    """Where in the description column's white band (height tall around middle) the row boundary runs: on a
    shading edge inside the band (the row's own fill says where it ends), else through the middle of the
    widest white that every column leaves in the band (a period's third line standing below the description's
    last one belongs to the row above), else the band's middle."""
    low, high = middle - height / 2, middle + height / 2
    inside = [k for k in known or [] if low - settings.edge_slack <= k <= high + settings.edge_slack]
    if inside:
        return min(inside, key=lambda k: abs(k - middle))
    ink = sorted((c.top, c.bottom) for col in columns or [] for c in col if c.bottom > low and c.top < high)
    if not ink:
        return middle
    white, reach = [], low
    for top, bottom in ink:
        if top > reach:
            white.append((reach, top))
        reach = max(reach, bottom)
    if high > reach:
        white.append((reach, high))
    if not white:
        return middle
    a, b = max(white, key=lambda w: w[1] - w[0])
    return (a + b) / 2


def unfilled_column_edges(
    body: list[Char],
    xs: list[float],
    roles: list[str],
    edges: list[dict],
    span: tuple[float, float],
    settings: TableSettings,
    fills: list[dict],
    breaks: list[float],
) -> tuple[list[dict], bool]:
    """Rows from shading that leaves some columns unfilled (a zebra over the content columns only): the fills'
    row boundaries are carried across those columns — across every row in a content column; in a label
    (municipality) column only where a label starts, so a merged block runs from its label to the next one
    (a label starting in a column to its left ends it too: 県 | 市町村; so does a full name starting in a column
    to its right). A label starts where its text starts
    after a white gap (its wrapped lines follow closer); it must stand on its row's first line, as nothing
    else shows which rows it covers. A label column shaded only over some blocks (fills: the table's filled
    rectangles) is read so in the rows no fill covers; breaks: y of row boundaries nothing draws (around a total line). Returns (the edges to add, True when a label stands
    elsewhere: centred or bottom-aligned on its block)."""
    body_top, body_bottom = span
    filled = [
        any(
            e["x0"] < b - settings.edge_slack
            and e["x1"] > a + settings.edge_slack
            and body_top - settings.cell_pad <= e["top"] <= body_bottom + settings.cell_pad
            for e in edges
        )
        for a, b in zip(xs, xs[1:])
    ]
    ys = sorted({round(y, 1) for y in [*(e["top"] for e in edges), *breaks] if body_top < y < body_bottom})
    bands = list(zip([body_top - settings.cell_pad, *ys], [*ys, body_bottom + settings.cell_pad]))
    if not bands:
        return [], False
    size = statistics.median(c.size for c in body)
    k_desc = roles.index("description") if "description" in roles else None

    def in_column(k: int) -> list[Char]:
        return [c for c in body if xs[k] <= c.cx <= xs[k + 1]]

    slack = settings.edge_slack

    def over(f: dict, k: int) -> bool:  # the fill shades most of the column (not a neighbour's edge reaching in)
        return min(f["x1"], xs[k + 1]) - max(f["x0"], xs[k]) > (xs[k + 1] - xs[k]) / 2

    # per column and band: a fill over the column spans the band (a shaded, merged cell)
    shaded = [
        [any(over(f, k) and f["top"] - slack <= a and f["bottom"] + slack >= b for f in fills) for a, b in bands]
        for k in range(len(roles))
    ]

    def covered(k: int, band: int) -> bool:
        return shaded[k][band]

    # per band: the top of its first line in the content columns (the description's, or a taller cell's when
    # the content is centred in its row: the tallest cell starts where the row does, as a top-aligned label)
    first_line = []
    content = [c for k, role in enumerate(roles) if role != "municipality" for c in in_column(k)] if k_desc is not None else body
    for a, b in bands:
        tops = [c.top for c in content if a <= c.cy < b]
        first_line.append(min(tops) if tops else None)
    from store.gazetteer import prefecture_names

    out: list[dict] = []
    unplaced = False
    starts: dict[int, list[tuple[int, bool]]] = {}  # label column → (band, names a prefecture) where a label starts
    found: dict[int, tuple[list[tuple[int | None, bool, bool]], list[int]]] = {}  # label column → (labels, rows)
    for k, role in enumerate(roles):
        shaded_blocks = role == "municipality" and any(over(f, k) for f in fills)
        if filled[k] and (not shaded_blocks or all(covered(k, i) for i in range(len(bands)))):
            continue
        if role != "municipality":
            out += [make_edge(xs[k], y, xs[k + 1], y) for y in ys]
            continue
        labels: list[tuple[int | None, bool, bool]] = []  # (band by its centre, on the row's first line, full name)
        extents: list[list[float]] = []  # per label: [top, bottom] over its wrapped lines
        previous_bottom = None
        # a shaded cell's text is its own; so are its wrapped lines run on below its fill (a label taller than
        # its row, drawn past the cell's edge)
        open_rows, shaded_bottom = [], None
        for line in lines_of(in_column(k), settings):
            top = min(c.top for c in line)
            if any(covered(k, i) and a <= statistics.median(c.cy for c in line) < b for i, (a, b) in enumerate(bands)):
                shaded_bottom = max(c.bottom for c in line)
            elif shaded_bottom is not None and top - shaded_bottom < settings.row_gap * size:
                shaded_bottom = max(c.bottom for c in line)
            else:
                shaded_bottom = None
                open_rows += line
        for line in lines_of(open_rows, settings):
            top, bottom = min(c.top for c in line), max(c.bottom for c in line)
            wrapped = previous_bottom is not None and top - previous_bottom < settings.row_gap * size
            previous_bottom = bottom
            if wrapped:
                if extents:
                    extents[-1][1] = bottom
                continue
            centre = (top + bottom) / 2
            band = next((i for i, (a, b) in enumerate(bands) if a <= centre < b), None)
            row_top = first_line[band] if band is not None else None
            # level with the row's first line: its top there, or (a label set smaller to fit its narrow column,
            # on the same baseline) its centre within that line's height
            on_first = row_top is not None and (
                abs(top - row_top) <= settings.line_overlap * size
                or row_top - slack <= top
                and centre <= row_top + settings.first_line_reach * size
            )
            # or above the row's first line, inside the band: the row's tallest cell, set at the row's top as a
            # top-aligned label is, its content centred lower (a label centred on several rows reaches into the
            # band above)
            if band is not None and row_top is not None and not on_first:
                a, b = bands[band]
                on_first = a - slack <= top < row_top - slack and bottom <= b + slack
            text = "".join(c.text for c in line)
            labels.append((band, on_first, any(text.startswith(p) for p in prefecture_names())))
            extents.append([top, bottom])
        # open bands between shaded ones: a run holding one label centred on it is that label's merged cell
        # (the fills above and below are its edges; 熊本県 centred on a white block between shaded ones)
        open_runs: list[list[int]] = []
        for i in range(len(bands)):
            if covered(k, i):
                continue
            if open_runs and open_runs[-1][-1] == i - 1:
                open_runs[-1].append(i)
            else:
                open_runs.append([i])
        for n, (band, on_first, full) in enumerate(labels):
            run = next((r for r in open_runs if band in r), None)
            if run is None or len(run) == 1 or sum(b in run for b, _, _ in labels) != 1:
                continue
            middle = (bands[run[0]][0] + bands[run[-1]][1]) / 2
            if abs((extents[n][0] + extents[n][1]) / 2 - middle) > size:
                continue
            # a centred label may also stand level with a row's first line: under a shaded label cell the run
            # is a cell of its own, so centring decides; at the page's top the rows above the label may be a
            # block continuing from the previous page — which reading is true cannot be told
            if on_first and band != run[0] and not (run[0] > 0 and covered(k, run[0] - 1)):
                unplaced = True
            else:
                labels[n] = (run[0], True, full)
        rows = [i for i, top in enumerate(first_line) if top is not None and not covered(k, i)]
        # a one-row block's label centred on its row (its cell aligned as the content is): the row is the block
        # when a label starts on the next row with content and one stood on an earlier row, or no row follows
        for n, (band, on_first, full) in enumerate(labels):
            if on_first or band is None or band not in rows:
                continue
            centre = (extents[n][0] + extents[n][1]) / 2
            if abs(centre - (bands[band][0] + bands[band][1]) / 2) > settings.line_overlap * size:
                continue
            following = [i for i in rows if i > band]
            # the next row starts a label of its own, or is a shaded cell of this column (another block's)
            next_starts = (
                not following
                or band + 1 < len(bands)
                and covered(k, band + 1)
                or any(b == following[0] and first for b, first, _ in labels)
            )
            earlier = band == rows[0] or any(b is not None and b < band and first for b, first, _ in labels)
            # the page's last row: a label centred on it covers no row above it (its centre would stand higher)
            if next_starts and (earlier or not following):
                labels[n] = (band, True, full)
        found[k] = (labels, rows)
    # a label on every row (each row's own, wherever in the row it stands — in this label column or another:
    # 兵庫県 | ‑ beside 福島県 | 会津若松市) says which rows it covers; a label for several rows must stand on
    # the first, as nothing else shows where its block starts
    labelled = {band for labels, _ in found.values() for band, _, _ in labels if band is not None}
    for k, (labels, rows) in found.items():
        # the table's first row may be one running on from the previous page (the rest of a row cut by the
        # break: its label cells empty); the rows under it each have their own
        own = set(rows) - {rows[0]} if rows and rows[0] not in labelled and rows[0] == 0 else set(rows)
        every_row = labelled == own and len(labels) == len({band for band, _, _ in labels})
        if not every_row and any(band is None or not on_first for band, on_first, _ in labels):
            unplaced = True
        starts[k] = [(band, full) for band, on_first, full in labels if band is not None and (on_first or every_row)]
    for k in starts:
        # a block ends where a label starts in its column or one further left (県 | 市町村), or where a full
        # name starts further right (熊本県 | … then ‑ | 岩手県盛岡市: the prefecture partner's block is over)
        cuts = {band for j, found in starts.items() for band, full in found if j <= k or full}
        out += [make_edge(xs[k], bands[i][0], xs[k + 1], bands[i][0]) for i in sorted(cuts) if i > 0 and not covered(k, i)]
    return out, unplaced


def starts_a_table(line: list[Char], settings: TableSettings) -> bool:
    """True for a list's title (令和6年度交流実績一覧（…以外）) or a header line naming a table."""
    text = "".join(c.text for c in line).strip()
    return is_list_title(text) or names_a_table([w.text for w in words_of(line, settings)])


def heading_bands(body: list[list[Char]], headings: list[list[Char]]) -> list[tuple[float, float]]:
    """(top, bottom) of each heading row: halfway to the text lines above and below it."""
    out = []
    for line in headings:
        i = next(k for k, other in enumerate(body) if other is line)
        top, bottom = min(c.top for c in line), max(c.bottom for c in line)
        above = max(c.bottom for c in body[i - 1]) if i else top - 1
        below = min(c.top for c in body[i + 1]) if i + 1 < len(body) else bottom + 1
        out.append(((above + top) / 2, (bottom + below) / 2))
    return out
