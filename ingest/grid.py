"""Finding a report table's cells on a PDF page: from its ruling lines, or — for a table drawn without them —
from its text and what else marks its rows.

    page → visible chars + the page's rules (`page_rules`, once per page)
         → candidate grids, best first (`candidate_grids`):
           1. ruled grid: pdfplumber's cell finder on the rules (sides the drawing left open are closed)
           2. text grid: columns from the header's text positions and the white stripes through the body,
              rows from horizontal rules, shading bands or line spacing, turned into rules for the same finder

The table reader (`ingest.table.read_page`) takes the first candidate whose header (or the previous page's
columns) makes a report table. Each grid says how it was found (`Grid.rows_from`, `Grid.columns_from`), which
`koryu ingest --debug` shows. Nothing here knows a coordinate of any one file; every threshold is a
`TableSettings` field with its unit.

pdfplumber is the PDF layer (chars with positions, lines, rects, its cell finder). Rejected: camelot (needs
Ghostscript/OpenCV, returns text grids that lose the merged-cell geometry the label linking depends on).
"""

from __future__ import annotations

import itertools
import math
import re
import statistics
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field

from ingest.accounting import PAGE_NUMBER, row_like
from ingest.glyphs import NO_LINE_START, Char, Word, hangs_over, lines_of, luminance, phrases, visible_area, words_of
from ingest.labels import heading_name
from ingest.roles import column_roles, is_header_word, is_title, names_a_table
from ingest.rows import is_count, is_total_word
from ingest.settings import TableSettings
from store.titles import is_list_title


@dataclass(frozen=True)
class Cell:
    x0: float
    top: float
    x1: float
    bottom: float


@dataclass
class Grid:
    """The cells of the table on a page and how they were found.

    rows_from: "rules" | "shading" | "spacing"; columns_from: "rules" | "text" (header positions and the
    body's alignment) | "previous page" (a page without a header, columns where the last page had them).
    """

    bbox: tuple[float, float, float, float]
    cells: list[Cell]
    rows_from: str = "rules"
    columns_from: str = "rules"
    labels_unplaced: bool = False  # label columns cut where their labels start, and one stood elsewhere
    cut: list[Char] = field(default_factory=list)  # glyphs a column boundary read from the text cuts through
    roles: list[str] | None = None  # a text grid's column roles, as its rows were cut (label columns apart)


# ---------------------------------------------------------------------------------------------- rules


@dataclass(frozen=True)
class PageRules:
    """The rules a reader sees as borders on one page (pdfplumber edge dicts), split by orientation."""

    vertical: list[dict]
    horizontal: list[dict]


def page_rules(page, settings: TableSettings) -> PageRules:
    """The page's rules a reader sees as borders: stroked lines and rect outlines, and thin filled rects
    (borders drawn as fills) — not white, not hairline decoration, inside the visible page. Computed once
    per page and shared by both grid finders."""
    rules = [e for e in page.edges if e.get("object_type", "") not in ("rect_edge", "curve_edge") or e.get("stroke", False)]
    for r in page.rects:
        w, h = r["x1"] - r["x0"], r["bottom"] - r["top"]
        if r.get("stroke") or not r.get("fill") or min(w, h) > settings.thin_rect:
            continue  # stroked outlines come through page.edges already; big fills are shading
        rules.append(_rule_from_rect(r, vertical=w <= settings.thin_rect))
    vx0, vtop, vx1, vbottom = visible_area(page)
    slack = settings.edge_slack
    kept = [
        e
        for e in _filter_rules(rules, settings)
        if vx0 - slack <= (e["x0"] + e["x1"]) / 2 <= vx1 + slack
        and vtop - slack <= (e["top"] + e["bottom"]) / 2 <= vbottom + slack
    ]
    return PageRules([e for e in kept if e["orientation"] == "v"], [e for e in kept if e["orientation"] == "h"])


def _rule_from_rect(r: dict, vertical: bool) -> dict:
    if vertical:
        x = (r["x0"] + r["x1"]) / 2
        return {**r, "x0": x, "x1": x, "orientation": "v", "stroke": True, "stroking_color": r.get("non_stroking_color"),
                "linewidth": r["x1"] - r["x0"], "width": 0, "height": r["bottom"] - r["top"]}  # fmt: skip
    y = (r["top"] + r["bottom"]) / 2
    return {**r, "top": y, "bottom": y, "orientation": "h", "stroke": True, "stroking_color": r.get("non_stroking_color"),
            "linewidth": r["bottom"] - r["top"], "width": r["x1"] - r["x0"], "height": 0}  # fmt: skip


def _filter_rules(rules: list[dict], settings: TableSettings) -> list[dict]:
    kept = []
    for e in rules:
        lum = luminance(e.get("stroking_color"))
        if lum is not None and lum >= settings.white_luminance:
            continue
        length = (e["x1"] - e["x0"]) if e["orientation"] == "h" else (e["bottom"] - e["top"])
        if length < settings.min_rule_length:
            continue
        kept.append(e)
    widths = [e.get("linewidth") or 0 for e in kept]
    typical = statistics.median(widths) if widths else 0
    out = []
    for e in kept:
        lw = e.get("linewidth") or 0
        lum = luminance(e.get("stroking_color"))
        if typical and 0 < lw < typical * settings.hairline_ratio and (lum is None or lum > settings.hairline_grey):
            continue  # a thin, grey rule: decoration, not a cell border
        out.append(e)
    return out


def _edge(x0: float, top: float, x1: float, bottom: float) -> dict:
    """A synthetic rule (a row or column boundary that the drawing does not show) for the cell finder."""
    vertical = abs(x1 - x0) < 1e-6
    return {
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "width": x1 - x0,
        "height": bottom - top,
        "orientation": "v" if vertical else "h",
        "object_type": "line",
        "stroke": True,
        "linewidth": 0,
    }


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
    return [_edge(x0, y, x1, y) for y in (min(e["top"] for e in long_rules), max(e["bottom"] for e in long_rules))]


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
                    out.append(_edge(x, max(a, top), x, min(b, bottom)))
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


def _cells(page, vertical: list[dict], horizontal: list[dict], settings: TableSettings) -> list[tuple[tuple, list[Cell]]]:
    """pdfplumber's cell finder on explicit rules: the tables as (bbox, cells), largest first; none with fewer
    than two rules either way (no cell can be drawn, and pdfplumber raises ValueError for one explicit line)."""
    if len(vertical) < 2 or len(horizontal) < 2:
        return []
    table_settings = {
        "vertical_strategy": "explicit",
        "horizontal_strategy": "explicit",
        "explicit_vertical_lines": vertical,
        "explicit_horizontal_lines": horizontal,
        "snap_tolerance": settings.snap_tolerance,
        "join_tolerance": settings.join_tolerance,
        "intersection_tolerance": settings.snap_tolerance,
        "edge_min_length": settings.min_rule_length,
    }
    tables = page.find_tables(table_settings)
    out = [(t.bbox, [Cell(*c) for c in t.cells]) for t in tables if len(t.cells) >= settings.min_cells]
    out.sort(key=lambda t: -(t[0][2] - t[0][0]) * (t[0][3] - t[0][1]))
    return out


def ruled_grid(page, rules: PageRules, settings: TableSettings, chars: list[Char]) -> Grid | None:
    """The largest table the page's rules draw, sides left open closed; None without vertical and horizontal
    rules."""
    vertical, horizontal = rules.vertical, rules.horizontal
    if not vertical or not horizontal:
        return None
    vertical = vertical + _open_side_edges(vertical, horizontal, settings, chars)
    found = _cells(page, vertical, horizontal + _page_break_edges(vertical, settings), settings)
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


def _title_words(line: list[Char], settings: TableSettings) -> list[Word]:
    """A header line's words (`words_of`), a word that is two titles set a little apart (都道府県 市区町村, white
    narrower than word_gap between them) split in two."""
    out: list[Word] = []
    for word in words_of(line, settings):
        glyphs = [c for c in line if not c.text.isspace() and word.x0 <= c.cx <= word.x1]
        text = "".join(c.text for c in glyphs)
        cut = next(
            (
                k
                for k in range(1, len(glyphs))
                if glyphs[k].x0 - glyphs[k - 1].x1 > settings.edge_slack and is_title(text[:k]) and is_title(text[k:])
            ),
            None,
        )
        if cut is None or text != word.text:
            out.append(word)
            continue
        for part in (glyphs[:cut], glyphs[cut:]):
            top, bottom = min(c.top for c in part), max(c.bottom for c in part)
            out.append(Word("".join(c.text for c in part), part[0].x0, part[-1].x1, top, bottom))
    return out


def _header_words(lines: list[list[Char]], settings: TableSettings, fills: list[dict]) -> tuple[list[int], list[Word]] | None:
    """The header: the first line whose words name the description and another role — every word on it a
    column's title, a role's or another's (協定締結日, 備考) — with the lines right above it that hold short
    undated words only (事業費 over （千円）) and the lines under it that complete it: short undated words with
    a role's title among them, or characters written one per line (a header of two rows: 交流自治体名 over
    県 | 市区町). Where two titles overlap, the lower one (the sub-heading) is a column; characters written one
    per line are one title (市 / 区 / 町). A shaded header ends where its shading does, and an unshaded one where
    shading starts: a line under it shaded otherwise is the body (課, the rest of a row split at the page
    break), never a title's end. fills: the page's
    filled rectangles (`_shading`). Returns (the header's line indexes, the column words left to right)."""

    cache: dict[int, list[Word]] = {}

    def words_at(k: int) -> list[Word]:  # a line's words, split once however often the search looks at it
        if k not in cache:
            cache[k] = _title_words(lines[k], settings)
        return cache[k]

    def shaded(line: list[Char]) -> bool:
        y, x0, x1 = statistics.median(c.cy for c in line), min(c.x0 for c in line), max(c.x1 for c in line)
        return any(f["top"] <= y <= f["bottom"] and f["x0"] < x1 and f["x1"] > x0 for f in fills)

    for i, line in enumerate(lines):
        words = words_at(i)
        if not names_a_table([w.text for w in words]) or not all(is_header_word(w.text) for w in words):
            continue  # (a row's line 課 | …に際し、くまもと文学・3.30 | 事業 names two roles, but holds a sentence)
        size = statistics.median(c.size for c in line)
        centre = statistics.median(c.cy for c in line)
        part = [i]
        for k in range(max(0, i - settings.header_lines_around), i):
            others = words_at(k)
            near = abs(statistics.median(c.cy for c in lines[k]) - centre) <= settings.header_reach * size
            if near and others and all(is_header_word(w.text) for w in others):
                part.append(k)
        below, lower, last, counted = centre, [], i, 0
        for k in range(i + 1, len(lines)):
            others = words_at(k)
            # a glyph of a title written one per line (実 / 施 / 時 / 期) is a line of its own: not counted
            counted += any(len(w.text) > 1 for w in others)
            if counted > 2 * settings.header_lines_around:
                break
            line_centre = statistics.median(c.cy for c in lines[k])
            if (
                not others
                or not all(is_header_word(w.text) for w in others)
                or line_centre - below > settings.header_row_reach * size
                or shaded(line) != shaded(lines[k])
            ):
                break
            lower.append(k)
            below = line_centre
            above = [w for j in [*part, *lower[:-1]] for w in words_at(j)]
            # the rest of a title above: a note in brackets (（千円）), a character (名) or what completes the
            # title over it (府県 under 都道, 円） under （千), never a first row's text (アカデミー of アカデミー推進課, 熊本県玉 of a label)
            under_titles = all(
                any(o.x0 <= w.cx <= o.x1 and (_title_rest(w.text) or _completes(o.text, w.text)) for o in above) for w in others
            )
            if under_titles or any(is_title(w.text) or len(w.text) == 1 for w in others):
                # the header reaches down to the last line with a title, a title written one per line, or the
                # rest of titles above (（千円） under 事業費)
                last = k
        part += [k for k in lower if k <= last]
        columns = _column_titles([words_at(k) for k in sorted(part, key=lambda k: statistics.median(c.cy for c in lines[k]))])
        return sorted(part), sorted(columns, key=lambda w: w.x0)
    return None


def _completes(above: str, text: str) -> bool:
    """True when text, under a header word, completes it: the two a title (都道 / 府県), or text closing the
    bracket the word above leaves open (（千 / 円）)."""
    opened = sum(above.count(c) for c in "（(［[") - sum(above.count(c) for c in "）)］]")
    return is_title(above + text) or opened > 0 and text.rstrip()[-1:] in ("）", ")", "］", "]")


def _title_rest(text: str) -> bool:
    """True for what may end a title on the line under it: a note in brackets (（千円）, (件)) or one character
    (名) — never two (岩手, a label's first line)."""
    plain = text.strip()
    return len(plain) == 1 or plain[:1] in "（(［[" and plain[-1:] in "）)］]"


def _column_titles(rows: list[list[Word]]) -> list[Word]:
    """A header's columns from its lines of words, top to bottom: the lowest line's words are columns; a word
    of a line above joins the one column it stands over (交流自治体 over 名, 事業費 over （千円）, 市 over 区 over 町),
    is a column of its own where it stands over none (No. beside a group), and is a heading — no column — where
    it stands over several, or over the white between two (交流の実績 over 内容 | 担当課 | 期間). Each column's
    text is its title: the joined parts, or the lowest parts when only they name a role (内容 under 交流の実績)."""
    columns: list[Word] = [Word(w.text, w.x0, w.x1, w.top, w.bottom) for w in rows[-1]]
    parts: dict[int, list[str]] = {id(w): [w.text] for w in columns}
    for line in reversed(rows[:-1]):
        centres = sorted(o.cx for o in columns)  # the columns below this line (not those it adds: No. beside 相手自治体)
        for w in line:
            under = [o for o in columns if min(w.x1, o.x1) - max(w.x0, o.x0) > 0]
            between = any(a < w.cx < b for a, b in zip(centres, centres[1:]))
            split = _split_over(w, sorted(under, key=lambda o: o.x0), parts) if len(under) > 1 else None
            if split is not None:  # two titles run together over their columns: 都道府市区町 over 県 | 村
                for o, piece in split:
                    parts[id(o)].insert(0, piece)
                    o.top = min(o.top, w.top)
            elif len(under) == 1:
                o = under[0]
                parts[id(o)].insert(0, w.text)
                o.x0, o.x1, o.top = min(o.x0, w.x0), max(o.x1, w.x1), min(o.top, w.top)
            elif not under and not (line is rows[0] and between):  # a heading on the top line over a gap: no column
                columns.append(Word(w.text, w.x0, w.x1, w.top, w.bottom))
                parts[id(columns[-1])] = [w.text]
    for o in columns:
        tried = ["".join(parts[id(o)][k:]) for k in range(len(parts[id(o)]))]
        o.text = next((t for t in tried if is_title(t)), tried[0])
    return sorted(columns, key=lambda w: w.x0)


def _split_over(word: Word, under: list[Word], parts: dict[int, list[str]]) -> list[tuple[Word, str]] | None:
    """A header word over several columns (left to right) cut where those columns part, when every piece
    completes its column's title (都道府 + 県, 市区町 + 村: titles written over two lines, run together on the
    upper one) — else None: a heading over a group (交流の実績 over 内容 | 担当課 | 期間). A word's glyphs are
    taken as equally wide (header titles are CJK, set solid)."""
    width = (word.x1 - word.x0) / len(word.text)
    cuts = [(a.x1 + b.x0) / 2 for a, b in zip(under, under[1:])]
    pieces = [""] * len(under)
    for i, ch in enumerate(word.text):
        centre = word.x0 + (i + 0.5) * width
        pieces[sum(centre > x for x in cuts)] += ch
    if all(piece and is_title(piece + "".join(parts[id(o)])) for o, piece in zip(under, pieces)):
        return list(zip(under, pieces))
    return None


# punctuation a line may hang past its measure (JIS X 4051 ぶら下げ: 。、), and closing brackets a
# cell's text runs a little past its edge with (an overflow of part of a glyph, read by its centre)
HANGING = frozenset("。、，．」』）〕】")


def _runs(chars: list[Char], settings: TableSettings, gap: float, measure: bool = False) -> list[tuple[float, float]]:
    """(x0, x1) of each run of glyphs on a line: glyphs closer than `gap` points are one run (a description
    running a glyph past its column is still one piece of text). measure: punctuation ending a line's text
    (HANGING: hung past the line's measure, JIS X 4051 ぶら下げ, its ink in the left half of its box)
    reaches only to its centre, and the next glyph not set solid after it (starting within half the slack
    after its box, or solid_overlap into it) starts a run of its own: the next column's text standing close to, or
    over, a hung 、 or ）."""
    out: list[tuple[float, float]] = []
    for line in lines_of(chars, settings):
        start, end, ink = line[0].x0, line[0].x1, line[0].x1
        for prev, c in zip(line, line[1:]):
            hung_before = measure and prev.text in HANGING and ink < prev.x1
            apart = not -settings.solid_overlap <= c.x0 - prev.x1 <= settings.edge_slack / 2  # white, or printed over it
            if c.x0 - end > gap or hung_before and apart:
                out.append((start, ink))
                start, end, ink = c.x0, c.x1, c.x1
                continue
            solid = abs(c.x0 - prev.x1) <= settings.edge_slack / 2
            ink = max(ink, c.cx) if measure and c.text in HANGING and solid else max(end, c.x1)
            end = max(end, c.x1)
        out.append((start, ink))
    return out


def _white_stripes(runs: list[tuple[float, float]], low: float, high: float, min_width: float) -> list[tuple[float, float]]:
    """Vertical white stripes at least min_width wide between low and high that no run of glyphs crosses."""
    spans = sorted((a, b) for a, b in runs if b > low and a < high)
    out, reach = [], low
    for a, b in spans:
        if a - reach >= min_width:
            out.append((reach, a))
        reach = max(reach, b)
    if high - reach >= min_width:
        out.append((reach, high))
    return out


def _shift_into_white(xs: list[float], runs: list[tuple[float, float]], settings: TableSettings, size: float) -> list[float]:
    """The previous page's column boundaries xs (left edge, boundaries, right edge) moved onto this page's
    white: a boundary that a run of text crosses (a centred period wider than its column, R7.1.16・1.23・…
    reaching into the department's) moves to the nearest point of a white stripe (`_white_stripes`, at least
    column_gap × size wide) no farther than shift_reach × size and still between its neighbours; a boundary
    with no such stripe stays (and cuts, which refuses the page)."""
    out = list(xs)
    for j in range(1, len(xs) - 1):
        x = xs[j]
        if not any(a < x < b for a, b in runs):
            continue
        reach = settings.shift_reach * size
        low, high = max(out[j - 1], x - reach), min(xs[j + 1], x + reach)
        best = None
        for a, b in _white_stripes(runs, low, high, settings.column_gap * size):
            margin = min(settings.cell_pad, (b - a) / 2)
            point = min(max(x, a + margin), b - margin)
            if best is None or abs(point - x) < abs(best - x):
                best = point
        if best is not None:
            out[j] = best
    return out


def _drawn_column_ends(horizontal: list[dict], top: float, bottom: float, settings: TableSettings) -> list[float]:
    """Where horizontal rules drawn cell by cell break (Word's and Excel's borders stop at a merged cell:
    a rule from 事業内容's left edge to its right, none across the merged 所管課, the next from 実施期間's
    left): the x of segment ends shared by at least half of the rule rows between top and bottom (and at
    least min_row_rules of them). A column boundary the drawing shows, where the text alone may not."""
    inside = [e for e in horizontal if top <= e["top"] <= bottom]
    rows = {round(e["top"] / settings.edge_slack) for e in inside}
    ends: list[tuple[float, int]] = sorted((x, round(e["top"] / settings.edge_slack)) for e in inside for x in (e["x0"], e["x1"]))
    out: list[float] = []
    group: list[tuple[float, int]] = []
    for x, y in [*ends, (float("inf"), 0)]:
        if group and x - group[-1][0] > settings.edge_slack * 2:
            shared = len({y for _, y in group})
            if shared >= max(settings.min_row_rules, len(rows) / 2):
                out.append(statistics.median(x for x, _ in group))
            group = []
        group.append((x, y))
    return out


def _separators(
    header: list[Word],
    body: list[Char],
    settings: TableSettings,
    size: float,
    drawn: list[float],
    joined: set[int],
    fills: list[dict],
    before: list[float] | None = None,
) -> tuple[list[float], list[Char]]:
    """Column boundaries between header words: where the rules drawn cell by cell end (`_drawn_column_ends`,
    the one such x between two titles, through no text); else the widest white stripe through the body between two titles;
    where text of two columns touches (no stripe), the place that cuts fewest glyphs, nearest the middle — a
    guess. joined: the indices k of boundaries between header[k] and header[k + 1] whose two columns' texts
    are read as one (two label columns, 県 | 市区町村: 茨城県 running over into 石岡市's cell reads 茨城県石岡市
    wherever the boundary falls) — a glyph they cut is no guess. fills: the page's cell fills (`_shading`):
    text standing between two white stripes under neither title belongs to the column whose cell fill ends
    in one of the stripes, else the stripe where the left column ends when the header's titles stand centred
    over their columns (`_titles_centred`) and the left column's title is centred between its left boundary
    and that stripe alone. before: the previous page's boundaries under the same titles, or None: a boundary
    this page leaves to guess is the previous page's where that runs through this page's white; where both
    run through white with a text standing apart between them, that text is a guess. Returns (the boundaries, the glyphs beside
    or under a guessed boundary: a reading to refuse, never to store)."""
    runs = _runs(body, settings, settings.column_gap * size)
    found = [_separator(a, b, body, runs, settings, size, drawn, fills) for a, b in zip(header, header[1:])]
    if any(glyphs for _, glyphs, _ in found):
        # where the glyphs leave a boundary to guess, the white beside the columns' measure: a 、 hung past a
        # description's line no longer closes the stripe before the next column (`_runs`, measure)
        measured = _runs(body, settings, settings.column_gap * size, measure=True)
        for k, (a, b) in enumerate(zip(header, header[1:])):
            again = _separator(a, b, body, measured, settings, size, drawn, fills) if found[k][1] else None
            if again is not None and not again[1]:
                found[k] = again
    out = [x for x, _, _ in found]
    guesses = [bool(glyphs) for _, glyphs, _ in found]
    for k, (_, glyphs, stripes) in enumerate(found):
        if not glyphs:
            continue
        kept = before[k] if before is not None else None
        if kept is not None and header[k].cx < kept < header[k + 1].cx and not any(r0 < kept < r1 for r0, r1 in runs):
            out[k], guesses[k] = kept, False
        elif stripes and k > 0 and not guesses[k - 1] and _titles_centred(header, out, guesses, size):
            # text between two white stripes under neither title: the stripe where the left column ends when
            # its title stands centred over it, as every title whose column's edges are read stands over its own
            mirror = 2 * header[k].cx - out[k - 1]
            off = [max(lo - mirror, mirror - hi, 0.0) for lo, hi in stripes]
            near = min(range(len(stripes)), key=lambda i: off[i])
            if off[near] <= size / 2 and all(o >= 2 * size for i, o in enumerate(off) if i != near):
                out[k], guesses[k] = sum(stripes[near]) / 2, False
    cut = [c for k, (_, glyphs, _) in enumerate(found) if guesses[k] and k not in joined for c in glyphs]
    lines: list[list[Char]] | None = None  # the body's lines, read once when a boundary needs them
    for k, x in enumerate(out):
        # the previous page's boundary under the same titles runs through this page's white too, apart from
        # this page's own, with a text standing alone between the two (共催 right of the description, left of
        # 備考): which column holds it, the two pages read differently — refused, never chosen
        kept = before[k] if before is not None else None
        if kept is None or k in joined or guesses[k] or not header[k].cx < kept < header[k + 1].cx:
            continue
        lo, hi = sorted((x, kept))
        lines = lines if lines is not None else lines_of(body, settings)
        alone = [run for line in lines for run in [_standing_apart(line, lo, hi, settings.column_gap * size)] if run]
        if alone and not any(_cut_glyphs(line, kept, settings) for line in lines):
            cut += [c for run in alone for c in run][:8]
    return out, cut


def _standing_apart(line: list[Char], lo: float, hi: float, gap: float) -> list[Char]:
    """The glyphs of one line (left to right) whose centres lie between lo and hi, when they stand apart from the
    line's other glyphs — white at least `gap` wide on both sides (or the line's end): a cell's text of its own
    (共催) that either column could hold; else [] (a 、 hung after its text, a period's ～ touching its dates)."""
    inside = [i for i, c in enumerate(line) if lo < c.cx < hi]
    if not inside:
        return []
    first, last = inside[0], inside[-1]
    left_clear = first == 0 or line[first].x0 - line[first - 1].x1 >= gap
    right_clear = last == len(line) - 1 or line[last + 1].x0 - line[last].x1 >= gap
    return line[first : last + 1] if left_clear and right_clear else []


def _titles_centred(header: list[Word], xs: list[float], guesses: list[bool], size: float) -> bool:
    """True when the header's titles stand centred over their columns: every column both of whose edges are
    read (boundaries xs between header[k] and header[k + 1], none a guess; the table's outer edges are taken from
    text, so the first and last columns say nothing), at least two, has its title's centre within size of its
    middle."""
    inner = [k for k in range(1, len(header) - 1) if not guesses[k - 1] and not guesses[k]]
    return len(inner) >= 2 and all(abs(header[k].cx - (xs[k - 1] + xs[k]) / 2) <= size for k in inner)


def _separator(
    a: Word,
    b: Word,
    body: list[Char],
    runs: list[tuple[float, float]],
    settings: TableSettings,
    size: float,
    drawn: list[float],
    fills: list[dict],
) -> tuple[float, list[Char], list[tuple[float, float]]]:
    """The boundary between header words a and b (`_separators`), the glyphs beside or under it when it is a
    guess, and when the guess is between two white stripes (text under neither title between them), the two."""
    between = [x for x in drawn if a.cx < x < b.cx]
    if len(between) == 1 and not any(r0 < between[0] < r1 for r0, r1 in runs):
        return between[0], [], []
    stripes = _white_stripes(runs, a.cx, b.cx, settings.column_gap * size)
    if stripes:
        lo, hi = max(stripes, key=lambda s: s[1] - s[0])
        # text standing between two white stripes (an island: 新規 between 担当課 and 備考) is the column's
        # whose title it stands under (a left-aligned 市区町村 under a wide centred title); under both
        # titles or neither it could be either column's: the boundary is a guess
        island = [c for c in body if stripes[0][1] <= c.x0 and c.x1 <= stripes[-1][0]]
        if not island:
            # within the stripe, between the two titles: a title set flush on its cell's edge (協定締結年月日
            # right-aligned over an empty column) is not cut
            if max(lo, a.x1) < min(hi, b.x0):
                lo, hi = max(lo, a.x1), min(hi, b.x0)
            return (lo + hi) / 2, [], []
        left, right = min(c.x0 for c in island), max(c.x1 for c in island)
        under_a, under_b = right > a.x0 and left < a.x1, right > b.x0 and left < b.x1
        # else a cell fill around it that ends in one of the two stripes shows where its cell ends
        top, bottom = min(c.top for c in island), max(c.bottom for c in island)
        ends = [x for f in fills if f["top"] < bottom and f["bottom"] > top for x in (f["x0"], f["x1"])]
        filled = [s for s in (stripes[0], stripes[-1]) if any(s[0] <= x <= s[1] for x in ends)]
        if under_a != under_b:
            lo, hi = stripes[-1] if under_a else stripes[0]
        elif len(filled) == 1:
            lo, hi = filled[0]
        else:
            return (lo + hi) / 2, island[:8], [stripes[0], stripes[-1]]
        return (lo + hi) / 2, [], []
    edge = _aligned_edge(body, runs, a.cx, b.cx, settings)
    if edge is not None:
        return edge, [], []  # the next column's text starts flush on one edge: the boundary, not a guess
    middle = (a.x1 + b.x0) / 2
    near = [c for c in body if c.x1 > a.cx and c.x0 < b.cx]
    edges = sorted({v for c in near for v in (c.x0, c.x1) if a.cx < v < b.cx} | {middle})
    best = min(edges, key=lambda x: (len(_crossing(near, x, settings)), abs(x - middle)))
    # no white between the two columns' text: where one ends and the next begins is a guess (CJK glyphs
    # abut, so a line between any two of them cuts nothing) — the glyphs beside it are reported
    return best, _crossing(near, best, settings) or [c for c in near if abs(c.x1 - best) <= settings.edge_slack][:8], []


def _aligned_edge(
    body: list[Char], runs: list[tuple[float, float]], low: float, high: float, settings: TableSettings
) -> float | None:
    """Where two columns' text touches (no white stripe between them): the edge one column's text is flush
    with — the left edge where at least `aligned_runs` runs of glyphs start on the same x within edge_slack
    (the leftmost such edge: a centred column's longest texts start on it), else the right edge where as many
    end (a right-aligned column) — when it is evidence, not a guess: it runs between glyphs, through none
    (a glyph it cuts could be either column's), except punctuation hanging past the end of a line (。、 set
    outside the line's measure: JIS X 4051 ぶら下げ).
    Returns the x of that edge (points), or None."""
    near = [c for c in body if c.x1 > low and c.x0 < high]
    if not near:
        return None

    def clusters(xs: list[float]) -> list[list[float]]:
        groups: list[list[float]] = []
        for x in sorted(xs):
            if groups and x - groups[-1][0] <= settings.edge_slack:
                groups[-1].append(x)
            else:
                groups.append([x])
        return [g for g in groups if len(g) >= settings.aligned_runs]

    lines = lines_of(near, settings)
    size = statistics.median(c.size for c in near)

    def overprinted(c: Char, d: Char) -> bool:  # most of both boxes in common: a cell's text run over the next
        wide = min(c.x1, d.x1) - max(c.x0, d.x0) > min(c.x1 - c.x0, d.x1 - d.x0) / 2
        return wide and min(c.bottom, d.bottom) - max(c.top, d.top) > min(c.bottom - c.top, d.bottom - d.top) / 2

    # a glyph printed over another between the two columns: which column either is cannot be told — but a
    # glyph no line starts with hanging over the next column's first one (`hangs_over`)
    before = {id(b): a for line in lines for a, b in zip(line, line[1:])}
    ordered = sorted(near, key=lambda c: c.x0)
    for i, c in enumerate(ordered):
        for d in ordered[i + 1 :]:
            if d.x0 >= c.x1:
                break
            if d.text != c.text and overprinted(c, d) and not hangs_over(before.get(id(c)), c, d, settings):
                return None

    def tight(line: list[Char]) -> Iterator[tuple[float, float]]:
        """A line's runs of glyphs set edge to edge (no gap wider than half the slack): pieces of text."""
        start, end = line[0].x0, line[0].x1
        for c in line[1:]:
            if abs(c.x0 - end) > settings.edge_slack / 2:
                yield start, end
                start = c.x0
            end = max(end, c.x1)
        yield start, end

    def clear(edge: float) -> bool:  # it runs through no glyph, but a hanging 。 ending the left column's line,
        # and cuts no piece of text set edge to edge in two (食|材: a line running on, not where a column starts)
        for line in lines:
            hanging = _hanging_past(line, edge, settings)
            if _cut_glyphs(line, edge, settings, hanging):
                return False
            kept = [c for c in line if id(c) not in hanging]
            if kept and any(a < edge - size / 2 and b > edge + size / 2 for a, b in tight(kept)):
                return False
        return True

    starts = clusters([a for a, _ in runs if low < a < high])
    ends = clusters([b for _, b in runs if low < b < high])
    edges = [min(g) - settings.edge_slack / 2 for g in starts] + [max(g) + settings.edge_slack / 2 for g in reversed(ends)]
    return next((edge for edge in edges if clear(edge)), None)


def _cut_glyphs(line: list[Char], x: float, settings: TableSettings, hanging: set[int] | None = None) -> list[Char]:
    """The glyphs of one line (left to right) a column boundary at x runs through — but the last glyph of the
    left column's text (nothing after it before x) running past it by at most a quarter of its width, or
    punctuation hanging past it (HANGING, its centre left of x), or glyphs a line may not start with hanging
    past it (`_hanging_past`, given as `hanging` when the caller has them): text a little wider than its cell.
    The next glyph touching it (R7 of R7.1.16 — one run of text) is no such end."""
    out = []
    crossed = {id(c) for c in _crossing(line, x, settings)}
    if hanging is None:
        hanging = _hanging_past(line, x, settings)
    for c, after in zip(line, [*line[1:], None]):
        if id(c) not in crossed or id(c) in hanging:
            continue
        apart = after is None or after.x0 >= x - settings.edge_slack and after.x0 - c.x1 > settings.edge_slack / 2
        last = c.cx < x and apart
        if not (last and (c.text in HANGING or c.x1 - x <= (c.x1 - c.x0) / 4)):
            out.append(c)
    return out


def _hanging_past(line: list[Char], x: float, settings: TableSettings) -> set[int]:
    """The glyphs (ids) of one line hanging past a column boundary at x: glyphs a line may not start with
    (、。ー」ッ: 行頭禁則, NO_LINE_START) set edge to edge right after a glyph ending at x, the last of the
    left column's text on that line (white after them, or the next column's text starting on x, no earlier
    than the last of them, which is printed over it: `ingest.glyphs.hangs_over`) — kept on the line they end (ぶら下げ), not cut. Also when
    x runs through the first of them (学・ with ・ across the boundary, set solid after 学)."""
    slack = settings.edge_slack
    out: set[int] = set()
    for k in range(1, len(line)):
        run = list(itertools.takewhile(lambda d: d.text in NO_LINE_START, line[k:]))
        if not run or not line[k - 1].x1 <= x + slack / 2:
            continue
        # the left text ends at x, or its hanging glyph is the one x runs through (学・ with ・ across x)
        ends_here = line[k - 1].x1 >= x - slack or run[0].x0 < x < run[0].x1
        touching = all(abs(b.x0 - a.x1) <= slack / 2 for a, b in zip([line[k - 1], *run], run))
        after = line[k + len(run)] if k + len(run) < len(line) else None
        # white after the run, or the next column's text starting on x (no earlier than the hanging glyph,
        # which is printed over it)
        clear = after is None or after.x0 - run[-1].x1 > slack / 2
        reached = after is not None and abs(after.x0 - x) <= slack and after.x0 >= run[-1].x0
        if ends_here and touching and (clear or reached):
            out.update(id(d) for d in run)
    return out


def _crossing(chars: list[Char], x: float, settings: TableSettings) -> list[Char]:
    """The glyphs a vertical line at x runs through (not merely touches)."""
    return [c for c in chars if c.x0 + settings.edge_slack < x < c.x1 - settings.edge_slack]


_NOTE_START = re.compile(r"^(?:※|＊|\*|注\s*\d*\s*[:：)）]|[(（]注)")  # a note under a table: ※ …, 注1：…, （注）…


def _body_end(lines: list[list[Char]], start: int, settings: TableSettings) -> int:
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


def _shading(page, box: tuple[float, float, float, float], settings: TableSettings) -> list[dict]:
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


def _rows_through_cells(ys: list[float], columns: list[list[Char]], row_white: float) -> list[Char]:
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


def _spacing_rows(
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


def _snapped(edge: dict, xs: list[float]) -> dict:
    """A horizontal rule or fill edge with its ends moved to the nearest column boundaries: a fill or a rule
    ends where its column really ends, a little off the boundary read from the text."""
    x0 = min(xs, key=lambda x: abs(x - edge["x0"]))
    x1 = min(xs, key=lambda x: abs(x - edge["x1"]))
    if x1 <= x0:
        return edge
    return {**edge, "x0": x0, "x1": x1, "width": x1 - x0}


def _unfilled_column_edges(
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
            out += [_edge(xs[k], y, xs[k + 1], y) for y in ys]
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
        out += [_edge(xs[k], bands[i][0], xs[k + 1], bands[i][0]) for i in sorted(cuts) if i > 0 and not covered(k, i)]
    return out, unplaced


def _starts_a_table(line: list[Char], settings: TableSettings) -> bool:
    """True for a list's title (令和6年度交流実績一覧（…以外）) or a header line naming a table."""
    text = "".join(c.text for c in line).strip()
    return is_list_title(text) or names_a_table([w.text for w in words_of(line, settings)])


def _text_columns(
    body: list[list[Char]],
    titles: list[Word] | None,
    previous: list[tuple[float, float, str]] | None,
    labelled: bool,
    head_top: float,
    head_span: tuple[float, float],
    rules: PageRules,
    fills: list[dict],
    settings: TableSettings,
) -> tuple[list[float], list[str], list[Char], list[list[Char]]]:
    """A rule-less table's columns from its body lines: between the header's titles (`_separators`), or on a
    page without a header (titles None) where the previous page had them, moved onto this page's white.
    labelled: the table has a label column (else heading rows ■ 石川県金沢市 run across the columns and are
    left out of the measuring). head_span: (x0, x1) of the header's glyphs, a group title over two columns
    (交流自治体名 over 県 | 市区町) reaching past their titles included. fills: the page's cell fills
    (`_shading`). Returns (xs: left edge, boundaries, right edge in points; roles; glyphs a
    boundary cuts; the heading lines)."""
    body_chars = [c for line in body for c in line]
    size = statistics.median(c.size for c in body_chars)
    pad = settings.cell_pad
    cut: list[Char] = []
    headings = [] if labelled else [line for line in body if heading_name("".join(c.text for c in line))]
    # a total line's word may stand across columns (小計 centred over 県 | 市区町): it is measured by no column
    in_headings = {id(c) for line in headings for c in line}
    in_headings |= {id(c) for line in body if _total_line(line, settings) for c in line}
    if titles is not None:
        body_bottom = max(c.bottom for c in body_chars)
        rule_ends = _drawn_column_ends(rules.horizontal, head_top - pad, body_bottom + pad, settings)
        roles = column_roles([w.text for w in titles])
        joined = {k for k, pair in enumerate(zip(roles, roles[1:])) if pair == ("municipality", "municipality")}
        plain = [c for c in body_chars if id(c) not in in_headings]
        # the previous page's table under the same titles (a header repeated on every page): where this
        # page's white leaves a boundary to guess, the previous page's boundary through this page's white is read
        same = previous is not None and [r for _, _, r in previous] == roles
        before = [b for _, b, _ in previous[:-1]] if previous is not None and same else None
        seps, cut = _separators(titles, plain, settings, size, rule_ends, joined, fills, before)
        left = min(min(c.x0 for c in body_chars), head_span[0]) - pad
        right = max(max(c.x1 for c in body_chars), head_span[1]) + pad
        return [left, *seps, right], roles, cut, headings
    assert previous is not None  # no header on this page: the caller passes the previous page's columns
    xs = [previous[0][0], *(b for _, b, _ in previous)]
    # the outer edges reach this page's text (a period's longer line past the previous page's last glyph)
    xs[0] = min(xs[0], min(c.x0 for c in body_chars) - pad)
    xs[-1] = max(xs[-1], max(c.x1 for c in body_chars) + pad)
    roles = [role for _, _, role in previous]
    # the previous page's boundaries must not run through this page's text
    plain = [c for c in body_chars if id(c) not in in_headings]
    runs = _runs(plain, settings, settings.column_gap * size)
    plain_lines = lines_of(plain, settings)
    xs = _shift_into_white(xs, runs, settings, size)
    for x in xs[1:-1]:
        # a run of text across the boundary is this page's text cut, unless the boundary runs between two
        # of its glyphs where this page's column starts flush (at least aligned_runs runs start there)
        flush = sum(abs(a - x) <= settings.edge_slack * 2 for a, _ in runs) >= settings.aligned_runs
        for line in plain_lines:
            crossed = _crossing(line, x, settings)
            cut += _cut_glyphs(line, x, settings)  # a hanging 。 past the previous page's boundary is no cut
            if not crossed:
                # where the column starts flush, two glyphs set solid across it are two columns' — but never two
                # letters or digits of one word (R|8.2.8: a period wider than its column, centred over its edge)
                pairs = zip(line, line[1:])
                cut += [
                    d
                    for c, d in pairs
                    if c.cx < x < d.cx
                    and d.x0 - c.x1 < settings.column_gap * size
                    and (not flush or _WORD_GLYPH.match(c.text) and _WORD_GLYPH.match(d.text))
                ][:1]
    return xs, roles, cut, headings


_WORD_GLYPH = re.compile(r"[0-9A-Za-z０-９Ａ-Ｚａ-ｚ]")  # a glyph of a Latin word or a number: no column edge between two


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
    page_fills = _shading(page, (0, 0, page.width, page.height), settings)
    header = _header_words(lines, settings, page_fills)
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
    body_end = _body_end(lines, body_start, settings)
    if body_end <= body_start:
        return None
    titles = words if header is not None else None
    head_chars = [c for k in (header[0] if header is not None else []) for c in lines[k]]
    head_span = (min(c.x0 for c in head_chars), max(c.x1 for c in head_chars)) if head_chars else (math.inf, -math.inf)
    # a table without a label column names its municipalities in heading rows (■ 石川県金沢市) that run across
    # the columns: they cut no column and become one cell each
    named = column_roles([w.text for w in words]) if header is not None else [r for _, _, r in previous or []]
    labelled = "municipality" in named
    xs, roles, cut, headings = _text_columns(
        lines[body_start:body_end], titles, previous, labelled, head_top, head_span, rules, page_fills, settings
    )
    # a white band between blocks (an empty spacer row) ends the table only when what follows stands like no
    # row of it: rows standing in its columns go on after the band
    extended = body_end
    while extended < len(lines):
        further = _body_end(lines, extended, settings)
        columns = list(zip(xs, xs[1:], roles))
        chunk = lines[extended:further]
        if further <= extended or any(_starts_a_table(line, settings) for line in chunk):
            break  # the next list's title or header: a table of its own
        if not any(row_like(line, columns, settings) for line in chunk):
            break
        extended = further
    if extended > body_end:
        body_end = extended
        xs, roles, cut, headings = _text_columns(
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
    fills = _shading(page, box, settings)
    # a total line (小計 | 7件) is a row of its own however close it stands to the rows around it
    totals = [line for line in body if _total_line(line, settings)]
    total_bands = _heading_bands(body, totals)
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
        ys, row_white = _spacing_rows(lines_own, settings, None, per_column)
        if shaded and len(fills) >= settings.zebra_share * (len(ys) + 1):  # a zebra: every other row shaded
            ys, row_white = _spacing_rows(lines_own, settings, [y for r in fills for y in (r["top"], r["bottom"])], per_column)
        # an extra column's text (協定締結年月日 centred on a merged block) feeds no field: a row boundary between
        # its lines misreads nothing
        fields = [chars for chars, r in zip(per_column, [r for r in roles if r != "municipality"]) if r != "other"]
        cut += _rows_through_cells(ys, fields, row_white)
        edges = [_edge(xs[j], y, xs[j + 1], y) for y in ys for j, role in enumerate(roles) if role != "municipality"]
        rows_from = "spacing"
        if shaded:
            rows_from = "shading"
            edges += [_snapped(_edge(r["x0"], y, r["x1"], y), xs) for r in fills for y in (r["top"], r["bottom"])]
        # also where no fill or white parts a total line from the next row
        total_ys = [y for band in total_bands for y in band]
        extra, labels_unplaced = _unfilled_column_edges(
            body_chars, xs, roles, edges, (body_top, body_bottom), settings, fills, total_ys
        )
        edges += extra
    edges = [_snapped(e, xs) for e in edges]
    if head_bottom is not None:  # the header is one band: rules between its rows would cut a heading from its columns
        edges = [e for e in edges if not head_top + pad < e["top"] < head_bottom - pad]
    bottom = max([body_bottom + pad, *(e["top"] for e in edges)])
    top = min([table_top, *(e["top"] for e in edges)])
    edges = edges + [_edge(xs[0], top, xs[-1], top), _edge(xs[0], bottom, xs[-1], bottom)]
    slack = settings.edge_slack
    if head_bottom is not None:
        # the header's lower edge runs across every column (a label column's header cell spanning both header
        # rows must not take the first label into it): where something draws it, else halfway
        drawn = [e for e in edges if head_bottom - slack <= e["top"] <= body_top + slack]
        across = any(e["x0"] <= xs[0] + slack and e["x1"] >= xs[-1] - slack for e in drawn)
        if not across:
            y = min(drawn, key=lambda e: e["x0"])["top"] if drawn else (head_bottom + body_top) / 2
            edges.append(_edge(xs[0], y, xs[-1], y))
    bands = _heading_bands(body, headings)
    edges += [_edge(xs[0], y, xs[-1], y) for band in total_bands for y in band]
    edges += [_edge(xs[0], y, xs[-1], y) for band in bands for y in band]
    vertical = [_edge(x, top, x, bottom) for x in (xs[0], xs[-1])]
    for x in xs[1:-1]:  # inner column boundaries stop at heading rows, and at a total line whose word they cut
        stops = bands + [band for line, band in zip(totals, total_bands) if _crossing(line, x, settings)]
        ys = [top, *(y for band in sorted(stops) for y in band), bottom]
        vertical += [_edge(x, a, x, b) for a, b in zip(ys[::2], ys[1::2]) if b > a]
    found = _cells(page, vertical, edges, settings)
    return Grid(found[0][0], found[0][1], rows_from, columns_from, labels_unplaced, cut, roles) if found else None


def _total_line(line: list[Char], settings: TableSettings) -> bool:
    """True for a line that is a total line: its words total words and counts (小計 7件), one of them a word."""
    words = [w.text for w in words_of(line, settings)]
    return any(is_total_word(w) for w in words) and all(is_total_word(w) or is_count(w) for w in words)


def _heading_bands(body: list[list[Char]], headings: list[list[Char]]) -> list[tuple[float, float]]:
    """(top, bottom) of each heading row: halfway to the text lines above and below it."""
    out = []
    for line in headings:
        i = next(k for k, other in enumerate(body) if other is line)
        top, bottom = min(c.top for c in line), max(c.bottom for c in line)
        above = max(c.bottom for c in body[i - 1]) if i else top - 1
        below = min(c.top for c in body[i + 1]) if i + 1 < len(body) else bottom + 1
        out.append(((above + top) / 2, (bottom + below) / 2))
    return out


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
