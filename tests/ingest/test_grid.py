"""Finding a table's cells (ingest.grid and its rooms) on real PDF pages: the grid the rules draw first, the one
the text implies when the rules do not draw one, and how each says it was found."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest

from ingest.glyphs import visible_chars
from ingest.grid import candidate_grids
from ingest.settings import DEFAULT

LAYOUTS = Path(__file__).parents[1] / "fixtures" / "layouts"


def grids(pdf_path: Path, page_no: int = 0):
    with pdfplumber.open(pdf_path) as pdf:
        page = pdf.pages[page_no]
        chars, _ = visible_chars(page, DEFAULT)
        return list(candidate_grids(page, chars, DEFAULT, None)), chars


def columns(grid) -> int:
    """Distinct left edges of the grid's cells: its columns."""
    return len({round(c.x0) for c in grid.cells})


def test_a_ruled_table_gives_its_ruled_grid_first(sample_report_pdf):
    found, chars = grids(sample_report_pdf)
    first = found[0]
    assert (first.rows_from, first.columns_from) == ("rules", "rules")
    assert columns(first) >= 4  # 交流自治体名 (one or two label columns), 事業内容, 所管課, 実施期間
    x0, top, x1, bottom = first.bbox
    inside = [c for c in chars if x0 <= c.x0 and c.x1 <= x1 and top <= c.top and c.bottom <= bottom]
    assert len(inside) > len(chars) * 0.8  # the table holds the page's text, its title and page number aside


@pytest.mark.parametrize(
    "name,rows_from",
    [("no-rules-shaded-rows.pdf", "shading"), ("no-rules-spacing.pdf", "spacing"), ("horizontal-rules-only.pdf", "rules")],
)
def test_a_table_without_vertical_rules_gets_its_columns_from_the_text(name, rows_from):
    found, _ = grids(LAYOUTS / name)
    text = [g for g in found if g.columns_from == "text"]
    assert text, [(g.rows_from, g.columns_from) for g in found]
    assert text[0].rows_from == rows_from and columns(text[0]) >= 4
