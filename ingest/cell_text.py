"""Which cell each glyph of a page belongs to (`CellIndex`, `assign_chars`): by its centre, except a line wrapped
past a cell's right edge, punctuation hanging over a rule (。、), and a run that starts over a rule."""

from __future__ import annotations

import bisect
import unicodedata

from ingest.cells import Cell
from ingest.glyphs import (
    NO_LINE_START,
    Char,
    lines_of,
    stacks,
)
from ingest.settings import DEFAULT, TableSettings


class CellIndex:
    """Point → smallest cell containing it, via the grid of all cell boundaries (bisect, not a scan)."""

    def __init__(self, cells: list[Cell]):
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
    """Map each char to the cell holding its centre ({cell index: chars}; chars in no cell are left out); a
    one-per-line stack goes whole to its majority cell, when it has one (see `_titles_run_on` for one that
    starts in a header)."""
    index = CellIndex(cells)
    found = {id(c): index.at(c.cx, c.cy) for c in chars}
    _hanging_punctuation(chars, found, index, settings)
    _run_start_over_rule(cells, chars, found, settings)
    where = {k: cell for k, cell in found.items() if cell is not None}
    in_table = [c for c in chars if id(c) in where]
    out: dict[int, list[Char]] = {}
    placed: set[int] = set()
    for stack in stacks(in_table, settings):
        members = {id(c) for c in stack}
        votes: dict[int, int] = {}
        for c in stack:
            votes[where[id(c)]] = votes.get(where[id(c)], 0) + 1
        first = where[id(stack[0])]
        target = max(votes, key=lambda k: (votes[k], k == first))
        if _wrapped_end(stack[0], [c for c in in_table if where[id(c)] == first and id(c) not in members], settings):
            continue  # its first glyph ends a wrapped line (課 of アカデミー推進 / 課, ― in the row under the
            # rule): no title written one per line — each glyph stays in its own cell
        for c in stack:
            out.setdefault(target, []).append(c)
            placed.add(id(c))
    for c in in_table:
        if id(c) not in placed:
            out.setdefault(where[id(c)], []).append(c)
    return out


def _wrapped_end(c: Char, others: list[Char], settings: TableSettings) -> bool:
    """True when glyph c is the last line of a cell's wrapped text: among the other glyphs of its cell, a line
    of two or more right above it (closer than stack_gap × size) starts where c does (within the slack)."""
    for line in lines_of(others, settings):
        gap = c.top - max(o.bottom for o in line)
        if len(line) >= 2 and 0 <= gap < settings.stack_gap * c.size and abs(line[0].x0 - c.x0) <= settings.edge_slack:
            return True
    return False


def _hanging_punctuation(chars: list[Char], found: dict[int, int | None], index: CellIndex, settings: TableSettings) -> None:
    """A glyph a line may not start with (。」）ー: 行頭禁則), drawn right after its line's last glyph in the cell
    on the left but past that cell's edge (ぶら下がり), belongs to that line, not to the cell beside it.
    Changes `found` (glyph id → cell index) in place."""
    slack = settings.edge_slack
    for line in lines_of(chars, settings):
        for before, c in zip(line, line[1:]):
            if abs(c.x0 - before.x1) > slack or abs(c.bottom - before.bottom) > slack:
                continue  # not the glyph drawn right after it on the same baseline
            if found.get(id(c)) == found.get(id(before)) or found.get(id(before)) is None:
                continue
            if c.text in NO_LINE_START or unicodedata.category(c.text[:1]) in ("Pe", "Pf"):
                found[id(c)] = found[id(before)]


def _run_start_over_rule(cells: list[Cell], chars: list[Char], found: dict[int, int | None], settings: TableSettings) -> None:
    """The first glyph of a run of text drawn across the rule on its left (a centred period wider than its
    cell: the R of R6.10.12～… standing a quarter or more of its width past the rule, its centre on the
    other side) belongs to the run it starts — the cell the glyph right after it, touching it, lies in — when
    nothing touches it on the left. Changes `found` (glyph id → cell index) in place."""
    slack = settings.edge_slack
    for line in lines_of(chars, settings):
        for before, c, after in zip([None, *line], line, [*line[1:], None]):
            if after is None or abs(after.x0 - c.x1) > slack or abs(after.bottom - c.bottom) > slack:
                continue  # not touching the glyph drawn right after it on the same baseline
            if before is not None and c.x0 - before.x1 <= slack:
                continue  # not a run's first glyph
            mine, theirs = found.get(id(c)), found.get(id(after))
            if mine is None or theirs is None or mine == theirs:
                continue
            edge = cells[mine].x1  # the rule between the two cells
            if c.cx < edge < c.x1 - slack and c.x1 - edge >= (c.x1 - c.x0) / 4:
                found[id(c)] = theirs
