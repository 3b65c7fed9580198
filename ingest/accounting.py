"""Every character on a page accounted for: what a misread looks like before it becomes a wrong record.

A reader that decides by geometry can misread a table in ways no single field shows: a column whose title it
did not recognise (its municipality names silently dropped), a row standing outside the grid it found, a
second table it did not see. So after a page is read, every visible character must have ended up in exactly
one place:

- a record field or a label (a cell some row read: `_Page.use`);
- the header (the header band, or a header repeated inside the table), a title row drawn inside the grid;
- an extra column the header names (No., 備考, 協定締結年月日 …: read as what it is, never into a field);
- outside the table: the title and the lines around it, a heading between two tables, page furniture
  (running header or footer, page number, date line, notes below the table) — any line that does not stand
  like a table row across the table's columns.

What is left — text inside the table in no cell or in a cell nothing read, a row-like line outside it — is
`Unaccounted`: the file is refused with the page and that text (`ingest.checks`), or stored flagged with
`--force`. `koryu ingest --debug` draws those characters in red.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass, field

from ingest.glyphs import NO_LINE_START, Char, hangs_over, lines_of, words_of
from ingest.periods import parse_period
from ingest.roles import is_title
from ingest.rows import is_total_word
from ingest.settings import TableSettings
from store.titles import fiscal_year_of

ROW_ROLES = ("municipality", "description", "department", "period")

# furniture: lines a page prints around its table that are no row — a page number (- 1 -, 1/3, ２頁), a date
# line (令和7年4月1日現在), an order note (自治体コード順), a unit, a note (※…, 注1) — matched on NFKC text
PAGE_NUMBER = re.compile(
    r"^(?:[-‐−–—―ー\s]*\d+\s*(?:/\s*\d+)?[-‐−–—―ー\s]*(?:頁|ページ)?|\d+\s*of\s*\d+|p\.?\s*\d+)$", re.IGNORECASE
)
_FURNITURE = re.compile(
    PAGE_NUMBER.pattern + r"|^(?:※|＊|\*|注\d*|\(注|備考)"
    r"|(?:現在|作成|時点|更新|順|単位[:：][^\s]*|\(単位.*\))$",
    re.IGNORECASE,
)


@dataclass
class Unaccounted:
    """Text a page shows that no field, header, title or furniture accounts for.

    where: "table" (inside the table read: a cell nothing read, or between cells), "outside" (a line outside
    it standing like a row across the table's columns), "page" (a page without a table, after the first one,
    holding such a line), "cut" (glyphs a column boundary read from a table's text runs through), "overlap"
    (glyphs printed over other glyphs: a cell's text running over the next one's), "apart" (a department or
    period cell holding two texts with white between them: `ingest.table.cells_apart`), "clipped" (glyphs
    their clip path shows only in part: `ingest.clips`); text: the characters in reading order (at most 60); chars: their glyphs (for
    `--debug`).
    """

    where: str
    text: str
    chars: list[Char] = field(default_factory=list, repr=False)

    @property
    def reason(self) -> str:
        """Japanese, for a refusal: what was found and where."""
        return f"{_REASONS[self.where][0]}「{self.text}」"

    @property
    def reason_en(self) -> str:
        return f"{_REASONS[self.where][1]}: {self.text!r}"


# (Japanese, English) of each kind of unaccounted text
_REASONS = {
    "table": ("表の中にどの欄にも読み取れない文字があります", "text no field accounts for (inside the table)"),
    "outside": (
        "表の外に、表の行のようなどの欄にも読み取れない文字があります",
        "text no field accounts for (outside the table, standing like a row)",
    ),
    "page": (
        "表のないページに、表の行のようなどの欄にも読み取れない文字があります",
        "text no field accounts for (on a page without a table)",
    ),
    "cut": (
        "列の境目が文字を横切ります（罫線のない表の列を決められません）",
        "a column boundary read from the text cuts through glyphs",
    ),
    "overlap": ("文字が重なって印刷されています（どの欄の文字か決められません）", "glyphs printed over each other"),
    "clipped": (
        "欄の文字が途中で切れて一部しか印刷されていません（改ページで切れた自治体名など）",
        "glyphs their clipping path shows only in part (a label cut by a page break)",
    ),
    "apart": (
        "一つの欄に、間を空けた二つの文字列があります（二つの欄か行が一つに読まれています）",
        "one cell holds two texts with white between them (two cells read as one)",
    ),
}


def is_furniture(text: str) -> bool:
    """True for a line a page prints around its table that is no table row: a title naming a fiscal year or a
    list (一覧), a page number, a date line, an order or unit note, a note (※ …)."""
    plain = unicodedata.normalize("NFKC", "".join(text.split()))
    plain = re.sub(r"^[(\[【〔<《]+|[)\]】〕>》]+$", "", plain)  # （令和7年4月1日現在）, 【自治体コード順】
    return bool(_FURNITURE.search(plain)) or fiscal_year_of(plain) is not None or "一覧" in plain


def _dated(text: str) -> bool:
    period = parse_period(text, None)
    return bool(period.parsed and period.start)


def row_like(line: list[Char], columns: list[tuple[float, float, str]], settings: TableSettings, *more: list[Char]) -> bool:
    """True when a text line outside a table — with `more` lines: a band of lines, a row whose cells are
    aligned differently (a description's two lines at the top, its No. and date centred between them) —
    stands like one of its rows: its words fall into at least two of the table's label / description /
    department / period columns, and either one in the period column is a date, or they fill three such
    columns, or a place's label stands beside another cell. Titles, page numbers and notes never do
    (`is_furniture`)."""
    hit: dict[str, list[str]] = {}
    for one in (line, *more):
        for word in words_of(one, settings):
            if is_furniture(word.text):
                continue
            # a word is split where the table's columns part (a rule-less row set tight: 沖縄県う|シビック…|R8.8.1)
            chars = [c for c in one if word.x0 <= c.cx <= word.x1 and not c.text.isspace()]
            by_column = itertools.groupby(chars, key=lambda c: next((r for x0, x1, r in columns if x0 <= c.cx <= x1), ""))
            for role, part in by_column:
                if role in ROW_ROLES:
                    hit.setdefault(role, []).append("".join(c.text for c in part))
    if len(hit) < 2:
        return False
    from ingest.labels import heading_name

    # a municipality's name in its column beside a description is a row too (the rest of a row cut by the
    # page break, its label repeated, standing above the next list's title)
    label = "".join(hit.get("municipality", []))
    named = bool(heading_name(label))
    # a label beside any other cell is a row too (熊本県天 | 11.16: the rest of a row cut by the page break, its
    # label's first line repeated): a place's name or a prefecture's start — not a heading's number (２その他),
    # a total line's word (合計 | 23件) or a column's title (交流自治体名)
    from store.gazetteer import prefecture_names

    place = named or any(label.startswith(p) for p in prefecture_names())
    labelled = place and not is_total_word(label) and not any(is_title(t) for t in hit["municipality"])
    return len(hit) >= 3 or any(_dated(t) for t in hit.get("period", [])) or (named and "description" in hit) or labelled


def outside_lines(
    chars: list[Char], columns: list[tuple[float, float, str]], settings: TableSettings, where: str
) -> list[Unaccounted]:
    """The lines of `chars` (glyphs outside any table read) that stand like rows of a table with `columns`,
    one by one or as a band of lines with less than cell_line_gap × size of white between them (a row left
    under the table whose No. and date stand centred between its description's two lines), unless the band
    starts as a note (※ …)."""
    lines = lines_of(chars, settings)
    bare = not any(role == "municipality" for _, _, role in columns)
    flagged = [row_like(line, columns, settings) or _heading_row(line, bare) for line in lines]
    out = [Unaccounted(where, _text(line), list(line)) for line, f in zip(lines, flagged) if f]
    bands: list[list[int]] = []
    for i, line in enumerate(lines):
        above = lines[bands[-1][-1]] if bands else None
        if above and min(c.top for c in line) - max(c.bottom for c in above) < settings.cell_line_gap * max(
            c.size for c in (*line, *above)
        ):
            bands[-1].append(i)
        else:
            bands.append([i])
    for band in bands:
        first = _text(lines[band[0]]).split()
        if len(band) < 2 or any(flagged[i] for i in band) or is_furniture(first[0] if first else ""):
            continue
        if row_like(lines[band[0]], columns, settings, *(lines[i] for i in band[1:])):
            glyphs = [c for i in band for c in lines[i]]
            out.append(Unaccounted(where, _text(glyphs), glyphs))
    return out


def _text(glyphs: list[Char]) -> str:
    """Glyphs' text for a reason: at most 60 characters, no outer white."""
    return "".join(c.text for c in glyphs).strip()[:60]


def _heading_row(line: list[Char], bare: bool) -> bool:
    """True for a line outside the table that is a municipality's heading row (■ 大阪府泉大津市 left under the
    table at a page's foot): its rows would go under the heading before it. bare: a name alone on its line
    (広島県福山市, no mark) is one too — for a table without a label column, whose headings name its
    municipalities."""
    from ingest.labels import heading_name

    text = "".join(c.text for c in line).strip()
    name = heading_name(text)
    marked = bool(text) and unicodedata.category(text[0])[0] in "PS"
    return bool(name) and (marked or bare and re.sub(r"\s+", "", text) == name)


def _overlapping(chars: list[Char], cell_of: dict[int, int], settings: TableSettings) -> list[Char]:
    """Glyphs drawn over other glyphs on their line (a cell's text running over the next cell's): which text
    each character belongs to cannot be told. Glyphs drawn twice (fake bold) were dropped before.
    cell_of: {id(glyph): cell index} as assigned — two glyphs a few points apart in height (a label's wrapped
    line run down into the next row's label) overprint when one cell holds both; when a rule between two
    cells parts them, each was read in its own cell."""
    out: list[Char] = []
    for line in lines_of(chars, settings):
        for before, a, b in zip([None, *line], line, line[1:]):
            overlap = a.x1 - b.x0
            # on one baseline, or most of the shorter's height in common within one cell
            same_baseline = abs(a.bottom - b.bottom) <= settings.edge_slack or (
                cell_of.get(id(a), -1) == cell_of.get(id(b), -2)
                and min(a.bottom, b.bottom) - max(a.top, b.top) > min(a.bottom - a.top, b.bottom - b.top) / 2
            )
            # 、 hanging into the next cell's margin, or over the next cell's first glyph (`hangs_over`)
            hanging = a.text in NO_LINE_START and overlap <= (a.x1 - a.x0) / 2 or hangs_over(before, a, b, settings)
            if (
                same_baseline
                and not hanging
                and a.text != b.text
                and overlap > settings.glyph_overlap * min(a.x1 - a.x0, b.x1 - b.x0) > 0
            ):
                out += [a, b]
    return out


def _names_a_place(across: list[Char], outside: list[Char], settings: TableSettings) -> bool:
    """True when the glyphs across the table's bottom edge, with the lines right under them in their columns
    (a label wrapped: 熊本県 熊 / 本市), read as a municipality's name."""
    from ingest.labels import heading_name

    x0, x1 = min(c.x0 for c in across), max(c.x1 for c in across)
    size = max(c.size for c in across)
    reach = max(c.bottom for c in across) + size
    under = [c for c in outside if x0 <= c.cx <= x1 and c.top <= reach and c.cy > min(c.cy for c in across)]
    text = "".join(c.text for line in lines_of([*across, *under], settings) for c in line)
    return bool(heading_name(re.sub(r"\s+", "", text)))


def account_page(
    chars: list[Char],
    cells_chars: dict[int, list[Char]],
    used: set[int],
    bbox: tuple[float, float, float, float],
    columns: list[tuple[float, float, str]],
    settings: TableSettings,
) -> tuple[list[Unaccounted], list[Char]]:
    """Check one page's reading. chars: the page's visible glyphs; cells_chars: {cell index: glyphs} as
    assigned; used: the cells whose text went somewhere (a field, a label, the header, a title row, an extra
    column); bbox: the table's (x0, top, x1, bottom); columns: (x0, x1, role) of the table's columns.

    Returns (what is unaccounted, the glyphs outside the table: for the title and headings)."""
    slack = settings.edge_slack
    x0, top, x1, bottom = bbox
    out: list[Unaccounted] = []
    cell_of = {id(c): k for k, cs in cells_chars.items() for c in cs}
    in_cells = set(cell_of)
    for k, cs in cells_chars.items():
        if k not in used and any(not c.text.isspace() for c in cs):
            out.append(Unaccounted("table", "".join(c.text for line in lines_of(cs, settings) for c in line)[:60], cs))
    inside = [c for c in chars if x0 - slack <= c.cx <= x1 + slack and top - slack <= c.cy <= bottom + slack]
    stray = [c for c in inside if id(c) not in in_cells and not c.text.isspace()]
    if stray:
        out.append(Unaccounted("table", "".join(c.text for line in lines_of(stray, settings) for c in line)[:60], stray))
    overlapping = _overlapping([c for c in inside if not c.text.isspace()], cell_of, settings)
    if overlapping:
        out.append(Unaccounted("overlap", "".join(c.text for c in overlapping)[:60], overlapping))
    inside_ids = {id(c) for c in inside}
    outside = [c for c in chars if id(c) not in inside_ids and not c.text.isspace()]
    # text running on past the table's side (within two glyphs of its edge, between its top and bottom) is a
    # cell's text the table's edge cut off
    beside = [
        c
        for c in outside
        if top - slack <= c.cy <= bottom + slack and (x0 - 2 * c.size <= c.x1 <= x0 or x1 <= c.x0 <= x1 + 2 * c.size)
    ]
    if beside:
        out.append(Unaccounted("table", "".join(c.text for line in lines_of(beside, settings) for c in line)[:60], beside))
    # a glyph across the table's bottom edge that no cell took is a cell's text the edge cut off (東海市, the
    # second line of 愛知県 / 東海市) — but a municipality's name in a label column under an empty cell is the
    # label of a block running on to the next page, drawn at its middle and cut by the page's table
    # (`ingest.linking` takes the label from the next page)
    across = [c for c in outside if id(c) not in in_cells and x0 <= c.cx <= x1 and c.top < bottom + slack / 2 < c.bottom]
    if across:
        lo, hi = min(c.x0 for c in across), max(c.x1 for c in across)
        label_columns = [(a, b) for a, b, role in columns if role == "municipality"]
        in_labels = all(any(a <= c.cx <= b for a, b in label_columns) for c in across)
        # a cell's own text right above them: they are its next line
        continues = any(
            d.x1 > lo and d.x0 < hi and 0 <= bottom - d.bottom <= 2 * d.size for cs in cells_chars.values() for d in cs
        )
        if continues or not (in_labels and _names_a_place(across, outside, settings)):
            text = "".join(c.text for line in lines_of(across, settings) for c in line)[:60]
            out.append(Unaccounted("table", text, across))
    out += outside_lines(outside, columns, settings, "outside")
    return out, outside
