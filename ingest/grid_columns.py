"""The columns of a table drawn without vertical rules: the white stripes that run down through its body, each
moved to where the header and the body agree, never through a glyph or a word; the ends of drawn horizontal
rules; text hanging over a column edge (。、) kept with its line."""

from __future__ import annotations

import itertools
import re
import statistics
from collections.abc import Iterator

from ingest.cells import PageRules
from ingest.glyphs import NO_LINE_START, Char, Word, hangs_over, lines_of, words_of
from ingest.labels import heading_name
from ingest.roles import column_roles
from ingest.rows import is_count, is_total_word
from ingest.settings import TableSettings

# punctuation a line may hang past its measure (JIS X 4051 ぶら下げ: 。、), and closing brackets a
# cell's text runs a little past its edge with (an overflow of part of a glyph, read by its centre)
HANGING = frozenset("。、，．」』）〕】")


def ink_runs(chars: list[Char], settings: TableSettings, gap: float, measure: bool = False) -> list[tuple[float, float]]:
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
    wherever the boundary falls) — a glyph they cut is no guess. fills: the page's cell fills (`shading_fills`):
    text standing between two white stripes under neither title belongs to the column whose cell fill ends
    in one of the stripes, else the stripe where the left column ends when the header's titles stand centred
    over their columns (`_titles_centred`) and the left column's title is centred between its left boundary
    and that stripe alone. before: the previous page's boundaries under the same titles, or None: a boundary
    this page leaves to guess is the previous page's where that runs through this page's white; where both
    run through white with a text standing apart between them, that text is a guess. Returns (the boundaries, the glyphs beside
    or under a guessed boundary: a reading to refuse, never to store)."""
    runs = ink_runs(body, settings, settings.column_gap * size)
    found = [_separator(a, b, body, runs, settings, size, drawn, fills) for a, b in zip(header, header[1:])]
    if any(glyphs for _, glyphs, _ in found):
        # where the glyphs leave a boundary to guess, the white beside the columns' measure: a 、 hung past a
        # description's line no longer closes the stripe before the next column (`ink_runs`, measure)
        measured = ink_runs(body, settings, settings.column_gap * size, measure=True)
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
    best = min(edges, key=lambda x: (len(glyphs_crossing(near, x, settings)), abs(x - middle)))
    # no white between the two columns' text: where one ends and the next begins is a guess (CJK glyphs
    # abut, so a line between any two of them cuts nothing) — the glyphs beside it are reported
    return best, glyphs_crossing(near, best, settings) or [c for c in near if abs(c.x1 - best) <= settings.edge_slack][:8], []


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
    crossed = {id(c) for c in glyphs_crossing(line, x, settings)}
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


def glyphs_crossing(chars: list[Char], x: float, settings: TableSettings) -> list[Char]:
    """The glyphs a vertical line at x runs through (not merely touches)."""
    return [c for c in chars if c.x0 + settings.edge_slack < x < c.x1 - settings.edge_slack]


def text_columns(
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
    (`shading_fills`). Returns (xs: left edge, boundaries, right edge in points; roles; glyphs a
    boundary cuts; the heading lines)."""
    body_chars = [c for line in body for c in line]
    size = statistics.median(c.size for c in body_chars)
    pad = settings.cell_pad
    cut: list[Char] = []
    headings = [] if labelled else [line for line in body if heading_name("".join(c.text for c in line))]
    # a total line's word may stand across columns (小計 centred over 県 | 市区町): it is measured by no column
    in_headings = {id(c) for line in headings for c in line}
    in_headings |= {id(c) for line in body if total_line(line, settings) for c in line}
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
    runs = ink_runs(plain, settings, settings.column_gap * size)
    plain_lines = lines_of(plain, settings)
    xs = _shift_into_white(xs, runs, settings, size)
    for x in xs[1:-1]:
        # a run of text across the boundary is this page's text cut, unless the boundary runs between two
        # of its glyphs where this page's column starts flush (at least aligned_runs runs start there)
        flush = sum(abs(a - x) <= settings.edge_slack * 2 for a, _ in runs) >= settings.aligned_runs
        for line in plain_lines:
            crossed = glyphs_crossing(line, x, settings)
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


def total_line(line: list[Char], settings: TableSettings) -> bool:
    """True for a line that is a total line: its words total words and counts (小計 7件), one of them a word."""
    words = [w.text for w in words_of(line, settings)]
    return any(is_total_word(w) for w in words) and all(is_total_word(w) or is_count(w) for w in words)
