"""A table row as both readers produce it (the PDF reader `ingest.table` and the spreadsheet reader
`ingest.sheet`), where it was read (`Location`), and how a cell's printed lines become a field's text.

A `Row` is what a record is made from: its fields as printed, its municipality labels (one per label column)
and how its label was found. `ingest.build` turns rows into records the same way for every kind of file.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Location:
    """Where a row was read: a page of a PDF (`page`, 1-based), or a row of a worksheet or CSV (`row`, 1-based
    as Excel numbers rows; `sheet`: the worksheet's name when the workbook has several tables' sheets, else "").

    str() is how messages say it: 「p.3」, 「12行目」, 「シート「その他」12行目」; `english` is the same in English.
    """

    page: int | None = None
    row: int | None = None
    sheet: str = ""

    @property
    def number(self) -> int:
        """The page or row number (whichever this location has)."""
        return self.page if self.page is not None else (self.row or 0)

    def __str__(self) -> str:
        if self.page is not None:
            return f"p.{self.page}"
        return f"シート「{self.sheet}」{self.row}行目" if self.sheet else f"{self.row}行目"

    @property
    def english(self) -> str:
        if self.page is not None:
            return f"page {self.page}"
        return f"sheet {self.sheet!r}, row {self.row}" if self.sheet else f"row {self.row}"

    def source(self, file_name: str) -> dict:
        """`Record.source` for a record read here: {"file", "page"} or {"file", "page": None, "row"}."""
        if self.page is not None:
            return {"file": file_name, "page": self.page}
        return {"file": file_name, "page": None, "row": self.row}


@dataclass
class Row:
    """One table row: what a record is made from. `labels` has one entry per municipality column.

    at: where it was read; top / bottom: its extent on the page in PDF points (0 for a spreadsheet row);
    printed_name: the labels combined (`combine_labels`), misprints kept; label_how: how the label was found
    ("printed", "from-previous-page", "clipped", "heading", "merged", "ditto", "fill-down" …; see `ingest.linking`).
    """

    at: Location
    top: float
    bottom: float
    description: str
    department: str
    period_text: str
    labels: list[str] = field(default_factory=list)
    printed_name: str = ""
    label_how: str = ""

    @property
    def page(self) -> int:
        """The PDF page (1-based) the row was read on; 0 for a spreadsheet row."""
        return self.at.page or 0


NO_EVENT_WORDS = (
    "実績なし",
    "交流実績なし",
    "該当なし",
    "該当事業なし",
    "実施なし",
    "特になし",
    "なし",
)  # a row saying nothing took place
DASH = re.compile(r"^[-－ー―‐‑—–−ｰ─━]*$")  # an empty cell, or one holding only a dash

_LATIN = re.compile(r"[A-Za-z]")
ERA_START = re.compile(r"^\s*(?:[RHSＲＨＳ]\s*[0-9０-９元]|令和|平成|昭和|(?:19|20)\d\d[./年])")
CONNECTOR_END = re.compile(r"[・、,，~～〜\-－]\s*$")


def join_wrapped(lines: list[str]) -> str:
    """Undo the cell's line wrapping: CJK lines join directly, two latin words get a space between."""
    out = ""
    for line in lines:
        if out and _LATIN.match(out[-1]) and _LATIN.match(line[0]):
            out += " "  # Excel wraps latin text at a space and does not print it
        out += line
    return out


def join_period_lines(lines: list[str]) -> str:
    """A period cell's lines: a new line that starts a new dated item stays a line ("\\n"); a wrapped one joins."""
    out = ""
    for line in lines:
        if out and ERA_START.match(line) and not CONNECTOR_END.search(out):
            out += "\n"
        out += line
    return out


DITTO_MARKS = ("〃", "同上", "″", "〃〃")  # a label cell saying "as above"
NONE_MARKS = ("-", "－", "―", "ー", "−", "‐", "‑", "–", "—", "ｰ", "─", "━")  # a label cell saying "none": no part of a name


def combine_labels(labels: list[str]) -> str:
    """Join the municipality columns' labels (県 | 市区町 → 石川県金沢市); a repeat of the first part is dropped."""
    parts = [re.sub(r"\s+", "", unicodedata.normalize("NFC", p)) for p in labels]
    parts = [p for p in parts if p and p not in NONE_MARKS]
    out = ""
    for p in parts:
        if out and p.startswith(out):
            out = p
        elif out and out.endswith(p):
            continue
        else:
            out += p
    return out


TOTAL_WORDS = ("小計", "合計", "総計", "計")  # a subtotal or total line's word, alone in its cell
_TOTALS = re.compile(r"^(?:(?:小計|合計|総計|計)[:：]?)+$")  # 小計, or 小計合計: two total lines read as one
_COUNTS = re.compile(
    r"^(?:\d[\d,]*(?:件|回|事業|人|名))+$|^\d[\d,]*$|^(?:小計|合計|総計|計)?[:：]?\d[\d,]*(?:件|回|事業|人|名)?$"
)


def is_total_word(text: str) -> bool:
    """True for a total line's word (小計, 合計, 計; 小計合計 for two such lines read as one), spaces aside."""
    return bool(_TOTALS.match(re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))))


def is_count(text: str) -> bool:
    """True for what a total line counts: 4件, 123, 計 123, 2件12件 (two counts read as one)."""
    return bool(_COUNTS.match(re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))))
