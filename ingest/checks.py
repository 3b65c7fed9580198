"""The rule behind every stored record: each field was read from where it belongs.

A table read in part — a column that came out empty, a row with no municipality, glyphs the text layer gives no
Unicode for — is not a report to store with blanks. `check_rows` lists what is wrong, row by row; the reader
refuses the file with the first page and reason (`refusal`), or, when the admin insists (`--force`), stores
the rows flagged with their problems so answers can say so.

What is a problem:
- a field holding unreadable text: U+FFFD, pdfminer's "(cid:N)" (a font without a ToUnicode map), private-use
  or control characters;
- a row with no municipality label (an empty label cell of its own is no evidence: `ingest.linking`), or no
  description; a label that names no place (a note read into the label column, 県岩手町 cut from its prefecture);
- a row of a page holding text no field, header or title accounts for (`ingest.accounting`), or one cell
  across the table (a heading naming no municipality);
- a page's first row whose period goes on with the previous page's last (R6.8.29～ / 8.30) but that was not
  joined to it (their labels differ and together name no municipality: `ingest.linking.merge_split_rows`);
- a note mark between a period's dates (R6.11.15～※11.16: a remark column's ※ read into the period cell);
- a period with no date at all that is none of the words written instead of one (随時, 通年 …), and a
  department that is two run together (推進課防災危機管理課: two rows read as one);
- an empty city cell at a page's foot beside a prefecture's label, the next page's first city cell labelled
  (`ingest.linking._undecided`: the prefecture's own record or the city's first, nothing tells which);
- a label that is several municipality names run together (熊本県熊本市岩手県盛岡市: the labels of many rows read
  as one cell; `ingest.labels.run_together`);
- a row of a table whose label column has neither rules nor fills (rows told apart by spacing, or by shading
  over the other columns) where a label does not stand on its row's first line (centred on a merged block:
  which rows a label covers cannot be told);
- a row of a page holding a header line outside the table read (a second table no grid took in: its rows
  would be lost);
- a row with neither department nor period where the table has both columns (a note or a misread row);
- a page whose table has no period column (every report of the kind dates its rows), or two columns whose
  headers name the period (or the department) equally plainly (`ingest.roles.column_roles`: of 実施期間 and
  実施期間等 the first is the period; an extra column is never merged into the field);
- a department or period column that is empty on at least half the rows of a page (a misread column, such as
  the outer columns of a table drawn without its sides).
A subtotal or total line (小計 | 4件 — `totals`) is not a record: it is skipped, and the warnings say so; a row
that still carries such a word as its label (a label filled down from a 小計 row) is a problem.
An empty period cell is a problem too: a record is dated or it is not read (every row of the kind is dated;
an undated one is stored only with --force, flagged). A single empty department cell is a warning, not a
problem: reports do leave one blank.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from ingest.labels import run_together
from ingest.linking import period_cut, spans_the_table
from ingest.periods import WHOLE_YEAR
from ingest.roles import SINGLE_ROLES
from ingest.rows import CONNECTOR_END, DASH, NO_EVENT_WORDS, TOTAL_WORDS, Location, Row, is_count, is_total_word
from ingest.table import PageTable

GARBLED = re.compile(r"[\ufffd\ue000-\uf8ff\x00-\x08\x0b-\x1f\x7f]|\(cid:\d+\)")
FIELDS = {"printed_name": "自治体名", "description": "事業内容", "department": "所管課", "period_text": "実施期間"}
PLACES = {**FIELDS, "table": "表"}  # where a problem is: a field, or the table the row was read from
EMPTY_COLUMN = 0.5  # a column empty on this share of a page's rows was misread, not left blank


def _plain(text: str) -> str:
    return unicodedata.normalize("NFKC", re.sub(r"\s+", "", text or ""))


def _only_marks(text: str) -> bool:
    """True for a cell holding only dashes, dots or similar marks (－, ―, ー, -, ・, ／): nothing was written."""
    return bool(text.strip()) and all(unicodedata.category(c)[0] in "PSZ" or c in "ー〜" for c in text.strip())


# words a 実施期間 cell may hold instead of a date: the whole year (`ingest.periods.WHOLE_YEAR`), as needed,
# not yet fixed, each time — anything else without a digit is no period (a note or a misread column)
UNDATED_WORDS = (
    *WHOLE_YEAR,
    "随時",
    "未定",
    "調整中",
    "検討中",
    "適宜",
    "都度",
    "その都度",
    "毎月",
    "毎週",
    "常時",
    "期間中",
    "終了",
)


def _undated(text: str) -> bool:
    """True for a period cell without any digit (R6.7.5, ７月, 令和６年 all have one) that is none of the words
    a report writes instead of a date (`UNDATED_WORDS`)."""
    plain = _plain(text)
    if not plain or _only_marks(plain) or any(ch.isdigit() for ch in plain) or "元" in plain:
        return False
    return not any(word in plain for word in UNDATED_WORDS)


def _is_total(row: Row) -> bool:
    """A subtotal or total line: the word (小計, 合計, 計) alone in one of its cells — a label, 事業内容, 所管課
    or 実施期間, wherever the table prints it — and its other fields empty or a count (4件). The label cell, and
    the department cell when the word stands in 事業内容 or 実施期間, may be merged over the rows above and
    this line too."""
    description, department, period = _plain(row.description), _plain(row.department), _plain(row.period_text)
    labels = [_plain(label) for label in row.labels]
    fields = [t for t in (description, period) if t]
    if not all(is_total_word(t) or is_count(t) for t in fields):
        return False
    if any(is_total_word(t) for t in fields):
        return True  # 小計 in 事業内容 or 実施期間: a department beside it is a cell merged over it
    return any(is_total_word(t) for t in [department, *labels]) and (
        not department or is_total_word(department) or is_count(department)
    )


_PLACE_ENDINGS = tuple("都道府県市区町村郡州国省") + ("特別市", "自治区")


@functools.lru_cache(maxsize=4096)
def _place_name(name: str) -> bool:
    """True when a printed label can be a partner's name: it resolves to a municipality (exactly, misprinted or
    ambiguously: `ingest.labels.resolve`), or, naming none in Japan, ends as a place does (ソウル特別市, 台北市,
    ○○州). A label that is neither — 課は令和7年4, a note read into the label column — is no label."""
    from ingest.labels import resolve

    found = resolve(name)
    from store.gazetteer import prefecture_names

    plain = _plain(name)
    if found.municipality is not None or found.method == "ambiguous":
        return True
    # a place abroad has a name before its ending (台北市); 町 alone, or 県岩手町 (a prefecture's name cut, a
    # Japanese municipality that resolves to none), is a label misread
    cut = plain[:1] in "都道府県" or any(p in plain[1:] for p in prefecture_names())
    return len(plain) >= 3 and plain.endswith(_PLACE_ENDINGS) and not cut


def _total_in_label(row: Row) -> bool:
    """A label that is, or holds, a total line's word (小計, 福島県小計: a 小計 line read into the row below)."""
    name = _plain(row.printed_name)
    return (
        name in TOTAL_WORDS
        or any(_plain(label) in TOTAL_WORDS for label in row.labels)
        or any(w in name for w in TOTAL_WORDS[:3])
    )


# a note mark right after a range's or a list's joint (R6.11.15～※11.16): a remark column's ※ read into the
# period cell, between its lines — no report writes a note inside a date range
_MARK_IN_RANGE = re.compile(r"[～〜~・、,，\-－]\s*[※＊*]")
_TWO_DEPARTMENTS = re.compile(r"課[^・、,，/／&＆及と]+課$")


def _departments_run_together(department: str) -> bool:
    """True for two departments read as one (推進課防災危機管理課: two rows' cells run together); several named
    with a separator (経済課・観光課) are one cell's own words."""
    return bool(_TWO_DEPARTMENTS.search(_plain(department)))


def totals(rows: list[Row]) -> tuple[list[Row], list[Row]]:
    """(the rows without subtotal and total lines, those lines). A line whose only sign is its description
    (小計 under the municipality's label) at the top of a page, below a row of the same municipality, stays:
    it may be the end of that row's description cut by the page break (`ingest.table.merge_split_rows`)."""
    kept: list[Row] = []
    skipped: list[Row] = []
    for row in rows:
        previous = kept[-1] if kept else None
        continued = (
            previous is not None
            and previous.page != row.page
            and previous.printed_name == row.printed_name
            and not any(_plain(label) in TOTAL_WORDS for label in row.labels)
            and not is_count(row.period_text)  # a count beside it (小計 | 4件) says it is the total line
            and not is_count(row.description)  # 小計 | 5件 with the department's column first
            and not is_count(row.department)  # 小計 | 3件 | (empty): the count in the department's column
            and _plain(row.department) not in TOTAL_WORDS
        )
        (skipped if _is_total(row) and not continued else kept).append(row)
    return kept, skipped


def _is_no_event(row: Row) -> bool:
    """A line saying a partner had no events (実績なし / 該当なし in 事業内容, 所管課 or 実施期間), its other cells
    empty or a dash: not an event, so never a record."""
    cells = [_plain(row.description), _plain(row.department), _plain(row.period_text)]
    said = [c for c in cells if c.strip("()（）") in NO_EVENT_WORDS]
    return len(said) >= 1 and all(c in said or DASH.match(c) for c in cells)


def no_events(rows: list[Row]) -> tuple[list[Row], list[Row]]:
    """(the rows without 実績なし lines, those lines)."""
    kept: list[Row] = []
    skipped: list[Row] = []
    for row in rows:
        (skipped if _is_no_event(row) else kept).append(row)
    return kept, skipped


def no_events_warning(skipped: list[Row]) -> list[str]:
    """The warning line naming the partners whose 実績なし lines were skipped, and where."""
    if not skipped:
        return []
    where = "、".join(f"{r.printed_name or '?'}（{r.at}）" for r in skipped)
    return [f"実績なしの行を取り込みませんでした / rows saying no events skipped: {len(skipped)}行 {where}"]


def totals_warning(skipped: list[Row]) -> list[str]:
    """The warning line for skipped subtotal and total lines (none without them), naming their pages or
    spreadsheet rows."""
    if not skipped:
        return []
    separator = ", " if skipped[0].at.page is not None else "、"
    places = separator.join(str(at) for at in sorted({r.at for r in skipped}))
    return [f"小計・合計の行を読み飛ばしました / subtotal and total rows skipped: {len(skipped)}行（{places}）"]


@dataclass(frozen=True)
class Problem:
    """What is wrong with one row. row: index into the rows checked; at: where the row was read; field: a Row
    field name; reason: Japanese, for the user (「読めない文字」); reason_en: the same in English."""

    row: int
    at: Location
    field: str
    reason: str
    reason_en: str

    @property
    def text(self) -> str:
        """「p.3 実施期間: 空欄」 (「12行目 …」 in a spreadsheet) — how an answer flags the record."""
        return f"{self.at} {PLACES.get(self.field, self.field)}: {self.reason}"


def check_rows(rows: list[Row], tables: Sequence[PageTable] = (), roles: list[str] | None = None) -> list[Problem]:
    """Problems of the rows (see the module docstring), in row order. The column roles each row's table has
    come from `tables` (a PDF's pages, by page) or `roles` (one table: a spreadsheet; a role once per column)."""
    by_table = {t.page: [c.role for c in t.columns] for t in tables}
    unplaced = {t.page for t in tables if t.labels_unplaced}
    unread = {t.page for t in tables if t.unread_header}
    unaccounted = {t.page: t.unaccounted[0] for t in tables if t.unaccounted}
    roles = list(roles) if roles is not None else None
    role_list = (lambda page: roles) if roles is not None else (lambda page: by_table.get(page, []))
    roles_of = lambda page: set(role_list(page))  # noqa: E731
    out: list[Problem] = []
    by_page: dict[int, list[int]] = defaultdict(list)
    for i, row in enumerate(rows):
        by_page[row.page].append(i)
        for name in FIELDS:
            text = getattr(row, name) or ""
            garbled = list(GARBLED.finditer(text))
            if garbled:  # how many, and where in the cell: a stray glyph or a whole font without its map
                at = garbled[0]
                where = text[max(0, at.start() - 12) : at.end() + 12]
                out.append(
                    Problem(
                        i,
                        row.at,
                        name,
                        f"読めない文字 {len(garbled)}字（フォントに文字の情報がありません）「{where}」",
                        f"unreadable glyphs ({len(garbled)} of {len(text)} characters): '{where}'",
                    )
                )
        if row.page in unplaced:
            reason = "自治体名の列に罫線も網掛けもなく、自治体名が行の先頭にないため、どの行の自治体か決められません"
            out.append(Problem(i, row.at, "printed_name", reason, "label not on its row's first line"))
        elif "undecided" in row.label_how.split(","):
            reason = "ページの最後の行の市区町村の欄が空欄で、県だけの記録か、次のページの市区町村の記録か決められません"
            out.append(Problem(i, row.at, "printed_name", reason, "a city cell empty at the page's foot: undecided"))
        elif not row.printed_name:
            reason = "空欄（どの自治体の行か読めません。上の行と同じなら、セルを結合するか自治体名を記入してください）"
            out.append(Problem(i, row.at, "printed_name", reason, "no municipality label"))
        elif _total_in_label(row):
            reason = f"「{row.printed_name}」は自治体名ではありません（集計行の自治体名が続いています）"
            out.append(Problem(i, row.at, "printed_name", reason, "a total line's word as the label"))
        elif names := run_together(row.printed_name):
            reason = f"複数の自治体名が一つの欄に続いています（{'・'.join(names[:3])}{'…' if len(names) > 3 else ''}）"
            out.append(Problem(i, row.at, "printed_name", reason, "several municipality names in one label cell"))
        elif not _place_name(row.printed_name):
            reason = f"「{row.printed_name[:20]}」は自治体名として読めません（全国の自治体にも、地名の形にも当たりません）"
            out.append(Problem(i, row.at, "printed_name", reason, "a label that names no place"))
        if i and rows[i - 1].page != row.page and period_cut(rows[i - 1], row) and CONNECTOR_END.search(rows[i - 1].period_text):
            reason = f"ページの境目で実施期間が切れた行（「{rows[i - 1].period_text[-12:]}」/「{row.period_text[:12]}」）をつなげません"
            out.append(Problem(i, row.at, "period_text", reason, "a period cut by the page break, its row not joined"))
        if not row.description:
            out.append(Problem(i, row.at, "description", "空欄", "empty description"))
        elif spans_the_table(row):
            reason = f"表を横切る一つの欄「{row.description[:20]}」（見出し）で、事業の行ではありません"
            out.append(Problem(i, row.at, "description", reason, "one cell across the table (a heading), not an event"))
        if row.page in unaccounted:
            u = unaccounted[row.page]
            out.append(Problem(i, row.at, "table", u.reason, u.reason_en))
        if row.page in unread:
            reason = "このページのもう一つの表（見出し行が表の外にあります）を読めていません"
            out.append(Problem(i, row.at, "description", reason, f"a second table on page {row.page} is not read"))
        has = roles_of(row.page)
        for role in SINGLE_ROLES:
            if role_list(row.page).count(role) > 1:
                name = "period_text" if role == "period" else role
                reason = f"{FIELDS[name]}と読める列が二つあり、どちらの列か決められません"
                out.append(Problem(i, row.at, name, reason, f"two columns read as {FIELDS[name]}"))
        if "period" not in has:
            out.append(Problem(i, row.at, "period_text", "実施期間の列が見つかりません", "no period column"))
        if _departments_run_together(row.department):
            reason = f"「{row.department[:20]}」は二つの所管課が続いています（二つの行が一つに読まれています）"
            out.append(Problem(i, row.at, "department", reason, "two departments run together"))
        if {"department", "period"} <= has and not row.department and not row.period_text:
            out.append(
                Problem(
                    i, row.at, "department", "所管課も実施期間も空欄（表の行ではありません）", "neither department nor period"
                )
            )
        elif "period" in has and not row.period_text:
            out.append(Problem(i, row.at, "period_text", "空欄（いつの事業か読めません）", "empty period"))
        elif "period" in has and _undated(row.period_text):
            reason = f"「{row.period_text[:20]}」に日付がありません（いつの事業か読めません）"
            out.append(Problem(i, row.at, "period_text", reason, "a period without any date"))
        elif "period" in has and _MARK_IN_RANGE.search(row.period_text):
            reason = f"「{row.period_text[:20]}」の日付の間に注記の印があります（隣の欄の文字が入っています）"
            out.append(Problem(i, row.at, "period_text", reason, "a note mark between a period's dates"))
        elif "period" in has and _only_marks(row.period_text):  # －, ―, ー: a dash for "none", as good as empty
            out.append(
                Problem(i, row.at, "period_text", f"「{row.period_text}」のみ（いつの事業か読めません）", "a dash for a period")
            )
    for page, indexes in [] if roles is not None else by_page.items():
        has = roles_of(page)
        for name, role in (("department", "department"), ("period_text", "period")):
            empty = [i for i in indexes if not getattr(rows[i], name)]
            if role in has and len(empty) >= 2 and len(empty) >= EMPTY_COLUMN * len(indexes):
                out += [Problem(i, rows[i].at, name, "列が空です（表の読み取りに失敗）", "the column reads empty") for i in empty]
    unique = {(p.row, p.field): p for p in out}
    return sorted(unique.values(), key=lambda p: (p.row, list(PLACES).index(p.field)))


def summary(problems: list[Problem]) -> list[str]:
    """Warning lines for rows stored flagged: one per kind of problem, with its count and first page."""
    kinds: dict[tuple[str, str], list[Problem]] = {}
    for p in problems:
        kinds.setdefault((p.field, p.reason), []).append(p)
    return [
        f"読み取りに問題のある行 / flagged rows: {PLACES.get(field, field)}: {reason} — {len({p.row for p in ps})}行"
        f"（{', '.join(str(at) for at in sorted({p.at for p in ps}))}）"
        for (field, reason), ps in kinds.items()
    ]


def refusal(file_name: str, problems: list[Problem]) -> str:
    """One line refusing a file: how many rows, the first page (or spreadsheet row) and reason, and how to
    store them anyway."""
    first = problems[0]
    rows = len({p.row for p in problems})
    return (
        f"{file_name}: {rows}行を正しく読めません（最初: {first.text}）。--force で問題を記録して取り込めます"
        f" / {rows} rows could not be read (first: {first.at.english}, {first.field}: {first.reason_en}); "
        "--force stores them flagged"
    )
