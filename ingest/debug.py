"""`koryu ingest --debug DIR`: one PNG per page showing what the parser found, so a wrong attribution can be
diagnosed at a glance.

Drawn: every grid cell (thin grey), the header band (blue), each data row (green outline), each municipality
label segment (a coloured band per block; the colour is shared by rows of the same municipality, across pages;
a label cell left without a label is red), and every character no field, header, title or page furniture
accounts for (`ingest.accounting`: filled red, with a red outline) — the reason a page is refused; the caption
says how the grid was found (rows from rules, shading or spacing; columns from rules, the header's text or the
previous page). A `page-N.txt` beside each PNG lists the columns, the rows with the label each got and how
(printed, from-previous-page, from-next-page, clipped, heading, ditto), the headings between tables and the
unaccounted text.
"""

from __future__ import annotations

import colorsys
import hashlib
from pathlib import Path

import pdfplumber


def _colour(name: str) -> tuple[int, int, int, int]:
    h = int(hashlib.md5(name.encode("utf-8")).hexdigest()[:6], 16) / 0xFFFFFF
    r, g, b = colorsys.hsv_to_rgb(h, 0.55, 0.95)
    return int(r * 255), int(g * 255), int(b * 255), 90


def draw_file(pdf_path: str | Path, out_dir: Path, resolution: int = 110) -> list[Path]:
    """The pictures of a PDF whatever became of it: read again keeping its tables and storing nothing (rows
    that fail the checks kept, flagged), so a refused file shows why. Returns the PNG paths; [] when the file
    cannot be read at all (not a PDF, encrypted, no table: its one-line error says why). Raises OSError when
    out_dir cannot be written."""
    from ingest.errors import IngestError
    from ingest.report import read_pdf_reports

    try:
        reports = read_pdf_reports(pdf_path, keep_tables=True, force=True)
    except IngestError:
        return []
    return draw_report(pdf_path, [t for r in reports for t in r.tables], out_dir, resolution)


def draw_report(pdf_path: str | Path, tables, out_dir: Path, resolution: int = 110) -> list[Path]:
    """Write page-N.png and page-N.txt for each page with a table (`ingest.table.PageTable`s; a page cut into
    two lists is drawn once, with both parts). Returns the PNG paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    by_page: dict = {}
    for t in tables:
        by_page.setdefault(t.page, t)
    with pdfplumber.open(pdf_path) as pdf:
        for number, table in by_page.items():
            page = pdf.pages[number - 1]
            im = page.to_image(resolution=resolution)
            for c in table.cells:
                im.draw_rect((c.x0, c.top, c.x1, c.bottom), fill=None, stroke=(160, 160, 160), stroke_width=1)
            if table.header_bottom is not None:
                im.draw_rect(
                    (table.bbox[0], table.bbox[1], table.bbox[2], table.header_bottom),
                    fill=(60, 120, 255, 50),
                    stroke=(60, 120, 255),
                    stroke_width=2,
                )
            lines = []
            for segs in table.segments:
                for s in segs:
                    fill = _colour(s.label or "?") if s.label else (255, 0, 0, 70)
                    im.draw_rect(
                        (s.cell.x0 + 1, s.cell.top + 1, s.cell.x1 - 1, s.cell.bottom - 1),
                        fill=fill,
                        stroke=(0, 0, 0),
                        stroke_width=2,
                    )
            for i, row in enumerate(table.rows):
                im.draw_rect(
                    (table.columns[0].x0, row.top, table.bbox[2], row.bottom),
                    fill=_colour(row.printed_name or "?")[:3] + (35,),
                    stroke=(0, 150, 0),
                    stroke_width=1,
                )
                lines.append(
                    f"row {i:3d} y={row.top:.0f}-{row.bottom:.0f} label={row.printed_name!r} how={row.label_how or '-'} "
                    f"| {row.description[:40]} | {row.department} | {row.period_text!r}"
                )
            for u in table.unaccounted:  # what refuses the page, in red
                for c in u.chars:
                    im.draw_rect(
                        (c.x0 - 1, c.top - 1, c.x1 + 1, c.bottom + 1), fill=(255, 0, 0, 110), stroke=(220, 0, 0), stroke_width=2
                    )
                lines.append(f"unaccounted ({u.where}): {u.text}")
            lines += [f"heading y={y:.0f}: {text}" for y, text in table.headings]
            how = f"rows from {table.rows_from}, columns from {table.columns_from}"
            im.draw.text((4, 4), how, fill=(200, 0, 0))
            png = out_dir / f"page-{number}.png"
            im.save(str(png))
            cols = ", ".join(f"{c.role}({c.title or '-'}) x={c.x0:.0f}-{c.x1:.0f}" for c in table.columns)
            (out_dir / f"page-{number}.txt").write_text(
                f"grid: {how}\ncolumns: {cols}\n" + "\n".join(lines) + "\n", encoding="utf-8"
            )
            written.append(png)
    return written
