"""Glyphs their clipping path hides, in whole or in part (ingest/clips.py), on real PDFs drawn with reportlab:
a spreadsheet clips a merged label to its cell's part on the page, so the text layer holds glyphs no reader
sees (under the header) and glyphs cut in half at a page break."""

from __future__ import annotations

import io
from pathlib import Path

import pdfplumber
import pytest

from ingest.clips import NONE, READABLE, clipped_shares
from ingest.glyphs import visible_chars
from ingest.settings import DEFAULT

SIZE = 12.0


def _clipped_pdf(path: Path, rotate: int = 0) -> Path:
    """One page: 熊本県 inside its clip, 北海道 wholly outside its clip (drawn over the header word 都道府),
    香取市 with the lower part of its line clipped away."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("HeiseiKakuGo-W5"))
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setPageRotation(rotate)
    height = A4[1]

    def clipped_text(text: str, x: float, baseline: float, clip: tuple[float, float, float, float]) -> None:
        c.saveState()
        p = c.beginPath()
        p.rect(*clip)
        c.clipPath(p, stroke=0, fill=0)
        c.setFont("HeiseiKakuGo-W5", SIZE)
        c.drawString(x, baseline, text)
        c.restoreState()

    c.setFont("HeiseiKakuGo-W5", SIZE)
    c.drawString(100, height - 100, "都道府")  # the header word, not clipped
    clipped_text("熊本県", 100, height - 200, (90, height - 210, 80, 30))
    clipped_text("北海道", 100, height - 100, (90, height - 400, 80, 100))  # its cell is far below it
    # the clip starts a third of the way up the glyphs: their foot and lower part are cut away
    clipped_text("香取市", 100, height - 300, (90, height - 300 + 0.3 * SIZE, 80, 60))
    c.showPage()
    c.save()
    return path


def _by_text(page) -> dict[str, float]:
    shares = clipped_shares(page)
    return {c["text"]: shares[id(c)] for c in page.chars if id(c) in shares}


@pytest.mark.parametrize("rotate", [0, 90, 180, 270])
def test_glyphs_a_clip_hides_or_cuts_are_told_from_glyphs_it_shows(tmp_path, rotate):
    with pdfplumber.open(_clipped_pdf(tmp_path / "clipped.pdf", rotate)) as pdf:
        shares = _by_text(pdf.pages[0])
    assert set(shares) == set("北海道香取市"), shares  # 熊本県 and the header word show whole
    assert all(shares[t] <= NONE for t in "北海道"), shares
    assert all(NONE < shares[t] < READABLE for t in "香取市"), shares


def test_visible_chars_drops_hidden_glyphs_and_marks_cut_ones(tmp_path):
    with pdfplumber.open(_clipped_pdf(tmp_path / "clipped.pdf")) as pdf:
        inside, _ = visible_chars(pdf.pages[0], DEFAULT)
    text = "".join(c.text for c in inside)
    assert "北" not in text and "海" not in text  # hidden: not printed over 都道府
    assert "都道府" in text and "熊本県" in text
    assert [c.text for c in inside if c.clipped] == list("香取市")


def test_a_file_pdfium_cannot_open_has_no_clip_information(tmp_path):
    path = _clipped_pdf(tmp_path / "clipped.pdf")
    with pdfplumber.open(path) as pdf:
        pdf.stream = io.BytesIO(b"not a pdf")  # what PDFium is given: bytes it cannot parse
        assert clipped_shares(pdf.pages[0]) == {}
