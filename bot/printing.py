"""The 一覧 printed in the report's own layout: an .xlsx workbook and an A4 PDF that koryu reads back exactly.

    lists = [PrintedList("令和6年度交流実績一覧（協定等締結自治体）", records)]
    Path("r6.xlsx").write_bytes(xlsx_bytes(lists)); Path("r6.pdf").write_bytes(pdf_bytes(lists))

Both follow the published report: the title above the table, the header 交流自治体名 / 事業内容 / 所管課 / 実施期間
(repeated on every page), the partners in 全国地方公共団体コード order with the label merged over each partner's
block, the periods in the report's notation (as printed, or `store.era.notation` for an event typed with calendar
dates), A4 portrait with wrapped text. Several lists (series) of a year: one sheet each in the workbook, one after
another (each from a new page, with its title) in the PDF.

Choices (measured here, 2 cores):
- PDF: reportlab drawing on a canvas with a TrueType Japanese font embedded (subset) — IPAexGothic
  (IPA Font License v1.0: free to use, embed and redistribute; `fonts-ipaexfont-gothic` on Debian/Ubuntu), or any
  TrueType font named by KORYU_PDF_FONT. `koryu export` of the 123-record sample: 0.27 s, 55 MB RSS. Rejected:
  LibreOffice converting the .xlsx (193 MB installed; 2.6 s and 213 MB RSS for the same list, and its page breaks are
  not ours to keep the label beside its rows);
  reportlab's built-in Heisei CID fonts (not embedded: a viewer without them shows other glyphs or none);
  Noto Sans CJK (.ttc with CFF outlines, which reportlab cannot embed); platypus Table (a label cell spanning a
  page break is not split, it is moved or overflows).
- Workbook: openpyxl, already how .xlsx reports are read (ingest/sheet.py).
"""

from __future__ import annotations

import functools
import io
import math
import os
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from store.gazetteer import by_code
from store.records import Record

if TYPE_CHECKING:
    from store.db import Store

HEADER = ("交流自治体名", "事業内容", "所管課", "実施期間")

# TrueType Japanese fonts looked for, in order, when KORYU_PDF_FONT names none (Debian/Ubuntu, Fedora, macOS, Windows)
FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf",
    "/usr/share/fonts/truetype/fonts-japanese-gothic.ttf",
    "/usr/share/fonts/ipa-gothic/ipag.ttf",
    "/usr/share/fonts/truetype/ipaexfont-gothic/ipaexg.ttf",
    "/Library/Fonts/ipaexg.ttf",
    "C:/Windows/Fonts/ipaexg.ttf",
    "C:/Windows/Fonts/msgothic.ttc",
)

# A4 portrait in points (ISO 216: 210 × 297 mm)
PAGE_WIDTH, PAGE_HEIGHT = 595.28, 841.89
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 42.0, 48.0, 48.0
COLUMN_WIDTHS = (100.0, 235.0, 88.0, 88.28)  # label, description, department, period: the page width less margins
FONT_SIZE, TITLE_SIZE, LINE_HEIGHT, PAD = 9.0, 13.0, 12.0, 4.0
HEADER_HEIGHT = 20.0
# a line may not start with these (JIS X 4051 line-start prohibitions, the common subset)
NO_LINE_START = set("、。，．,.)）」』】〕］〉》ーぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々～")


class PrintError(RuntimeError):
    """The 一覧 cannot be printed (no Japanese font for the PDF), said in one line (Japanese / English)."""


@dataclass(frozen=True)
class PrintedList:
    """One list of the 一覧: its title (令和6年度交流実績一覧（…）) and its records, in any order."""

    title: str
    records: Sequence[Record]


def blocks(records: Iterable[Record]) -> list[tuple[str, list[Record]]]:
    """Records grouped under their printed label, in 全国地方公共団体コード order (a partner without a code after
    those with one, by name), each block in the order stored: [(printed label, [records])]. A partner printed
    two ways keeps each way's block."""
    groups: dict[tuple[str, str], list[Record]] = {}
    for r in records:
        groups.setdefault((r.municipality_code or "", r.printed_name), []).append(r)

    def order(key: tuple[str, str]) -> tuple[int, str, str]:
        code, name = key
        known = by_code(code) if code else None
        return (0, code, name) if known else (1, "", name)

    return [(name, groups[(code, name)]) for code, name in sorted(groups, key=order)]


# --- the workbook ------------------------------------------------------------------------------------------------

SHEET_WIDTHS = (18, 48, 18, 18)  # column widths in Excel's units (about one half-width character each)
SHEET_LINE_POINTS = 14.0  # one line of 11 pt text


def _sheet_lines(text: str, width: int) -> int:
    """Lines a cell's text takes wrapped in a column `width` units wide (a full-width character takes two)."""
    total = 0
    for paragraph in text.split("\n"):
        units = sum(2 if unicodedata.east_asian_width(c) in "WFA" else 1 for c in paragraph)
        total += max(1, math.ceil(units / max(1, width - 1)))
    return total


def xlsx_bytes(lists: Sequence[PrintedList]) -> bytes:
    """The lists as an .xlsx workbook, one sheet per list: the title in A1 (merged over the four columns), the
    header on row 2 (printed on every page), the label merged over each partner's rows, wrapped text, A4
    portrait fitted to the page width. Raises ValueError for no list."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    if not lists:
        raise ValueError("no list to print")
    wb = Workbook()
    wb.remove(wb.active)
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="center")
    for n, printed in enumerate(lists, 1):
        ws = wb.create_sheet(f"一覧{n}" if len(lists) > 1 else "一覧")
        ws["A1"] = printed.title
        ws["A1"].font = Font(size=14, bold=True)
        ws["A1"].alignment = Alignment(horizontal="center")
        ws.merge_cells("A1:D1")
        for col, (word, width) in enumerate(zip(HEADER, SHEET_WIDTHS, strict=True), 1):
            cell = ws.cell(row=2, column=col, value=word)
            cell.border, cell.alignment = box, Alignment(horizontal="center", vertical="center")
            cell.fill = PatternFill("solid", fgColor="D9D9D9")
            ws.column_dimensions[get_column_letter(col)].width = width
        row = 3
        for label, records in blocks(printed.records):
            first = row
            for r in records:
                texts = (label if row == first else None, r.description, r.department, r.period_text)
                for col, value in enumerate(texts, 1):
                    cell = ws.cell(row=row, column=col, value=value)
                    cell.border, cell.alignment = box, wrap
                # the height the wrapped text needs, set rather than left to the viewer (LibreOffice keeps one line)
                lines = max(_sheet_lines(t or "", w) for t, w in zip(texts[1:], SHEET_WIDTHS[1:], strict=True))
                ws.row_dimensions[row].height = lines * SHEET_LINE_POINTS + 4
                row += 1
            if row - 1 > first:
                ws.merge_cells(start_row=first, start_column=1, end_row=row - 1, end_column=1)
        ws.print_title_rows = "2:2"
        ws.page_setup.orientation = "portrait"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- the PDF -----------------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=4)
def _font(path: str) -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    name = "KoryuJapanese-" + Path(path).stem
    try:
        pdfmetrics.registerFont(TTFont(name, path, subfontIndex=0))
    except (TTFError, OSError) as e:
        raise PrintError(f"{path}: フォントを読めません / cannot use this font ({e})") from None
    return name


def font_path() -> str:
    """The TrueType Japanese font the PDF embeds: KORYU_PDF_FONT, else the first of FONT_CANDIDATES installed.
    Raises PrintError saying what to install when there is none."""
    named = os.environ.get("KORYU_PDF_FONT", "").strip()
    if named:
        if not Path(named).is_file():
            raise PrintError(f"KORYU_PDF_FONT={named}: ファイルがありません / no such font file")
        return named
    for candidate in FONT_CANDIDATES:
        if Path(candidate).is_file():
            return candidate
    raise PrintError(
        "PDF には日本語フォントが必要です（apt install fonts-ipaexfont-gothic、または KORYU_PDF_FONT にフォントファイル） / "
        "a Japanese TrueType font is needed: install fonts-ipaexfont-gothic or set KORYU_PDF_FONT"
    )


def wrap(text: str, width: float, font: str, size: float = FONT_SIZE) -> list[str]:
    """`text` cut into lines no wider than `width` points (character by character, as Japanese is set; a line
    never starts with 、。）」 and kin, never ends or starts with a space). Lines of the text ("\\n") stay lines."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    out: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for ch in paragraph:
            if line and stringWidth(line + ch, font, size) > width:
                carry = ""
                while line and (ch in NO_LINE_START or ch == " " or line[-1] == " ") and len(line) > 1:
                    # keep the prohibited mark with the character before it; a space inside a line
                    carry, line = line[-1] + carry, line[:-1]
                    if not (ch in NO_LINE_START and line and line[-1] in NO_LINE_START):
                        break
                out.append(line.rstrip())
                line = (carry + ch).lstrip()
            else:
                line += ch
        out.append(line)
    return out


@dataclass
class _Row:
    label: str
    last_of_block: bool
    cells: tuple[list[str], list[str], list[str]]  # description, department, period lines

    @property
    def height(self) -> float:
        return max(len(c) for c in self.cells) * LINE_HEIGHT + 2 * PAD


def pdf_bytes(lists: Sequence[PrintedList]) -> bytes:
    """The lists as an A4 portrait PDF with the font embedded: each list from a new page, its title on its first
    page, the header on every page, ruled cells, the label written once per partner's block on each page it
    spans (vertically centred over the block's rows there), a page number at the foot. Raises PrintError (no font)
    or ValueError (no list)."""
    from reportlab.pdfgen.canvas import Canvas

    if not lists:
        raise ValueError("no list to print")
    font = _font(font_path())
    out = io.BytesIO()
    c = Canvas(out, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), pageCompression=1)
    c.setTitle(lists[0].title)
    c.setCreator("koryu")
    xs = [MARGIN_X]
    for w in COLUMN_WIDTHS:
        xs.append(xs[-1] + w)
    page_no = 0
    for printed in lists:
        rows = []
        for label, records in blocks(printed.records):
            for k, r in enumerate(records):
                cells = tuple(
                    wrap(t, w - 2 * PAD, font) for t, w in zip((r.description, r.department, r.period_text), COLUMN_WIDTHS[1:])
                )
                rows.append(_Row(label, k == len(records) - 1, cells))  # type: ignore[arg-type]
        first_page = True
        while rows:
            page_no += 1
            top = PAGE_HEIGHT - MARGIN_TOP
            if first_page:
                c.setFont(font, TITLE_SIZE)
                c.drawCentredString(PAGE_WIDTH / 2, top - TITLE_SIZE, printed.title)
                top -= TITLE_SIZE + 14
                first_page = False
            rows = _page(c, font, xs, top, rows)
            c.setFont(font, FONT_SIZE)
            c.drawCentredString(PAGE_WIDTH / 2, MARGIN_BOTTOM / 2, f"- {page_no} -")
            c.showPage()
    c.save()
    return out.getvalue()


def _page(c, font: str, xs: list[float], top: float, rows: list[_Row]) -> list[_Row]:
    """Draw the header and as many rows as fit below `top`; returns the rows left for the next page."""
    bottom_limit = MARGIN_BOTTOM
    c.setLineWidth(0.6)
    # header
    c.setFillGray(0.85)
    c.rect(xs[0], top - HEADER_HEIGHT, xs[-1] - xs[0], HEADER_HEIGHT, stroke=0, fill=1)
    c.setFillGray(0)
    c.setFont(font, FONT_SIZE)
    for k, word in enumerate(HEADER):
        c.drawCentredString((xs[k] + xs[k + 1]) / 2, top - HEADER_HEIGHT / 2 - FONT_SIZE * 0.35, word)
    y = top - HEADER_HEIGHT
    c.line(xs[0], top, xs[-1], top)
    c.line(xs[0], y, xs[-1], y)
    placed: list[tuple[_Row, float, float]] = []
    while rows and (y - rows[0].height >= bottom_limit or not placed):
        row = rows.pop(0)
        placed.append((row, y, y - row.height))
        y -= row.height
    # cells' text, rules between rows (under the label only at a block's end or the page's foot)
    for i, (row, row_top, row_bottom) in enumerate(placed):
        for k, lines in enumerate(row.cells, 1):
            for n, line in enumerate(lines):
                c.drawString(xs[k] + PAD, row_top - PAD - FONT_SIZE * 0.88 - n * LINE_HEIGHT, line)
        page_end = i == len(placed) - 1
        c.line(xs[0] if (row.last_of_block or page_end) else xs[1], row_bottom, xs[-1], row_bottom)
    # labels: once per block segment on this page, centred over its rows
    i = 0
    while i < len(placed):
        j = i
        while j + 1 < len(placed) and not placed[j][0].last_of_block:
            j += 1
        seg_top, seg_bottom = placed[i][1], placed[j][2]
        lines = wrap(placed[i][0].label, xs[1] - xs[0] - 2 * PAD, font)
        first = (seg_top + seg_bottom) / 2 + (len(lines) * LINE_HEIGHT) / 2 - FONT_SIZE * 0.88
        for n, line in enumerate(lines):
            c.drawString(xs[0] + PAD, first - n * LINE_HEIGHT, line)
        i = j + 1
    for x in xs:
        c.line(x, top, x, y)
    return rows


def title_of_report(report: dict) -> str:
    """The title a stored report is printed under (`Store.reports()` row): its own, as read ("" for an untitled
    report: the 一覧 is printed without one, and reads back as the same untitled series)."""
    return str(report.get("title") or "")


def stored_lists(db: Store, fiscal_year: int | None = None, series: str | None = None) -> list[PrintedList]:
    """The stored reports as lists to print, oldest year first and a year's series in the order first stored
    (None: every year / every series), each under its own title with its records in stored order."""
    reports = sorted(db.reports(), key=lambda d: (d["fiscal_year"], d["series_no"]))
    return [
        PrintedList(title_of_report(d), db.records(d["fiscal_year"], d["series"]))
        for d in reports
        if fiscal_year in (None, d["fiscal_year"]) and series in (None, d["series"])
    ]
