"""Labels across the whole document: each row's municipality, from the label cells of every page.

A merged label cell cut by page breaks shows its label on one page only (the first, the last, every page, or
drawn outside the visible page); `link_labels` follows each block across the breaks. Tables without a label
column name their municipalities in heading rows (`labels_from_headings`). A row cut by a page break is joined
again (`merge_split_rows`).
"""

from __future__ import annotations

import re

from ingest.labels import heading_name, resolve
from ingest.rows import CONNECTOR_END, DITTO_MARKS, ERA_START, Row, combine_labels, is_count
from ingest.table import PageTable, Segment
from store.normalize import fold


def link_labels(tables: list[PageTable]) -> list[Row]:
    """Give every row its printed municipality label, following merged cells across page breaks.

    Labels by evidence: a row's label is what its own label cell shows (merged over many rows or not), or —
    for a block a page break cut — what the same block shows across the break. Per municipality column, an
    empty label cell takes, in order: the label its clipped glyphs show (drawn above the page → the block from
    the previous page; below → the next page's), the previous page's last label when the cell is the first on
    its page and the break continues the block, the next page's first label when the cell is the last on its
    page. An empty cell of its own mid-page is no evidence: its rows keep no label and the checks refuse them
    (`fill_down` is only for rows stored flagged with --force). Heading rows are `labels_from_headings`.
    """
    tables = [t for t in tables if t.rows]
    n_cols = max((len(t.segments) for t in tables), default=0)
    for k in range(n_cols):
        seq = [s for t in tables for s in (t.segments[k] if k < len(t.segments) else [])]
        for i, s in enumerate(seq):
            s.label, s.how = (s.text, "printed") if s.text else ("", "")
            if s.text in DITTO_MARKS:  # 〃 / 同上: as the label above, said in the cell itself
                s.label, s.how = (seq[i - 1].label, "ditto") if i and seq[i - 1].label else ("", "")
        # an empty cell whose rows already carry a full name in another column needs nothing: the empty
        # 県 cells of 石川県金沢市's rows must not borrow 熊本県 from a block across the page break
        done = {id(s) for s in seq if not s.text and _named_elsewhere(s, tables)}
        # rows naming just a prefecture elsewhere are that prefecture's own records (熊本県 | empty): their
        # empty city cell at a page's foot must not take the next page's city
        prefecture_rows = {id(s) for s in seq if not s.text and _named_elsewhere(s, tables, prefecture_alone=True)}
        _join_cut_label(seq, tables)
        _from_clipped_glyphs(seq, done)
        claimed = _from_previous_page(seq, done | prefecture_rows, tables, k)
        _from_next_page(seq, done | prefecture_rows | claimed)
        _undecided(seq, prefecture_rows, tables, k)
    rows = _rows_with_labels(tables)
    for row in rows:
        row.printed_name = combine_labels(row.labels)
    continue_departments(tables)
    return rows


def continue_departments(tables: list[PageTable]) -> None:
    """A department cell merged over rows that a page break cut, empty on the new page: its rows take the
    department of the previous page's last cell, which reached that page's foot (the same evidence as a
    label's block continuing at the top of a page)."""
    for prev, table in zip(tables, tables[1:]):
        if table.department_from_above and prev.department_runs_on and prev.rows and prev.rows[-1].department:
            for i in table.department_from_above:
                row = table.rows[i]
                if not row.department and row.period_text:  # a row of its own (the rest of a cut row has none)
                    row.department = prev.rows[-1].department


def _join_cut_label(seq: list[Segment], tables: list[PageTable]) -> None:
    """A label cell a page break cut through its lines (広島県 at one page's foot, 福山市 at the next one's
    top) over a row the break cut too (its period R7.11.15～ / 11.16, a bracket left open: `_cells_cut`): the
    two cells are one, and every row of both takes the two parts joined, when they name a municipality
    exactly (`ingest.labels.resolve`); how is "joined-at-break". The row's two parts are joined later
    (`merge_split_rows`)."""
    by_page = {t.page: t for t in tables}
    for s, t in zip(seq, seq[1:]):
        if s.page == t.page or not (s.touches_bottom and t.touches_top and s.text and t.text):
            continue
        above, below = by_page.get(s.page), by_page.get(t.page)
        if above is None or below is None or len(above.rows) - 1 not in s.rows or 0 not in t.rows:
            continue
        joined = s.text + t.text
        found = resolve(joined)
        if found.municipality is not None and found.method == "exact" and _cells_cut(above.rows[-1], below.rows[0]):
            s.text = t.text = s.label = t.label = joined
            s.how = t.how = "joined-at-break"


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


def _from_previous_page(seq: list[Segment], done: set[int], tables: list[PageTable], column: int) -> set[int]:
    """An empty block at the top of a page continues the previous page's block — not one that fills its page,
    when the next page's first block prints another label and runs on from this one: each side could be it,
    so it keeps no label (its rows are refused). column: the label column's index (`_break_continues`).
    Returns the ids of those blocks."""
    claimed: set[int] = set()
    for i, s in enumerate(seq):
        if s.label or not s.touches_top or i == 0 or id(s) in done:
            continue
        prev = seq[i - 1]
        if prev.page != s.page and prev.touches_bottom and prev.label and _break_continues(tables, s.page, column):
            nxt = seq[i + 1] if i + 1 < len(seq) else None
            if s.touches_bottom and nxt and nxt.page != s.page and nxt.touches_top and nxt.text and nxt.text != prev.label:
                claimed.add(id(s))  # a block filling its page between two labels: no evidence says which
                continue
            s.label, s.how = prev.label, "from-previous-page"
    return claimed


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


def _undecided(seq: list[Segment], prefecture_rows: set[int], tables: list[PageTable], column: int) -> None:
    """An empty city cell at a page's foot beside a prefecture's label (熊本県 | empty), when the next page's
    first city cell is labelled and starts at its top, its row printing no other prefecture (福岡県 | 北九州市
    after 愛知県 | empty is another block): the prefecture's own record, or the first row of the city's block
    cut by the break and labelled on the next page — nothing on the page tells which. Its rows are marked
    "undecided" (`ingest.checks` refuses them) rather than guessed. column: the city column's index."""
    by_page = {t.page: t for t in tables}
    for s, nxt in zip(seq, seq[1:]):
        if id(s) not in prefecture_rows or s.label or not s.touches_bottom or nxt.page == s.page:
            continue
        if not (nxt.touches_top and nxt.label):
            continue
        above, below = by_page[s.page], by_page[nxt.page]
        others = [j for j in range(min(len(above.segments), len(below.segments))) if j != column]
        prefecture = {j: next((o.label for o in above.segments[j] if s.rows[-1] in o.rows), "") for j in others}
        first = {j: next((o.text for o in below.segments[j] if nxt.rows[0] in o.rows), "") for j in others}
        if all(not first[j] or first[j] == prefecture[j] for j in others):
            s.how = "undecided"


def spans_the_table(row: Row) -> bool:
    """True for a row that is one cell across the table: the same text in 事業内容, 所管課 and 実施期間."""
    texts = {re.sub(r"\s+", "", t) for t in (row.description, row.department, row.period_text)}
    return len(texts) == 1 and bool(next(iter(texts)))


def heading_label(row: Row) -> str:
    """The municipality a heading row names: one cell across the whole table, so the same text in 事業内容,
    所管課 and 実施期間, naming a municipality (`heading_name`); else ""."""
    if not spans_the_table(row) or row.labels and any(row.labels):
        return ""
    return heading_name(row.description)


def labels_from_headings(rows: list[Row]) -> list[Row]:
    """A table without a label column, whose municipalities are heading rows across its width: each heading
    labels the rows under it, up to the next, and is dropped. A row above the first heading, or under a
    heading naming no municipality, keeps no label (and is refused by the checks). Tables with a label column are left as they are."""
    if any(r.printed_name for r in rows):
        return rows
    out: list[Row] = []
    current = ""
    for row in rows:
        name = heading_label(row)
        if name:
            current = name
            continue
        if spans_the_table(row):
            current = ""  # a heading that names no municipality: what follows is under none we know
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
                if seg and (seg.label or seg.how == "undecided"):
                    how.append(seg.how)
            row.label_how = ",".join(sorted(set(how)))
            rows.append(row)
    return rows


def fill_down(rows: list[Row], which: set[int]) -> None:
    """Rows `which` (indexes), read without a label, take the label of the row above them — only for rows
    stored flagged (`--force`): an empty cell is no evidence of a municipality (`link_labels`)."""
    previous = ""
    for i, row in enumerate(rows):
        if i in which and not row.printed_name and previous:
            row.printed_name, row.label_how = previous, "fill-down"
        previous = row.printed_name or previous


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


def _break_continues(tables: list[PageTable], page: int, column: int) -> bool:
    """At the break before `page`: every label printed at the new page's top in `column` or a column left of
    it repeats the one above it. A label column to the right is finer (県 | 市区町): a new city at the top does
    not end the prefecture's block, whose cell spans both cities."""
    cur = next((t for t in tables if t.page == page), None)
    prev = next((t for t in reversed(tables) if t.page < page), None)
    if cur is None or prev is None:
        return False
    for k in range(min(len(cur.segments), len(prev.segments), column + 1)):
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


_OPENING, _CLOSING = "（「『【〔〈《([", "）」』】〕〉》)]"


def _opened(text: str) -> int:
    """How many brackets the text leaves open (negative: closes more than it opens)."""
    return sum(text.count(c) for c in _OPENING) - sum(text.count(c) for c in _CLOSING)


def _joined_label(prev: Row, row: Row) -> str:
    """The two halves of a label cut by a page break, joined: column by column (石川 | 金沢市 over 県 | ‑ →
    石川県金沢市), or as printed when the columns differ."""
    if len(prev.labels) == len(row.labels) > 0:
        return combine_labels([a + b for a, b in zip(prev.labels, row.labels)])
    return prev.printed_name + row.printed_name


def _label_cut(before: list[Row], after: list[Row], row: Row) -> bool:
    """True when the page's first row and the previous page's last row (before[-1]) print two halves of one
    label (島根県 / 津和野町): together they are the label of the row above the first half or of the row
    under the second — the block around the break — or, when the row's other cells were cut too (its period
    R6.8.29～ / 8.30, a bracket left open), a municipality's exact name (愛知県 / 稲沢市); while neither half is
    that label. before: the rows so far, on earlier pages; after: the row under `row` (or none)."""
    prev = before[-1]
    if not prev.printed_name or not row.printed_name:
        return False
    joined = fold(_joined_label(prev, row))
    if fold(prev.printed_name) == joined or joined == fold(row.printed_name):
        return False
    around = [r for r in (before[-2:-1] + after) if r.page in (prev.page, row.page)]
    if any(fold(r.printed_name) == joined for r in around):
        return True
    found = resolve(joined)
    return found.municipality is not None and found.method == "exact" and _cells_cut(prev, row)


def _cells_cut(prev: Row, row: Row) -> bool:
    """True when the page's first row goes on with the previous page's last: its period cut, a bracket the
    first part opens and the second closes, or its department cut (アカデミー推 / 進課: the first part no
    department's ending, the two together one)."""
    return period_cut(prev, row) or _bracket_cut(prev, row) or _department_cut(prev, row)


def _department_cut(prev: Row, row: Row) -> bool:
    """True when the department's name runs on over the break: the first part ends as no department does
    (_DEPARTMENT_ENDINGS), the second part completes it."""
    first, rest = prev.department.strip(), row.department.strip()
    return bool(first and rest) and not first.endswith(_DEPARTMENT_ENDINGS) and (first + rest).endswith(_DEPARTMENT_ENDINGS)


def period_cut(prev: Row, row: Row) -> bool:
    """True when the second part's period goes on with the first's (R6.10.1～ / 12.31, 「…・」 / 3.2, R6.10.23 /
    （昭和小）): no date of its own to start with (R6.6.17～ then R6.8.1 are two rows)."""
    undated_start = bool(row.period_text) and not ERA_START.match(row.period_text)
    goes_on = CONNECTOR_END.search(prev.period_text) or row.period_text[:1].isdigit() or row.period_text[:1] in _OPENING
    return bool(prev.period_text and undated_start and goes_on)


def _bracket_cut(prev: Row, row: Row) -> bool:
    """True when the first part's description, or its period (R6.10.23（昭 / 和小）), leaves a bracket open that
    the second closes."""
    return any(
        _opened(a) > 0 and _opened(b) < 0 for a, b in ((prev.description, row.description), (prev.period_text, row.period_text))
    )


def _join_parts(prev: Row, row: Row) -> None:
    """Append the second part of a row cut by a page break to the first (in place): description and period
    run on (a period's dated item of its own on its own line), the department added unless it repeats."""
    prev.description += row.description
    if row.department and row.department != prev.department:
        prev.department += row.department
    if row.period_text and prev.period_text and ERA_START.match(row.period_text):
        prev.period_text += "\n" + row.period_text  # a dated item of its own, on its own line
    else:
        prev.period_text += row.period_text


# how a department's name ends (アカデミー推進課, 真砂中央図書館, 区民室 …): a part of one that does not is cut
_DEPARTMENT_ENDINGS = ("課", "館", "室", "局", "部", "所", "係", "センター", "園", "校", "会")


def merge_split_rows(rows: list[Row]) -> list[Row]:
    """A row cut by a page break arrives as two rows of one municipality, the second at the new page's top:
    joined when a part lacks both department and period; when the period itself was cut (the first part ends
    「R6.10.1～」 or 「…・」, or the second goes on 「12.31」 / 「0～5.31」 with no date of its own to start with); or
    when the first part's description leaves a bracket open that the second closes (「…書簡 / 集5…」の提供); or
    when the second part holds only the rest of the other cells (真砂中央図書 / 館), no description, or only a
    dated line of the period cell (R6.10.23（昭和小） / R6.10～12, kept on its own line); or when it
    holds the rest of the description and of a cut department (アカデミー / 推進課) but no period, the first
    part's period whole; or when the label itself was cut (`_label_cut`, or `_join_cut_label` for the
    label cell's lines)."""
    out: list[Row] = []
    for i, row in enumerate(rows):
        if out and out[-1].page != row.page and _label_cut(out, rows[i + 1 : i + 2], row):
            prev = out[-1]  # the label itself was cut (島根県 / 津和野町): one row, whatever its other cells show
            prev.printed_name = _joined_label(prev, row)
            if len(prev.labels) == len(row.labels):
                prev.labels = [a + b for a, b in zip(prev.labels, row.labels)]
            _join_parts(prev, row)
            continue
        first = i > 0 and rows[i - 1].page != row.page  # the page's first row, under the previous page's last
        if first and out and "joined-at-break" in out[-1].label_how and "joined-at-break" in row.label_how:
            _join_parts(out[-1], row)  # the label cut through its lines over this row (`_join_cut_label`)
            continue
        continues = bool(out) and out[-1].page != row.page and out[-1].printed_name == row.printed_name
        if continues and out[-1].description and not row.description and (row.department or row.period_text):
            prev = out[-1]  # the rest of a cut row's other cells only (真砂中央図書 / 館): no description of its own
            if not ERA_START.match(row.period_text) and not is_count(row.department) and not is_count(row.period_text):
                prev.department += row.department if row.department != prev.department else ""
                prev.period_text += row.period_text
                continue
            if ERA_START.match(row.period_text) and row.department in ("", prev.department) and prev.period_text:
                # only a dated line (R6.10～12): the period cell's next item, on its own line as in the cell —
                # or the end of a range the first part opens (R6.4.1～ / R7.3.31)
                prev.period_text += ("" if CONNECTOR_END.search(prev.period_text) else "\n") + row.period_text
                continue
        if continues and out[-1].description and row.description and out[-1].period_text and not row.period_text:
            prev = out[-1]  # the rest of a row's description and department, its period whole on the first part
            if not row.department or not prev.department.endswith(_DEPARTMENT_ENDINGS):
                _join_parts(prev, row)
                continue
        if (
            out
            and out[-1].page != row.page
            and out[-1].printed_name == row.printed_name
            and row.description
            and out[-1].description
        ):
            prev = out[-1]
            prev_incomplete = not prev.department and not prev.period_text
            this_incomplete = not row.department and not row.period_text
            cut, bracket_cut = period_cut(prev, row), _bracket_cut(prev, row)
            lines = row.period_text.split("\n")
            own = next((k for k in range(1, len(lines)) if ERA_START.match(lines[k])), None)
            # (not when the part repeats the row's department: the page's first row is the cut row's rest, its
            # description's and its period's, whose second dated item is its own — R6.10.23 / （昭和小） R6.10～12)
            same = bool(row.department) and row.department == prev.department
            if cut and own is not None and not (prev_incomplete or this_incomplete or bracket_cut or same):
                # the rest of the cut period (11.16), then a dated line of the next row's own (R6.11.3): the page's
                # first row has no description, so its period's rest stood in the next row's cell
                prev.period_text += "".join(lines[:own])
                row.period_text = "\n".join(lines[own:])
                out.append(row)
                continue
            if prev_incomplete or this_incomplete or cut or bracket_cut:
                _join_parts(prev, row)
                continue
        out.append(row)
    return out
