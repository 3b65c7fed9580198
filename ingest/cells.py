"""A table's cells as the PDF draws them: the page's ruling lines (`page_rules`; thin filled rectangles count as
rules too), edges made from coordinates, and pdfplumber's cell finder over them. The grid readers (`ingest.grid`
and its header, column and row modules) build on these; nothing here knows a coordinate of any one file."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from ingest.glyphs import Char, luminance, visible_area
from ingest.settings import TableSettings


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


def make_edge(x0: float, top: float, x1: float, bottom: float) -> dict:
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


def cells_of(page, vertical: list[dict], horizontal: list[dict], settings: TableSettings) -> list[tuple[tuple, list[Cell]]]:
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


def snapped(edge: dict, xs: list[float]) -> dict:
    """A horizontal rule or fill edge with its ends moved to the nearest column boundaries: a fill or a rule
    ends where its column really ends, a little off the boundary read from the text."""
    x0 = min(xs, key=lambda x: abs(x - edge["x0"]))
    x1 = min(xs, key=lambda x: abs(x - edge["x1"]))
    if x1 <= x0:
        return edge
    return {**edge, "x0": x0, "x1": x1, "width": x1 - x0}
