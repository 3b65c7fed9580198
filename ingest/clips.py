"""How much of each glyph its clipping path lets show.

pdfminer (under pdfplumber) ignores clipping paths (the `W` operator), so a glyph drawn where its clip hides
it comes out of the text layer like any other. Spreadsheet producers clip every cell's text to its cell: a
label merged over rows that a page break cut is drawn at its place in the whole merged cell and clipped to
this page's part of it — on one page it may stand under the header, hidden, printed over the header's titles
in the text layer; on another it is cut in half at the page's edge. PDFium (pypdfium2, already pdfplumber's
renderer) gives each glyph's text object and that object's clip path; a glyph's visible share is the part
of its box inside every path of its clip (each path's bounding box: a superset of the path, so a share is
never under-counted).

Dependency choice: pypdfium2 rather than our own content-stream interpreter over pikepdf (text matrices,
graphics-state stack, Form XObjects: a PDF renderer's work, not this project's).
"""

from __future__ import annotations

import ctypes
import io
import math
import weakref
from typing import Any

# a visible share at least this is read: two thirds of a glyph's box (its loose box: ascent to descent, a
# little taller than its em square) shows what it is — a line of text a little taller than its cell, its
# foot cut by the cell's edge; less is a glyph cut off, what it says unsure
READABLE = 2 / 3
# a visible share at most this is not read, as if hidden: a sliver of a glyph whose larger part shows where
# the rest of its cell is drawn (a label split by a page break, two thirds on one page, a third on the next);
# between NONE and READABLE a glyph is cut off on both sides and its cell is refused
NONE = 1 / 3

_documents: weakref.WeakKeyDictionary[Any, Any] = weakref.WeakKeyDictionary()


def _pdfium_document(pdf: Any) -> Any | None:
    """pypdfium2's document of a pdfplumber PDF (opened once per PDF), or None when PDFium cannot open it."""
    if pdf in _documents:
        return _documents[pdf]
    import pypdfium2

    doc = None
    try:
        stream = pdf.stream
        data = stream.getvalue() if isinstance(stream, io.BytesIO) else None
        if data is None:
            position = stream.tell()
            stream.seek(0)
            data = stream.read()
            stream.seek(position)
        doc = pypdfium2.PdfDocument(data)
    except Exception:  # PDFium refuses some files pdfminer reads (damaged, encrypted): no clip information
        doc = None
    _documents[pdf] = doc
    return doc


def release(pdf: Any) -> None:
    """Close PDFium's document of a pdfplumber PDF, if one was opened (call when done with the PDF: PDFium
    keeps the file's bytes until then)."""
    doc = _documents.pop(pdf, None)
    if doc is not None:
        doc.close()


def _clip_boxes(clip: Any) -> list[tuple[float, float, float, float]]:
    """The bounding box (left, bottom, right, top in PDF user space) of each path of a PDFium clip path."""
    import pypdfium2.raw as raw

    out = []
    for i in range(raw.FPDFClipPath_CountPaths(clip)):
        xs, ys = [], []
        for j in range(raw.FPDFClipPath_CountPathSegments(clip, i)):
            segment = raw.FPDFClipPath_GetPathSegment(clip, i, j)
            x, y = ctypes.c_float(), ctypes.c_float()
            if raw.FPDFPathSegment_GetPoint(segment, x, y):
                xs.append(x.value)
                ys.append(y.value)
        if xs:
            out.append((min(xs), min(ys), max(xs), max(ys)))
    return out


def _share(box: tuple[float, float, float, float], clips: list[tuple[float, float, float, float]]) -> float:
    """The share (0–1) of a glyph's box (left, bottom, right, top) inside every clip box."""
    left, bottom, right, top = box
    area = (right - left) * (top - bottom)
    if area <= 0:
        return 1.0
    for cl, cb, cr, ct in clips:
        left, bottom, right, top = max(left, cl), max(bottom, cb), min(right, cr), min(top, ct)
        if right <= left or top <= bottom:
            return 0.0
    return (right - left) * (top - bottom) / area


def _to_page(page: Any) -> Any:
    """A function from PDF user space (x, y) to the pdfplumber page's (x, top): the transformation pdfminer
    applies to a page (its MediaBox origin and /Rotate: `pdfminer.pdfinterp.PDFPageInterpreter.process_page`),
    then pdfplumber's top-down y."""
    x0, y0, x1, y1 = page.page_obj.mediabox
    a, b, c, d, e, f = {
        90: (0, -1, 1, 0, -y0, x1),
        180: (-1, 0, 0, -1, x1, y1),
        270: (0, 1, -1, 0, y1, -x0),
    }.get(page.page_obj.rotate % 360, (1, 0, 0, 1, -x0, -y0))
    height = page.root_page.height if hasattr(page, "root_page") else page.height

    def to_page(x: float, y: float) -> tuple[float, float]:
        return a * x + c * y + e, height - (b * x + d * y + f)

    return to_page


def clipped_shares(page: Any) -> dict[int, float]:
    """{id(glyph dict of page.chars): visible share 0–1} for the pdfplumber page's glyphs their clip path
    hides in whole or so far that what it is is unsure (share under READABLE); the rest are left out. Each
    such PDFium glyph is the pdfplumber glyph of the same text nearest its centre (within half its size),
    PDFium's page coordinates brought onto pdfplumber's (`_to_page`: MediaBox origin, /Rotate). Empty when
    PDFium cannot open the file."""
    import pypdfium2.raw as raw

    doc = _pdfium_document(page.pdf)
    if doc is None:
        return {}
    textpage = doc[page.page_number - 1].get_textpage()
    clips: dict[int, list[tuple[float, float, float, float]]] = {}
    cut: list[tuple[str, float, float, float, float]] = []  # (text, x, y, size, share) in user space
    for i in range(raw.FPDFText_CountChars(textpage.raw)):
        if raw.FPDFText_IsGenerated(textpage.raw, i) == 1:
            continue  # a space or line break PDFium adds, not drawn
        obj = raw.FPDFText_GetTextObject(textpage.raw, i)
        key = ctypes.cast(obj, ctypes.c_void_p).value or 0
        if key not in clips:
            clip = raw.FPDFPageObj_GetClipPath(obj) if obj else None
            clips[key] = _clip_boxes(clip) if clip else []
        rect = raw.FS_RECTF()
        if not clips[key] or not raw.FPDFText_GetLooseCharBox(textpage.raw, i, rect):
            continue
        share = _share((rect.left, rect.bottom, rect.right, rect.top), clips[key])
        if share < READABLE:
            size = max(rect.right - rect.left, rect.top - rect.bottom)
            text = chr(raw.FPDFText_GetUnicode(textpage.raw, i))
            cut.append((text, (rect.left + rect.right) / 2, (rect.bottom + rect.top) / 2, size, share))
    if not cut:
        return {}
    to_page = _to_page(page)
    by_text: dict[str, list[dict]] = {}
    for c in page.chars:
        by_text.setdefault(c["text"], []).append(c)
    out: dict[int, float] = {}
    for text, x, y, size, share in cut:
        px, py = to_page(x, y)
        near = [(math.hypot((c["x0"] + c["x1"]) / 2 - px, (c["top"] + c["bottom"]) / 2 - py), c) for c in by_text.get(text, [])]
        distance, found = min(near, key=lambda n: n[0], default=(math.inf, None))
        if found is not None and distance <= size / 2:
            out[id(found)] = min(share, out.get(id(found), 1.0))
    return out


def inked_unreadable(page: Any) -> set[int] | None:
    """{id(glyph dict of page.chars)} of the page's glyphs without Unicode (pdfminer's "(cid:N)") that draw
    something: a PDFium character with a tight box of some area (FPDFText_GetCharBox: the glyph's ink) whose
    centre lies in the glyph's box. A glyph without Unicode that draws nothing — the blank glyph an Excel export
    sets for a cell's line feed — is left out: it says nothing, so it is not text. None when PDFium cannot open
    the file (then every such glyph counts as unreadable)."""
    import pypdfium2.raw as raw

    unreadable = [c for c in page.chars if c["text"].startswith("(cid:")]
    if not unreadable:
        return set()
    doc = _pdfium_document(page.pdf)
    if doc is None:
        return None
    textpage = doc[page.page_number - 1].get_textpage()
    to_page = _to_page(page)
    cell = 10.0  # points: the glyphs by the squares their boxes cover, so a centre is matched in one lookup
    squares: dict[tuple[int, int], list[dict]] = {}
    for c in unreadable:
        for gx in range(int(c["x0"] // cell), int(c["x1"] // cell) + 1):
            for gy in range(int(c["top"] // cell), int(c["bottom"] // cell) + 1):
                squares.setdefault((gx, gy), []).append(c)
    out: set[int] = set()
    for i in range(raw.FPDFText_CountChars(textpage.raw)):
        if raw.FPDFText_IsGenerated(textpage.raw, i) == 1:
            continue
        left, right, bottom, top = (ctypes.c_double() for _ in range(4))
        if not raw.FPDFText_GetCharBox(textpage.raw, i, left, right, bottom, top):
            continue
        if right.value - left.value <= 0 or top.value - bottom.value <= 0:
            continue  # no ink
        px, py = to_page((left.value + right.value) / 2, (bottom.value + top.value) / 2)
        near = squares.get((int(px // cell), int(py // cell)), [])
        out.update(id(c) for c in near if c["x0"] <= px <= c["x1"] and c["top"] <= py <= c["bottom"])
    return out
