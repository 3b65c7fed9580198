"""How a report table is read from a PDF page: every threshold, named, with its unit (`TableSettings`).

Nothing in `ingest.glyphs`, `ingest.grid` or `ingest.table` knows a coordinate of any one file; every length,
share or count they compare with is a field here. `koryu ingest` uses the defaults; tests and `read_pdf(settings=…)`
may override fields by name.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any


@dataclass
class TableSettings:
    """Knobs for table reading. Lengths in PDF points (1/72 inch); "× size" = times the glyph's font size.

    snap_tolerance / join_tolerance: passed to pdfplumber's cell finder; min_rule_length: shorter rules are
    ignored; white_luminance: 0–1, rules and fills at least this light are invisible (not borders, not
    shading); white_text_luminance: text at least this light is invisible (0.98: a pale grey is still read);
    hairline_ratio: a rule thinner than this fraction of the page's typical rule width, and lighter than
    hairline_grey (0–1 luminance), is decoration; dedupe_tolerance: glyphs drawn again within this distance
    (fake bold) are dropped; glyph_overlap: two different glyphs on a line overlapping by more than this share of
    the narrower one's width are text printed over text; thin_rect: a filled rectangle this thin is a rule drawn as a rectangle;
    long_rule: vertical rules at least this fraction of the longest one bound the table; band_tolerance:
    cells whose tops are this close are one band, and a cell this close to the table's top or bottom
    touches it; boundary_tolerance: column boundaries this close are one; open_side: horizontal rules that
    reach this far past the outermost vertical rule mean the drawing left that side open.

    Text on a line: line_overlap (× size): glyphs whose centres are this close vertically share a line;
    stack_neighbour (× size): a glyph with a neighbour this close on its line is not written one per line;
    stack_offset / stack_gap (× size): how far a one-per-line glyph may be from the one above, sideways and
    below it; first_line_reach (× size): a label whose centre is this far below its row's first line's top
    (and its top not above it) stands on that line (a label set smaller or lower on its baseline). phrase_gap (× size): white this wide splits a line outside the table into phrases (a title and
    自治体コード順 on one line). Tables without vertical rules: word_gap (× size) separates header words; column_gap (× size):
    a white stripe this wide through the body separates columns, and where the text of two columns touches, an edge at
    least aligned_runs runs of text start flush on does; shift_reach (× size): on a page without a header, a
    previous page's column boundary that runs through this page's text moves this far at most, onto white; row_gap (× size): white between text lines
    at least this tall separates rows when neither rules nor shading do (and does so whatever taller bands
    there are when a column's wrapped lines touch: line_touch (× size), no white between them); table_end_gap (× size): a white
    band this tall ends the table, and so does a note (※ …) starting no further than note_indent (× size) right of
    the body's left; cell_pad: white kept around text when rows and columns become rules;
    cell_line_gap (× size): white at least this tall between two lines of one department or period cell parts
    two texts (the rest of a row cut by a page break above the next row's own: two rows read as one), and so
    does white at least cell_word_gap × size wide between two glyphs of one of its lines (the next column's
    text read into the cell);
    header_reach (× size): lines this close to the header line that hold titles only are part of it (交流自治体名
    over 県 | 市区町); header_row_reach (× size): a header's next row may stand this far below the one above it;
    row_gap_jump: the first white band between lines this many times taller than the next smaller one
    starts the bands that separate rows (a cell's wrapped lines are the smallest); known_row_gap: in a shaded table a
    band separates rows only when at least this share of the narrowest white across its shading edges, when
    the fills are at least zebra_share of the rows (a zebra, not shaded headings alone); vertical_pitch: text is written top
    to bottom when its glyphs follow each other closer than this fraction of the distance between columns.

    Slack and counts: edge_slack (pt): a point or an edge this far past a cell's edge is still on it (producers
    round coordinates; a rule is drawn with a width); solid_overlap (pt): glyphs set solid abut, their boxes
    meeting up to rounding — one starting further into the box before it is printed over it; column_share: a column of a page without a header takes the previous page's role when it
    overlaps that column by at least this share of its width; min_cells: a cell finder's table with fewer cells
    is no table; open_side_rules / open_side_share: horizontal rules running on past the outermost vertical rule
    close that side when at least this many reach a common end over at least this share of the table's height;
    min_row_rules / min_row_fills: a table without vertical rules takes its rows from its horizontal rules (or
    shading bands) when its body has at least this many; header_lines_around: how many text lines above and
    below the header line may belong to it (a heading over sub-headings).
    """

    snap_tolerance: float = 3.0
    join_tolerance: float = 3.0
    min_rule_length: float = 3.0
    white_luminance: float = 0.97
    white_text_luminance: float = 0.98
    hairline_ratio: float = 0.35
    hairline_grey: float = 0.25
    dedupe_tolerance: float = 1.0
    glyph_overlap: float = 0.3
    thin_rect: float = 2.5
    long_rule: float = 0.5
    band_tolerance: float = 2.0
    boundary_tolerance: float = 1.5
    open_side: float = 6.0
    line_overlap: float = 0.45
    first_line_reach: float = 1.2
    stack_neighbour: float = 1.6
    stack_offset: float = 0.3
    stack_gap: float = 0.6
    word_gap: float = 1.0
    phrase_gap: float = 2.0
    column_gap: float = 0.3
    aligned_runs: int = 3
    shift_reach: float = 2.0
    row_gap: float = 0.5
    line_touch: float = 0.1
    table_end_gap: float = 3.0
    note_indent: float = 3.0
    cell_pad: float = 2.0
    cell_line_gap: float = 1.0
    cell_word_gap: float = 3.0
    header_reach: float = 1.8
    header_row_reach: float = 3.5
    row_gap_jump: float = 1.5
    known_row_gap: float = 0.8
    zebra_share: float = 0.3
    vertical_pitch: float = 0.95
    edge_slack: float = 1.0
    solid_overlap: float = 0.1
    column_share: float = 0.5
    min_cells: int = 4
    open_side_rules: int = 3
    open_side_share: float = 0.5
    min_row_rules: int = 2
    min_row_fills: int = 2
    header_lines_around: int = 2

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


DEFAULT = TableSettings()
