"""Finding a report table's cells on a PDF page: from its ruling lines, or — for a table drawn without them —
from its text and what else marks its rows.

    page → visible chars + the page's rules (`page_rules`, once per page)
         → candidate grids, best first (`candidate_grids`):
           1. ruled grid: pdfplumber's cell finder on the rules (sides the drawing left open are closed)
           2. text grid: columns from the header's text positions and the white stripes through the body,
              rows from horizontal rules, shading bands or line spacing, turned into rules for the same finder

The pieces live beside it: the cells pdfplumber finds on rules (`ingest.cells`), a text table's header words
(`ingest.grid_header`), its columns (`ingest.grid_columns`) and its rows (`ingest.grid_rows`); this module puts
them together into candidate grids.

The table reader (`ingest.table.read_page`) takes the first candidate whose header (or the previous page's
columns) makes a report table. Each grid says how it was found (`Grid.rows_from`, `Grid.columns_from`), which
`koryu ingest --debug` shows. Nothing here knows a coordinate of any one file; every threshold is a
`TableSettings` field with its unit.

pdfplumber is the PDF layer (chars with positions, lines, rects, its cell finder). Rejected: camelot (needs
Ghostscript/OpenCV, returns text grids that lose the merged-cell geometry the label linking depends on).
"""

from __future__ import annotations

import math
from collections.abc import Iterator

from ingest.accounting import row_like
from ingest.cells import Cell, Grid, PageRules, cells_of, make_edge, page_rules, snapped
from ingest.glyphs import Char, lines_of
from ingest.grid_columns import glyphs_crossing, text_columns, total_line
from ingest.grid_header import header_words
from ingest.grid_rows import (
    end_of_body,
    heading_bands,
    rows_through_cells,
    shading_fills,
    spacing_rows,
    starts_a_table,
    unfilled_column_edges,
)
from ingest.roles import column_roles
from ingest.settings import TableSettings
from store.titles import is_list_title

# ---------------------------------------------------------------------------------------------- rules


def _page_break_edges(vertical: list[dict], settings: TableSettings) -> list[dict]:
    """Close the table at its top and bottom.

    A merged cell cut by a page break is often drawn without a border at the cut (LibreOffice and Excel
    leave it open), so the cell finder would see no cell there. Where the table's long vertical rules end,
    the page ends the cell: add a horizontal rule across the table at both ends.
    """
    # a rule drawn in pieces (one per cell, as spreadsheets print them) is one rule: its pieces joined
    chains: list[dict] = []
    for e in sorted(vertical, key=lambda e: (round(e["x0"]), e["top"])):
        last = chains[-1] if chains else None
        if last and abs(last["x0"] - e["x0"]) <= settings.snap_tolerance and e["top"] <= last["bottom"] + settings.snap_tolerance:
            last["bottom"] = max(last["bottom"], e["bottom"])
        else:
            chains.append({"x0": e["x0"], "x1": e["x1"], "top": e["top"], "bottom": e["bottom"]})
    longest = max(c["bottom"] - c["top"] for c in chains)
    long_rules = [c for c in chains if c["bottom"] - c["top"] >= settings.long_rule * longest]
    x0 = min(e["x0"] for e in long_rules)
    x1 = max(e["x1"] for e in long_rules)
    return [make_edge(x0, y, x1, y) for y in (min(e["top"] for e in long_rules), max(e["bottom"] for e in long_rules))]


def _open_side_edges(vertical: list[dict], horizontal: list[dict], settings: TableSettings, chars: list[Char]) -> list[dict]:
    """Close a side the drawing left open: when horizontal rules run on past the outermost long vertical rule to
    a common end (a table drawn without its left or right border) — at least three of them, over at least
    half the height the vertical rules span — that end is the table's edge, as far up and down as the first
    and last rule that reaches it or the vertical rules (a merged cell cut by a page break, open at the cut)."""
    v_top, v_bottom = min(e["top"] for e in vertical), max(e["bottom"] for e in vertical)
    # the outermost long rule: a border drawn around the header alone (LibreOffice's box over 担当課) leaves the
    # body's side open all the same
    longest = max(e["bottom"] - e["top"] for e in vertical)
    long_rules = [e for e in vertical if e["bottom"] - e["top"] >= settings.long_rule * longest]
    out = []
    for side, outermost in (("x0", min(e["x0"] for e in long_rules)), ("x1", max(e["x1"] for e in long_rules))):
        x = min(e["x0"] for e in horizontal) if side == "x0" else max(e["x1"] for e in horizontal)
        if abs(x - outermost) <= settings.open_side:
            continue
        reaching = [e for e in horizontal if abs(e[side] - x) <= settings.snap_tolerance]
        top, bottom = min(e["top"] for e in reaching), max(e["bottom"] for e in reaching)
        overlap = min(bottom, v_bottom) - max(top, v_top)
        if len(reaching) >= settings.open_side_rules and overlap >= settings.open_side_share * (v_bottom - v_top):
            # the side runs on as far as the vertical rules do: a merged cell cut by the page break has no rule
            # at the cut in its column (its label repeated at the page's top stands in it)
            top, bottom = min(top, v_top), max(bottom, v_bottom)
            # one edge per stretch the vertical rules draw (a heading row across the table interrupts them, and
            # is bridged): never across the white between two tables, where a list's title stands
            for a, b in _spans(vertical, settings.snap_tolerance, chars, settings):
                if min(b, bottom) > max(a, top):
                    out.append(make_edge(x, max(a, top), x, min(b, bottom)))
    return out


def _spans(vertical: list[dict], tolerance: float, chars: list[Char], settings: TableSettings) -> list[tuple[float, float]]:
    """The stretches of height the vertical rules cover, overlapping rules joined, and gaps joined unless a
    list's title stands in them (`store.titles.is_list_title`): [(top, bottom)]."""
    out: list[list[float]] = []
    for e in sorted(vertical, key=lambda e: e["top"]):
        if out and e["top"] <= out[-1][1] + tolerance:
            out[-1][1] = max(out[-1][1], e["bottom"])
        elif out and not any(
            is_list_title("".join(c.text for c in line))
            for line in lines_of([c for c in chars if out[-1][1] < c.cy < e["top"]], settings)
        ):
            out[-1][1] = max(out[-1][1], e["bottom"])
        else:
            out.append([e["top"], e["bottom"]])
    return [(a, b) for a, b in out]


def ruled_grid(page, rules: PageRules, settings: TableSettings, chars: list[Char]) -> Grid | None:
    """The largest table the page's rules draw, sides left open closed; None without vertical and horizontal
    rules."""
    vertical, horizontal = rules.vertical, rules.horizontal
    if not vertical or not horizontal:
        return None
    vertical = vertical + _open_side_edges(vertical, horizontal, settings, chars)
    found = cells_of(page, vertical, horizontal + _page_break_edges(vertical, settings), settings)
    if not found:
        return None
    bbox, cells = _stacked(found, settings)
    return Grid(bbox, cells, "rules", "rules")


def _column_xs(cells: list[Cell], settings: TableSettings) -> list[float]:
    xs: list[float] = []
    for x in sorted({v for c in cells for v in (c.x0, c.x1)}):
        if not xs or x - xs[-1] > settings.boundary_tolerance:
            xs.append(x)
    return xs


def _stacked(found: list[tuple[tuple, list[Cell]]], settings: TableSettings) -> tuple[tuple, list[Cell]]:
    """The largest table with the tables drawn above and below it on the same columns (a page holding two
    lists one after the other, each with its header): one grid, read top to bottom; the repeated header
    is dropped as a row (`ingest.table`)."""
    (bbox, cells), *others = found
    xs = _column_xs(cells, settings)

    def same_columns(other: list[Cell]) -> bool:
        o = _column_xs(other, settings)
        return len(o) == len(xs) and all(abs(a - b) <= settings.boundary_tolerance for a, b in zip(o, xs))

    out, box = list(cells), list(bbox)
    for obox, ocells in others:
        if obox[3] <= box[1] + settings.band_tolerance or obox[1] >= box[3] - settings.band_tolerance:
            if same_columns(ocells):
                out += ocells
                box = [min(box[0], obox[0]), min(box[1], obox[1]), max(box[2], obox[2]), max(box[3], obox[3])]
    return tuple(box), out


# ------------------------------------------------------------------------------------- text grid


def text_grid(
    page, chars: list[Char], rules: PageRules, settings: TableSettings, previous: list[tuple[float, float, str]] | None
) -> Grid | None:
    """A table drawn without vertical rules. Columns: between the header's titles, along the white stripes
    through the body (or, on a page without a header, where the previous page had them). Rows: the table's
    horizontal rules when it has some, else its shading bands, else its line spacing. The rows and columns
    become rules for the same cell finder as a ruled table, so merged cells (a label over many rows, with
    no rule or band crossing it) come out as in a ruled table.

    previous: the previous page's columns [(x0, x1, role)], or None. Returns None when the page has no
    header naming a table and there is no previous page's table to continue.
    """
    lines = lines_of([c for c in chars if not c.text.isspace()], settings)
    if not lines:
        return None
    page_fills = shading_fills(page, (0, 0, page.width, page.height), settings)
    header = header_words(lines, settings, page_fills)
    if header is not None:
        part, words = header
        head_top = min(c.top for k in part for c in lines[k])
        body_start = max(part) + 1
        columns_from = "text"
    elif previous:
        head_top = min(c.top for c in lines[0])
        body_start = 0
        columns_from = "previous page"
    else:
        return None
    body_end = end_of_body(lines, body_start, settings)
    if body_end <= body_start:
        return None
    titles = words if header is not None else None
    head_chars = [c for k in (header[0] if header is not None else []) for c in lines[k]]
    head_span = (min(c.x0 for c in head_chars), max(c.x1 for c in head_chars)) if head_chars else (math.inf, -math.inf)
    # a table without a label column names its municipalities in heading rows (■ 石川県金沢市) that run across
    # the columns: they cut no column and become one cell each
    named = column_roles([w.text for w in words]) if header is not None else [r for _, _, r in previous or []]
    labelled = "municipality" in named
    xs, roles, cut, headings = text_columns(
        lines[body_start:body_end], titles, previous, labelled, head_top, head_span, rules, page_fills, settings
    )
    # a white band between blocks (an empty spacer row) ends the table only when what follows stands like no
    # row of it: rows standing in its columns go on after the band
    extended = body_end
    while extended < len(lines):
        further = end_of_body(lines, extended, settings)
        columns = list(zip(xs, xs[1:], roles))
        chunk = lines[extended:further]
        if further <= extended or any(starts_a_table(line, settings) for line in chunk):
            break  # the next list's title or header: a table of its own
        if not any(row_like(line, columns, settings) for line in chunk):
            break
        extended = further
    if extended > body_end:
        body_end = extended
        xs, roles, cut, headings = text_columns(
            lines[body_start:body_end], titles, previous, labelled, head_top, head_span, rules, page_fills, settings
        )
    body = lines[body_start:body_end]
    body_chars = [c for line in body for c in line]
    pad = settings.cell_pad
    in_headings = {id(c) for line in headings for c in line}
    body_top = min(c.top for c in body_chars)
    body_bottom = max(c.bottom for c in body_chars)
    head_bottom = max(c.bottom for k in header[0] for c in lines[k]) if header is not None else None
    table_top = head_top - pad if header is not None else body_top - pad
    box = (xs[0] - settings.open_side, table_top - settings.open_side, xs[-1] + settings.open_side, body_bottom + pad)
    horizontal = [e for e in rules.horizontal if e["x0"] < xs[-1] and e["x1"] > xs[0] and box[1] <= e["top"] <= box[3] + pad]
    body_rules = [e for e in horizontal if body_top - pad <= e["top"] <= body_bottom + pad]
    fills = shading_fills(page, box, settings)
    # a total line (小計 | 7件) is a row of its own however close it stands to the rows around it
    totals = [line for line in body if total_line(line, settings)]
    total_bands = heading_bands(body, totals)
    labels_unplaced = False
    if len(body_rules) >= settings.min_row_rules:
        rows_from, edges = "rules", horizontal
    else:
        # rows from the description column's line spacing (a label centred on a merged block crosses the white
        # between the other columns' rows, and must not join them), and from shading bands where there are some
        # (two unshaded rows in a row, or only headings shaded, still part at their spacing); a label column is
        # cut only where a label starts: white under a label in a table without rules is its block running on
        # (as a merged cell), never a row of its own with an empty label
        k = roles.index("description") if "description" in roles else None
        own = [[c for c in line if k is None or xs[k] <= c.cx <= xs[k + 1]] for line in body]
        shaded = len(fills) >= settings.min_row_fills
        lines_own = [line for line in own if line]
        per_column = [
            [c for c in body_chars if xs[j] <= c.cx <= xs[j + 1] and id(c) not in in_headings]
            for j, r in enumerate(roles)
            if r != "municipality"
        ]
        ys, row_white = spacing_rows(lines_own, settings, None, per_column)
        if shaded and len(fills) >= settings.zebra_share * (len(ys) + 1):  # a zebra: every other row shaded
            ys, row_white = spacing_rows(lines_own, settings, [y for r in fills for y in (r["top"], r["bottom"])], per_column)
        # an extra column's text (協定締結年月日 centred on a merged block) feeds no field: a row boundary between
        # its lines misreads nothing
        fields = [chars for chars, r in zip(per_column, [r for r in roles if r != "municipality"]) if r != "other"]
        cut += rows_through_cells(ys, fields, row_white)
        edges = [make_edge(xs[j], y, xs[j + 1], y) for y in ys for j, role in enumerate(roles) if role != "municipality"]
        rows_from = "spacing"
        if shaded:
            rows_from = "shading"
            edges += [snapped(make_edge(r["x0"], y, r["x1"], y), xs) for r in fills for y in (r["top"], r["bottom"])]
        # also where no fill or white parts a total line from the next row
        total_ys = [y for band in total_bands for y in band]
        extra, labels_unplaced = unfilled_column_edges(
            body_chars, xs, roles, edges, (body_top, body_bottom), settings, fills, total_ys
        )
        edges += extra
    edges = [snapped(e, xs) for e in edges]
    if head_bottom is not None:  # the header is one band: rules between its rows would cut a heading from its columns
        edges = [e for e in edges if not head_top + pad < e["top"] < head_bottom - pad]
    bottom = max([body_bottom + pad, *(e["top"] for e in edges)])
    top = min([table_top, *(e["top"] for e in edges)])
    edges = edges + [make_edge(xs[0], top, xs[-1], top), make_edge(xs[0], bottom, xs[-1], bottom)]
    slack = settings.edge_slack
    if head_bottom is not None:
        # the header's lower edge runs across every column (a label column's header cell spanning both header
        # rows must not take the first label into it): where something draws it, else halfway
        drawn = [e for e in edges if head_bottom - slack <= e["top"] <= body_top + slack]
        across = any(e["x0"] <= xs[0] + slack and e["x1"] >= xs[-1] - slack for e in drawn)
        if not across:
            y = min(drawn, key=lambda e: e["x0"])["top"] if drawn else (head_bottom + body_top) / 2
            edges.append(make_edge(xs[0], y, xs[-1], y))
    bands = heading_bands(body, headings)
    edges += [make_edge(xs[0], y, xs[-1], y) for band in total_bands for y in band]
    edges += [make_edge(xs[0], y, xs[-1], y) for band in bands for y in band]
    vertical = [make_edge(x, top, x, bottom) for x in (xs[0], xs[-1])]
    for x in xs[1:-1]:  # inner column boundaries stop at heading rows, and at a total line whose word they cut
        stops = bands + [band for line, band in zip(totals, total_bands) if glyphs_crossing(line, x, settings)]
        ys = [top, *(y for band in sorted(stops) for y in band), bottom]
        vertical += [make_edge(x, a, x, b) for a, b in zip(ys[::2], ys[1::2]) if b > a]
    found = cells_of(page, vertical, edges, settings)
    return Grid(found[0][0], found[0][1], rows_from, columns_from, labels_unplaced, cut, roles) if found else None


def candidate_grids(
    page, chars: list[Char], settings: TableSettings, previous: list[tuple[float, float, str]] | None
) -> Iterator[Grid]:
    """The page's possible table grids, best first: the one its rules draw, then the one its text implies
    (`text_grid`, computed only when asked for). The page's rules are found once for both.

    previous: the previous page's columns [(x0, x1, role)], or None. The caller takes the first grid whose
    header names a report table (or which continues the previous page's)."""
    rules = page_rules(page, settings)
    grid = ruled_grid(page, rules, settings, chars)
    if grid is not None:
        yield grid
    grid = text_grid(page, chars, rules, settings, previous)
    if grid is not None:
        yield grid
