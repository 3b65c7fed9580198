"""Several lists in one PDF: the 協定等締結自治体 list, then 「…（協定等締結自治体以外）」 on a new page or under
the first on the same page. Each list becomes its own report (its own title and series).

A list starts where a title stands: the title above the first table, a title above a later page's table
that names another list (a running header repeating the same title is the same list), a title at the foot of
a page (its table begins on the next), or a heading between two tables stacked on one page that is a title. A title is a line naming a fiscal year or a list (一覧,
実績, 報告; `store.titles.title_of`); other headings (２　その他の自治体) stay within their list.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ingest.table import PageTable, Segment
from store.titles import fiscal_year_of, is_list_title, series_of

# a title continued on the next page names the same list: 「…（続き）」, 「…(つづき)」, 「…（続）」
_CONTINUED = re.compile(r"[（(]\s*(?:続き?|つづき|継続)\s*[）)]|続き$")


def _key(title: str) -> tuple[int | None, str]:
    """Which list a title names: (fiscal year or None, series without a 続き mark)."""
    return fiscal_year_of(title), series_of(_CONTINUED.sub("", title))


def _title_above(table: PageTable) -> str:
    """The list title among the lines above a page's table, or ""."""
    from store.titles import title_of

    title = title_of(table.above)
    return title if title and is_list_title(title) else ""


def split_at(table: PageTable, y: float) -> tuple[PageTable, PageTable]:
    """A page's table cut at height y (a heading between two stacked tables): the rows above and below, each
    with the label segments of its own rows (row indexes renumbered)."""

    def part(upper: bool) -> PageTable:
        rows = [(i, r) for i, r in enumerate(table.rows) if (r.top < y) == upper]
        new_index = {old: new for new, (old, _) in enumerate(rows)}
        segments: list[list[Segment]] = []
        for column in table.segments:
            kept = []
            for s in column:
                mine = [new_index[i] for i in s.rows if i in new_index]
                if mine:
                    kept.append(replace(s, rows=mine))
            segments.append(kept)
        headings = [h for h in table.headings if (h[0] < y) == upper]
        return replace(table, rows=[r for _, r in rows], segments=segments, headings=headings)

    return part(True), part(False)


def split_lists(tables: list[PageTable]) -> list[tuple[str, list[PageTable]]]:
    """The pages' tables grouped into lists, in order: [(title, tables)]. The first list's title is the
    title above the first table ("" if none); a later title that names another list starts a new one, at its
    page or at its heading's height within a page."""
    lists: list[tuple[str, list[PageTable]]] = []
    pending = ""  # a list's title printed at the foot of a page, its table on the next
    for table in tables:
        title = _title_above(table) or pending
        pending = next((line for line in table.below if is_list_title(line)), "")
        if not lists:
            lists.append((title, []))
        elif title and _key(title) != _key(lists[-1][0]):
            lists.append((title, []))
        rest = table
        for y, heading in table.headings:
            if is_list_title(heading) and _key(heading) != _key(lists[-1][0]):
                upper, rest = split_at(rest, y)
                if upper.rows:
                    lists[-1][1].append(upper)
                lists.append((heading, []))
        lists[-1][1].append(rest)
    return [(title, [t for t in group if t.rows]) for title, group in lists if any(t.rows for t in group)]
