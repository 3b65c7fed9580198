"""Glyphs as a reader sees them: the characters drawn inside the visible page, grouped into lines, words,
one-per-line stacks and top-to-bottom columns, and turned into a cell's text.

Everything here works on `Char`s (text, box in PDF points with y growing downwards, font size); thresholds
come from `ingest.settings.TableSettings`.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ingest.settings import DEFAULT, TableSettings
from store.normalize import repair

# characters a Japanese line may not start with (行頭禁則): printed past a line's end (ぶら下がり) rather than carried over
NO_LINE_START = set("）」』】〕〉》｝］、。，．・：；？！～〜ーぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々ゝゞヽヾ")
UNREADABLE = "\ufffd"  # what a glyph without Unicode (pdfminer's "(cid:N)") becomes in cell text
_CID = re.compile(r"^\(cid:\d+\)$")


class Centred:
    """The centre of anything with x0, x1, top, bottom (PDF points, y growing downwards): glyphs, words."""

    x0: float
    x1: float
    top: float
    bottom: float

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(frozen=True)
class Char(Centred):
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    clipped: bool = False  # its clip path shows too little of it to read (`ingest.clips`): a cell's text cut off


# ---------------------------------------------------------------------------------------------- chars


def luminance(color: Any) -> float | None:
    """0 (black) – 1 (white) of a pdfminer colour (grey, RGB or CMYK tuple); None when it cannot be told."""
    if color is None:
        return None
    if isinstance(color, (int, float)):
        return float(color)
    try:
        vals = [float(v) for v in color]
    except (TypeError, ValueError):
        return None  # pattern colours: treat as visible
    if len(vals) == 1:
        return vals[0]
    if len(vals) == 3:
        r, g, b = vals
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
    if len(vals) == 4:
        c, m, y, k = vals
        return (1 - min(1, c + k)) * 0.2126 + (1 - min(1, m + k)) * 0.7152 + (1 - min(1, y + k)) * 0.0722
    return None


def dedupe(chars: list[dict], tolerance: float) -> list[dict]:
    """Drop glyphs drawn again at (nearly) the same place — how some producers fake bold. O(n) by bucketing."""
    seen: dict[tuple, list[dict]] = {}
    out = []
    for c in chars:
        bx, by = int(c["x0"] // tolerance), int(c["top"] // tolerance)
        dup = False
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for o in seen.get((c["text"], bx + dx, by + dy), ()):
                    if abs(o["x0"] - c["x0"]) <= tolerance and abs(o["top"] - c["top"]) <= tolerance:
                        dup = True
        if not dup:
            seen.setdefault((c["text"], bx, by), []).append(c)
            out.append(c)
    return out


def visible_area(page) -> tuple[float, float, float, float]:
    """What a viewer shows: the CropBox within the MediaBox (pdfplumber's top-based coordinates)."""
    mx0, mtop, mx1, mbottom = page.mediabox
    cx0, ctop, cx1, cbottom = page.cropbox
    return max(mx0, cx0), max(mtop, ctop), min(mx1, cx1), min(mbottom, cbottom)


def visible_chars(page, settings: TableSettings) -> tuple[list[Char], list[Char]]:
    """Glyphs inside the visible page (duplicates, white text and glyphs their clip path hides dropped; those
    it shows too little of to read marked `clipped`) and those drawn outside it.

    A glyph the text layer gives no Unicode for (pdfminer's "(cid:12)": a font without a ToUnicode map)
    becomes UNREADABLE, so the cell that holds it is refused rather than stored as "(cid:12)" — unless it draws
    nothing (`ingest.clips.inked_unreadable`: an Excel export's line feed glyph), then it is not text.
    """
    from ingest.clips import NONE, READABLE, clipped_shares, inked_unreadable

    shares = clipped_shares(page)
    inked = inked_unreadable(page)
    x0, top, x1, bottom = visible_area(page)
    inside: list[Char] = []
    outside: list[Char] = []
    for c in dedupe(page.chars, settings.dedupe_tolerance):
        space = str(c.get("ncs") or "")
        lum = luminance(c.get("non_stroking_color"))
        # white text is invisible; in Separation/DeviceN/Indexed spaces a 1.0 is a tint or an index, not white
        spot = any(s in space for s in ("Separation", "DeviceN", "Indexed", "Pattern"))
        if lum is not None and lum >= settings.white_text_luminance and not spot:
            continue
        if _CID.match(c["text"]) and inked is not None and id(c) not in inked:
            continue  # a glyph without Unicode that draws nothing (a cell's line feed in an Excel export)
        text = UNREADABLE if _CID.match(c["text"]) else repair(c["text"])
        share = shares.get(id(c), 1.0)
        size = c["size"] or (c["bottom"] - c["top"])
        ch = Char(text, c["x0"], c["x1"], c["top"], c["bottom"], size, clipped=share < READABLE)
        if not ch.text.strip() and ch.text not in (" ", "\u3000"):
            continue
        if not (x0 <= ch.cx <= x1 and top <= ch.cy <= bottom):
            outside.append(ch)
        elif share > NONE:  # on the page, and not hidden by its clip (a label drawn under the header)
            inside.append(ch)
    return inside, outside


def hangs_over(before: Char | None, a: Char, b: Char, settings: TableSettings = DEFAULT) -> bool:
    """True when glyph a, printed over glyph b after it on its line, is a glyph no line starts with (行頭禁則,
    NO_LINE_START: 、。」ー) set solid after the glyph before it (within edge_slack / 2), and b starts no
    earlier than a: a's text ends with it, hanging past its cell into the next cell's first glyph (パフェ、
    over アカデミー). Which text each belongs to is told, not guessed."""
    solid = before is not None and abs(a.x0 - before.x1) <= settings.edge_slack / 2
    return a.text in NO_LINE_START and solid and b.x0 >= a.x0


def lines_of(chars: list[Char], settings: TableSettings = DEFAULT) -> list[list[Char]]:
    """Chars grouped into lines by vertical centre (page-wide, so a line may cross cells), each left to right."""
    lines: list[list[Char]] = []
    centre = 0.0
    for c in sorted(chars, key=lambda c: (c.cy, c.x0)):
        if lines and abs(centre - c.cy) < c.size * settings.line_overlap:
            lines[-1].append(c)
        else:
            lines.append([c])
            centre = c.cy
    return [sorted(line, key=lambda c: c.x0) for line in lines]


def stacks(chars: list[Char], settings: TableSettings = DEFAULT) -> list[list[Char]]:
    """Chains of single characters written one per line (narrow header cells: 市/区/町)."""
    singles: list[Char] = []
    for line in lines_of(chars, settings):
        for i, c in enumerate(line):
            left = line[i - 1] if i else None
            right = line[i + 1] if i + 1 < len(line) else None
            near = [o for o in (left, right) if o is not None and abs(o.cx - c.cx) < c.size * settings.stack_neighbour]
            if not near:
                singles.append(c)
    singles.sort(key=lambda c: (round(c.cx), c.top))
    out: list[list[Char]] = []
    used: set[int] = set()
    for i, c in enumerate(singles):
        if i in used:
            continue
        chain = [c]
        used.add(i)
        for j in range(i + 1, len(singles)):
            d = singles[j]
            last = chain[-1]
            aside = abs(d.cx - last.cx)
            if aside >= last.size * settings.stack_offset and round(d.cx) != round(last.cx):
                break
            below = d.top - last.bottom
            if j not in used and aside < last.size * settings.stack_offset and -settings.stack_offset * last.size < below:
                if below < settings.stack_gap * last.size:
                    chain.append(d)
                    used.add(j)
        if len(chain) >= 2:
            out.append(chain)
    return out


def vertical_columns(chars: list[Char], settings: TableSettings = DEFAULT) -> list[list[Char]] | None:
    """A cell written top to bottom (縦書き) in two or more columns: the columns, right to left, each top to
    bottom; None when the text runs left to right.

    Told from the spacing: in vertical text the glyphs of a column follow each other closer than the columns
    stand apart; in wrapped horizontal text it is the other way round.
    """
    if len(chars) < 4:
        return None
    columns: list[list[Char]] = []
    for c in sorted(chars, key=lambda c: c.cx):
        if columns and abs(columns[-1][-1].cx - c.cx) < c.size * settings.stack_offset:
            columns[-1].append(c)
        else:
            columns.append([c])
    if len(columns) < 2 or any(len(col) < 2 for col in columns):
        return None
    down = []
    for col in columns:
        col.sort(key=lambda c: c.top)
        down += [b.top - a.top for a, b in zip(col, col[1:])]
    across = [b[0].cx - a[0].cx for a, b in zip(columns, columns[1:])]
    if statistics.median(down) >= settings.vertical_pitch * statistics.median(across):
        return None
    return list(reversed(columns))


@dataclass
class Word(Centred):
    """A run of glyphs on a line (grows as glyphs are added: `words_of`)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float


def words_of(line: list[Char], settings: TableSettings) -> list[Word]:
    """A line's runs of glyphs, split where the gap is wider than word_gap × size."""
    out: list[Word] = []
    for c in line:
        if c.text.isspace():
            continue
        if out and c.x0 - out[-1].x1 <= settings.word_gap * c.size:
            w = out[-1]
            w.text, w.x1, w.top, w.bottom = w.text + c.text, c.x1, min(w.top, c.top), max(w.bottom, c.bottom)
        else:
            out.append(Word(c.text, c.x0, c.x1, c.top, c.bottom))
    return out


def phrases(chars: Iterable[Char], settings: TableSettings = DEFAULT) -> list[str]:
    """Chars outside a table → its phrases, top to bottom: each line split where the white between two glyphs
    is wider than phrase_gap × size (a title and 自治体コード順 printed on one line are two phrases)."""
    out: list[str] = []
    for line in lines_of(list(chars), settings):
        text, last = "", None
        for c in line:
            if last is not None and not c.text.isspace() and c.x0 - last.x1 > settings.phrase_gap * c.size:
                if text.strip():
                    out.append(text.strip())
                text = ""
            text += c.text
            if not c.text.isspace():
                last = c
        if text.strip():
            out.append(text.strip())
    return out


def text_lines(chars: Iterable[Char], settings: TableSettings = DEFAULT) -> list[str]:
    """Chars of one cell → its printed lines, top to bottom, each left to right."""
    out = []
    for line in lines_of(list(chars), settings):
        s = "".join(c.text for c in line).strip()
        if s:
            out.append(s)
    return out


def label_text(chars: list[Char], settings: TableSettings = DEFAULT) -> str:
    """A label cell's text: its lines joined, or — written top to bottom in columns (縦書き) — its columns
    right to left, each top to bottom."""
    columns = vertical_columns(chars, settings)
    if columns is not None:
        return "".join(c.text for col in columns for c in col)
    return "".join(text_lines(chars, settings))
