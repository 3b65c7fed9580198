"""Reading the report table from a PDF's geometry.

The pipeline is a chain of small steps, each a plain function you can test and see (`koryu ingest --debug`):

    page → visible chars + ruling lines → grid cells (pdfplumber's table finder on our filtered rules)
         → header and column roles → rows (one per description cell) → label segments per municipality
         column → segments linked across page breaks → rows with their printed municipality label

Nothing here knows a coordinate, a page break or a city of any one file. What varies between reports and is
handled from geometry: merged label cells over many rows and page breaks (label on the first page, the last,
every page, or drawn outside the visible page), wrapped cells, headers repeated or not, narrow header cells
written one character per line that overflow into the first row, one or two municipality columns, changing
header titles and column order, portrait or landscape, duplicate glyphs drawn for bold, white or hairline
rules that are not cell borders, and rows split by a page break.

pdfplumber is the PDF layer (chars with positions, lines, rects, its cell finder). Rejected: camelot (needs
Ghostscript/OpenCV, returns text grids that lose the merged-cell geometry this step depends on).
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from typing import Any

from store.normalize import fold, repair

# Column titles seen in such reports, folded; matched as substrings of a column's header text.
# Order matters: the first role whose word occurs wins (交流内容 is a description, not a municipality).
ROLE_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "period",
        ("実施期間", "実施日", "実施時期", "実施年月", "開催日", "開催期間", "期間", "日程", "日時", "時期", "年月日", "日付"),
    ),
    ("department", ("所管課", "担当課", "所管部", "担当部", "主管課", "実施課", "所管", "担当", "課名", "部署", "部課")),
    ("description", ("事業内容", "交流内容", "実施内容", "取組内容", "内容", "事業名", "概要", "取組", "件名", "事業", "実績")),
    (
        "municipality",
        ("自治体", "都道府県", "市区町村", "区市町村", "市町村", "交流先", "相手先", "都市", "県", "市区町", "市町", "区市町"),
    ),
)


MAX_TITLE_CHARS = 16  # a column title is short: 交流自治体名, 実施期間（実施日）
HEADER_BANDS = 4  # the header is within the table's first bands (a title row may sit above it)


@dataclass
class TableSettings:
    """Knobs for table reading, in PDF points (1/72 inch) unless noted.

    snap_tolerance / join_tolerance: passed to pdfplumber's cell finder; min_rule_length: shorter rules are
    ignored; white_luminance: 0–1, rules at least this light are invisible and not borders; hairline_ratio:
    a rule thinner than this fraction of the page's typical rule width, and lighter, is decoration;
    dedupe_tolerance: glyphs drawn again within this distance (fake bold) are dropped.
    """

    snap_tolerance: float = 3.0
    join_tolerance: float = 3.0
    min_rule_length: float = 3.0
    white_luminance: float = 0.92
    hairline_ratio: float = 0.35
    dedupe_tolerance: float = 1.0

    @classmethod
    def resolve(cls, value: TableSettings | dict[str, Any] | None) -> TableSettings:
        """Accept None (defaults), a dict of overrides (unknown keys raise ValueError) or an instance."""
        if value is None:
            return cls()
        if isinstance(value, cls):
            return value
        if isinstance(value, dict):
            known = {f.name for f in fields(cls)}
            unknown = set(value) - known
            if unknown:
                raise ValueError(f"unknown table settings: {sorted(unknown)}")
            return cls(**value)
        raise TypeError(f"table settings must be None, dict or TableSettings, not {type(value).__name__}")


@dataclass(frozen=True)
class Char:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(frozen=True)
class Cell:
    x0: float
    top: float
    x1: float
    bottom: float

    def contains(self, x: float, y: float, tol: float = 0.5) -> bool:
        return self.x0 - tol <= x <= self.x1 + tol and self.top - tol <= y <= self.bottom + tol


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
    """The table found on one page, with what was read from it (kept for the debug view)."""

    page: int
    bbox: tuple[float, float, float, float]
    cells: list[Cell]
    columns: list[Column]
    header_bottom: float | None
    data_top: float
    data_bottom: float
    rows: list[Row]
    segments: list[list[Segment]]  # per municipality column


# ---------------------------------------------------------------------------------------------- page


def _luminance(color: Any) -> float | None:
    if color is None:
        return None
    if isinstance(color, (int, float)):
        return float(color)
    try:
        vals = [float(v) for v in color]
    except (TypeError, ValueError):
        return None  # pattern colours: treat as visible
    if len(vals) == 1:
        return vals[0]
    if len(vals) == 3:
        r, g, b = vals
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
    if len(vals) == 4:
        c, m, y, k = vals
        return (1 - min(1, c + k)) * 0.2126 + (1 - min(1, m + k)) * 0.7152 + (1 - min(1, y + k)) * 0.0722
    return None


def dedupe(chars: list[dict], tolerance: float) -> list[dict]:
    """Drop glyphs drawn again at (nearly) the same place — how some producers fake bold. O(n) by bucketing."""
    seen: dict[tuple, list[dict]] = {}
    out = []
    for c in chars:
        bx, by = int(c["x0"] // tolerance), int(c["top"] // tolerance)
        dup = False
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for o in seen.get((c["text"], bx + dx, by + dy), ()):
                    if abs(o["x0"] - c["x0"]) <= tolerance and abs(o["top"] - c["top"]) <= tolerance:
                        dup = True
        if not dup:
            seen.setdefault((c["text"], bx, by), []).append(c)
            out.append(c)
    return out


def visible_area(page) -> tuple[float, float, float, float]:
    """What a viewer shows: the CropBox within the MediaBox (pdfplumber's top-based coordinates)."""
    mx0, mtop, mx1, mbottom = page.mediabox
    cx0, ctop, cx1, cbottom = page.cropbox
    return max(mx0, cx0), max(mtop, ctop), min(mx1, cx1), min(mbottom, cbottom)


def visible_chars(page, settings: TableSettings) -> tuple[list[Char], list[Char]]:
    """Glyphs inside the visible page (duplicates and white text dropped) and those drawn outside it."""
    x0, top, x1, bottom = visible_area(page)
    inside, outside = [], []
    for c in dedupe(page.chars, settings.dedupe_tolerance):
        space = str(c.get("ncs") or "")
        lum = _luminance(c.get("non_stroking_color"))
        # white text is invisible; in Separation/DeviceN/Indexed spaces a 1.0 is a tint or an index, not white
        if lum is not None and lum >= 0.98 and not any(s in space for s in ("Separation", "DeviceN", "Indexed", "Pattern")):
            continue
        ch = Char(repair(c["text"]), c["x0"], c["x1"], c["top"], c["bottom"], c["size"] or (c["bottom"] - c["top"]))
        if not ch.text.strip() and ch.text not in (" ", "\u3000"):
            continue
        (inside if x0 <= ch.cx <= x1 and top <= ch.cy <= bottom else outside).append(ch)
    return inside, outside


def _shading_free(page) -> list[dict]:
    """Rect edges only of thin filled rects (borders drawn as filled rects); stroked lines and rect outlines."""
    out = []
    for r in page.rects:
        w, h = r["x1"] - r["x0"], r["bottom"] - r["top"]
        if r.get("stroke"):
            continue  # its edges come through page.edges already
        if r.get("fill") and (w <= 2.5 or h <= 2.5):
            out.append(r)
    return out


def find_cells(page, settings: TableSettings) -> list[tuple[tuple[float, float, float, float], list[Cell]]]:
    """Tables on the page as (bbox, cells) using only visible, structural rules. Largest first."""
    rules = []
    for e in page.edges:
        obj = e.get("object_type", "")
        if obj in ("rect_edge", "curve_edge") and not e.get("stroke", False):
            continue  # filled shapes: handled below when thin
        rules.append(e)
    for r in _shading_free(page):
        w, h = r["x1"] - r["x0"], r["bottom"] - r["top"]
        if w <= 2.5:
            x = (r["x0"] + r["x1"]) / 2
            rules.append(
                {
                    **r,
                    "x0": x,
                    "x1": x,
                    "orientation": "v",
                    "stroke": True,
                    "stroking_color": r.get("non_stroking_color"),
                    "linewidth": w,
                    "width": 0,
                    "height": h,
                }
            )
        else:
            y = (r["top"] + r["bottom"]) / 2
            rules.append(
                {
                    **r,
                    "top": y,
                    "bottom": y,
                    "orientation": "h",
                    "stroke": True,
                    "stroking_color": r.get("non_stroking_color"),
                    "linewidth": h,
                    "width": w,
                    "height": 0,
                }
            )
    vx0, vtop, vx1, vbottom = visible_area(page)
    rules = [
        e
        for e in _filter_rules(rules, settings)
        if vx0 - 1 <= (e["x0"] + e["x1"]) / 2 <= vx1 + 1 and vtop - 1 <= (e["top"] + e["bottom"]) / 2 <= vbottom + 1
    ]
    vertical = [e for e in rules if e["orientation"] == "v"]
    horizontal = [e for e in rules if e["orientation"] == "h"]
    if not vertical or not horizontal:
        return []
    horizontal += _page_break_edges(vertical)
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
    out = [(t.bbox, [Cell(*c) for c in t.cells]) for t in tables if len(t.cells) >= 4]
    out.sort(key=lambda t: -(t[0][2] - t[0][0]) * (t[0][3] - t[0][1]))
    return out


def _page_break_edges(vertical: list[dict]) -> list[dict]:
    """Close the table at its top and bottom.

    A merged cell cut by a page break is often drawn without a border at the cut (LibreOffice and Excel
    leave it open), so the cell finder would see no cell there. Where the table's long vertical rules end,
    the page ends the cell: add a horizontal rule across the table at both ends.
    """
    longest = max(e["bottom"] - e["top"] for e in vertical)
    long_rules = [e for e in vertical if e["bottom"] - e["top"] >= 0.5 * longest]
    x0 = min(e["x0"] for e in long_rules)
    x1 = max(e["x1"] for e in long_rules)
    out = []
    for y in (min(e["top"] for e in long_rules), max(e["bottom"] for e in long_rules)):
        out.append(
            {
                "x0": x0,
                "x1": x1,
                "top": y,
                "bottom": y,
                "width": x1 - x0,
                "height": 0,
                "orientation": "h",
                "object_type": "line",
                "stroke": True,
                "linewidth": 0,
            }
        )
    return out


def _filter_rules(rules: list[dict], settings: TableSettings) -> list[dict]:
    kept = []
    for e in rules:
        lum = _luminance(e.get("stroking_color"))
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
        lum = _luminance(e.get("stroking_color"))
        if typical and 0 < lw < typical * settings.hairline_ratio and (lum is None or lum > 0.25):
            continue  # a thin, grey rule: decoration, not a cell border
        out.append(e)
    return out


# ---------------------------------------------------------------------------------------------- text


def _lines(chars: list[Char]) -> list[list[Char]]:
    """Chars grouped into lines by vertical centre (page-wide, so a line may cross cells), each left to right."""
    lines: list[list[Char]] = []
    centre = 0.0
    for c in sorted(chars, key=lambda c: (c.cy, c.x0)):
        if lines and abs(centre - c.cy) < c.size * 0.45:
            lines[-1].append(c)
        else:
            lines.append([c])
            centre = c.cy
    return [sorted(line, key=lambda c: c.x0) for line in lines]


def _stacks(chars: list[Char]) -> list[list[Char]]:
    """Chains of single characters written one per line (narrow header cells: 市/区/町)."""
    singles: list[Char] = []
    for line in _lines(chars):
        for i, c in enumerate(line):
            left = line[i - 1] if i else None
            right = line[i + 1] if i + 1 < len(line) else None
            near = [o for o in (left, right) if o is not None and abs(o.cx - c.cx) < c.size * 1.6]
            if not near:
                singles.append(c)
    singles.sort(key=lambda c: (round(c.cx), c.top))
    stacks: list[list[Char]] = []
    used: set[int] = set()
    for i, c in enumerate(singles):
        if i in used:
            continue
        chain = [c]
        used.add(i)
        for j in range(i + 1, len(singles)):
            d = singles[j]
            last = chain[-1]
            if abs(d.cx - last.cx) >= last.size * 0.3 and round(d.cx) != round(last.cx):
                break
            if (
                j not in used
                and abs(d.cx - last.cx) < last.size * 0.3
                and -0.3 * last.size < d.top - last.bottom < 0.6 * last.size
            ):
                chain.append(d)
                used.add(j)
        if len(chain) >= 2:
            stacks.append(chain)
    return stacks


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


def assign_chars(cells: list[Cell], chars: list[Char]) -> dict[int, list[Char]]:
    """Map each char to the cell holding its centre; a one-per-line stack goes whole to its majority cell."""
    index = CellIndex(cells)
    where = {id(c): index.at(c.cx, c.cy) for c in chars}
    in_table = [c for c in chars if where[id(c)] is not None]
    out: dict[int, list[Char]] = {}
    placed: set[int] = set()
    for stack in _stacks(in_table):
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


def text_lines(chars: Iterable[Char]) -> list[str]:
    """Chars of one cell → its printed lines, top to bottom, each left to right."""
    out = []
    for line in _lines(list(chars)):
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


def column_role(title: str) -> str:
    """Role of a column from its header text (folded substring match against ROLE_WORDS)."""
    t = fold(re.sub(r"\s+", "", title))
    for role, words in ROLE_WORDS:
        if any(fold(w) in t for w in words):
            return role
    return "other"


def _boundaries(cells: list[Cell], tol: float = 1.5) -> list[float]:
    xs = sorted({round(v, 1) for c in cells for v in (c.x0, c.x1)})
    merged: list[float] = []
    for x in xs:
        if merged and x - merged[-1] <= tol:
            continue
        merged.append(x)
    return merged


def read_header(cells: list[Cell], texts: dict[int, str]) -> tuple[list[Column], float | None]:
    """Find the header band and name each column. Returns (columns, header_bottom or None).

    The header is the first band of cells (among the table's first few) holding short titles that name the
    description and at least one other column; bands above it (a title row drawn inside the grid) are not
    data. A first data row is never a header: 石川県金沢市 holds 県, a description may hold 事業, but not
    as short titles naming two roles.
    """
    xs = _boundaries(cells)
    spans = list(zip(xs, xs[1:]))
    tops = sorted({round(c.top, 1) for c in cells})
    for band_top in tops[:HEADER_BANDS]:
        band = [i for i, c in enumerate(cells) if abs(c.top - band_top) < 2.0]
        titled = [
            i
            for i in band
            if column_role(texts.get(i, "")) != "other" and len(re.sub(r"\s+", "", texts.get(i, ""))) <= MAX_TITLE_CHARS
        ]
        roles_found = {column_role(texts[i]) for i in titled}
        if "description" in roles_found and len(roles_found) >= 2:
            break
    else:
        return [Column(a, b, "other") for a, b in spans], None
    header_bottom = max(cells[i].bottom for i in titled)
    columns = []
    for a, b in spans:
        mid = (a + b) / 2
        parts = [
            texts.get(i, "")
            for i, c in sorted(enumerate(cells), key=lambda ic: ic[1].top)
            if band_top - 2 <= c.top < header_bottom - 1 and c.x0 - 1 <= mid <= c.x1 + 1
        ]
        title = "".join(parts)
        columns.append(Column(a, b, column_role(title), title))
    return columns, header_bottom


def columns_like(previous: list[Column], cells: list[Cell]) -> list[Column]:
    """A page without a header: reuse the previous page's roles for columns at the same place."""
    xs = _boundaries(cells)
    out = []
    for a, b in zip(xs, xs[1:]):
        best = max(previous, key=lambda col: min(b, col.x1) - max(a, col.x0))
        overlap = min(b, best.x1) - max(a, best.x0)
        out.append(Column(a, b, best.role if overlap > 0.5 * (b - a) else "other", best.title))
    return out


# ------------------------------------------------------------------------------------------- page table


def read_page(page, page_number: int, settings: TableSettings, previous_columns: list[Column] | None) -> PageTable | None:
    """Read the report table on one page. Returns None when the page has no such table."""
    chars, hidden = visible_chars(page, settings)
    found = find_cells(page, settings)
    if not found:
        return None
    bbox, cells = found[0]
    by_cell = assign_chars(cells, chars)
    texts = {i: "".join(text_lines(cs)) for i, cs in by_cell.items()}
    columns, header_bottom = read_header(cells, texts)
    if header_bottom is None:
        if previous_columns is None:
            return None
        columns = columns_like(previous_columns, cells)
    roles = [c.role for c in columns]
    if "description" not in roles:
        return None
    data_top = header_bottom if header_bottom is not None else bbox[1]
    data_cells = [c for c in cells if c.top >= data_top - 1.0]
    if not data_cells:
        return PageTable(page_number, bbox, cells, columns, header_bottom, data_top, data_top, [], [])
    data_bottom = max(c.bottom for c in data_cells)

    def col_index(cell: Cell) -> list[int]:
        return [k for k, col in enumerate(columns) if cell.x0 - 1 <= (col.x0 + col.x1) / 2 <= cell.x1 + 1]

    index = {id(c): i for i, c in enumerate(cells)}
    desc_k = roles.index("description")
    row_cells = sorted((c for c in data_cells if desc_k in col_index(c)), key=lambda c: c.top)

    def cell_text(role: str, top: float, bottom: float, joiner, k_only: int | None = None) -> str:
        """Text of the role's cells overlapping a row; a cell merged over several rows gives each its text."""
        ks = [k for k, r in enumerate(roles) if r == role and (k_only is None or k == k_only)]
        lines: list[str] = []
        for k in ks:
            col = columns[k]
            mid_x = (col.x0 + col.x1) / 2
            for c in sorted(data_cells, key=lambda c: c.top):
                if c.x0 - 1 <= mid_x <= c.x1 + 1 and c.top < bottom - 1 and c.bottom > top + 1:
                    lines.extend(text_lines(by_cell.get(index[id(c)], [])))
        return joiner(lines)

    desc_cols = [k for k, r in enumerate(roles) if r == "description"]
    rows = []
    for rc in row_cells:
        # two description columns (事業名 | 事業内容) are one description, joined by an ideographic space
        parts = [join_wrapped(text_lines(by_cell.get(index[id(rc)], [])))]
        parts += [cell_text("description", rc.top, rc.bottom, join_wrapped, k) for k in desc_cols[1:]]
        rows.append(
            Row(
                page=page_number,
                top=rc.top,
                bottom=rc.bottom,
                description="\u3000".join(p for p in parts if p),
                department=cell_text("department", rc.top, rc.bottom, "".join),
                period_text=cell_text("period", rc.top, rc.bottom, join_period_lines),
            )
        )

    segments: list[list[Segment]] = []
    _, visible_top, _, visible_bottom = visible_area(page)
    label_cols = [k for k, r in enumerate(roles) if r == "municipality"]
    for li, k in enumerate(label_cols):
        col = columns[k]
        mid_x = (col.x0 + col.x1) / 2
        segs: dict[int, Segment] = {}
        order: list[Segment] = []
        for ri, row in enumerate(rows):
            mid_y = (row.top + row.bottom) / 2
            owner = None
            for c in data_cells:
                if c.x0 - 1 <= mid_x <= c.x1 + 1 and c.top - 1 <= mid_y <= c.bottom + 1:
                    owner = c
                    break
            if owner is None:
                owner = Cell(col.x0, row.top, col.x1, row.bottom)
            key = id(owner)
            if key not in segs:
                text = "".join(text_lines(by_cell.get(index.get(key, -1), [])))
                hid_above = [h for h in hidden if owner.x0 <= h.cx <= owner.x1 and h.cy < visible_top]
                hid_below = [h for h in hidden if owner.x0 <= h.cx <= owner.x1 and h.cy > visible_bottom]
                side = (
                    "above"
                    if hid_above and abs(owner.top - data_top) < 2
                    else "below"
                    if hid_below and abs(owner.bottom - data_bottom) < 2
                    else ""
                )
                hid = hid_above if side == "above" else hid_below if side == "below" else []
                seg = Segment(
                    page_number,
                    li,
                    owner,
                    text,
                    "".join(text_lines(hid)),
                    side,
                    touches_top=abs(owner.top - data_top) < 2.0 or owner.top < data_top,
                    touches_bottom=abs(owner.bottom - data_bottom) < 2.0,
                )
                segs[key] = seg
                order.append(seg)
            segs[key].rows.append(ri)
        segments.append(order)
    return PageTable(page_number, bbox, cells, columns, header_bottom, data_top, data_bottom, rows, segments)


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
        # clipped glyphs say which way the block runs
        for i, s in enumerate(seq):
            if s.label or not s.hidden_side or id(s) in done:
                continue
            j = i - 1 if s.hidden_side == "above" else i + 1
            if 0 <= j < len(seq) and seq[j].page != s.page and seq[j].text:
                s.label, s.how = seq[j].text, "from-previous-page" if j < i else "from-next-page"
            else:
                s.label, s.how = s.hidden_text, "clipped"
        # forward: an empty block at the top of a page continues the previous page's block
        for i, s in enumerate(seq):
            if s.label or not s.touches_top or i == 0 or id(s) in done:
                continue
            prev = seq[i - 1]
            if prev.page != s.page and prev.touches_bottom and prev.label and _break_continues(tables, s.page):
                s.label, s.how = prev.label, "from-previous-page"
        # backward: an empty block at the bottom of a page is labelled on the next page
        for i in range(len(seq) - 1, -1, -1):
            s = seq[i]
            if s.label or not s.touches_bottom or i + 1 >= len(seq) or id(s) in done or id(s) in prefecture_rows:
                continue
            nxt = seq[i + 1]
            if nxt.page != s.page and nxt.touches_top and nxt.label and (len(s.rows) > 1 or not _fill_down_style(seq)):
                s.label, s.how = nxt.label, "from-next-page"
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
