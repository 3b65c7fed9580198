"""Answering a parsed question from the database: the records, the figures for the one-line answer, and —
when everything together finds nothing — the best honest looser answer.

    run(conn, query, lexicon) → SearchResult

Never a bare 0件 when something is close:

- a word no record contains (うるま市 エイサー) is left out and the rest is answered, labelled as such;
  a compound word that no record contains is first tried as its parts (朝顔市 → 朝顔);
- a place-like word that names nothing (金択市) is answered with the "もしかして" partner when one is close;
- words that each find records but never together (組踊 × 公演) answer with the records holding any of them;
- when a place, a department or a date is among the parts that find records but not together (盛岡市 ×
  給食), the answer is 0件 — that is the truth — and it says how many each part finds alone, with those
  readings offered to ask;
- dates or a fiscal year that hold no stored data say which fiscal years are stored.

A real place with no records (大阪市) or a date range is never dropped to produce an answer. The looser readings
themselves are `store.relax`; this module runs the question, ranks, counts and summarises.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field, replace
from typing import Any

from store import era, gazetteer, sql
from store.normalize import fold
from store.query import Intent, Lexicon, Place, PlaceKind, Query, Term, parse
from store.query.stages import place_suggestions
from store.records import Record
from store.relax import Relaxation, count_term, held, ids_of, related_held, relax


def summaries_for(q: Query) -> tuple[str, ...]:
    """The figures the one-line answer of `q` needs (statements of store.sql.SUMMARIES)."""
    wanted = SUMMARIES_FOR[q.intent]
    if q.count_by == "department" and "departments" not in wanted:
        wanted += ("departments",)
    return wanted


SUMMARIES_FOR = {
    Intent.LIST: (),
    Intent.WHEN: ("municipalities", "months", "span"),
    Intent.WHERE: ("municipalities",),
    Intent.COUNT: ("municipalities", "months"),
    Intent.DEPARTMENT: ("municipalities", "departments"),
    Intent.WHAT: ("municipalities", "descriptions"),
    Intent.RANK: ("municipalities",),
}


@dataclass(frozen=True)
class Alternative:
    """Another reading worth offering, with what it finds: label (shown), ask (the question to run), total."""

    label: str
    ask: str
    total: int


@dataclass
class Summary:
    """Figures over every matching record (not only the page), for the one-line answer.

    municipalities: [(name, code or None, n)] most first; departments: [(name, n)]; months: [("2024-11", n)]
    by start month; first/last: ISO dates of the earliest start and latest end; open_ended: records with
    no end; periods: distinct period texts; descriptions: [(text, n)], the five most common.
    """

    municipalities: list[tuple[str, str | None, int]] = field(default_factory=list)
    departments: list[tuple[str, int]] = field(default_factory=list)
    months: list[tuple[str, int]] = field(default_factory=list)
    first: str | None = None
    last: str | None = None
    open_ended: int = 0
    periods: int = 0
    descriptions: list[tuple[str, int]] = field(default_factory=list)


@dataclass
class SearchResult:
    """One answer, shared by the CLI and the Slack rendering.

    query: what was asked; answered: the query the records answer (differs when `relaxed`); total: records
    matching `answered`; records: the requested page (offset/limit); counts: [(label, n)] when counts were
    asked for (何件 with 月別/自治体別); summary: figures for the one-line answer; relaxed: how the answer is
    looser, or None; ranking: [(label, n)] in the order asked (一番多い: most first; 一番少ない: fewest first;
    a comparison: each place or date named, most first) with ranked_by what they are (municipality |
    prefecture | department | month | place | date | department_named); alternatives: other readings to offer, with their counts; suggestions: "もしかして"
    names; outside_data: the dates or fiscal year asked hold no stored data; fiscal_years: those stored;
    sample: the title of the sample report shipped with the package when it answered (else ""); stored_series: the distinct series
    stored (set by `Store.search`; when there are several, a record's source names its series).
    """

    query: Query
    total: int
    records: list[Record]
    offset: int = 0
    limit: int | None = None
    answered: Query | None = None
    counts: list[tuple[str, int]] = field(default_factory=list)
    ranking: list[tuple[str, int]] = field(default_factory=list)
    ranked_by: str = ""
    summary: Summary = field(default_factory=Summary)
    relaxed: Relaxation | None = None
    alternatives: list[Alternative] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)
    outside_data: bool = False
    fiscal_years: list[int] = field(default_factory=list)
    sample: str = ""
    stored_series: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.answered is None:
            self.answered = self.query

    @property
    def strict_total(self) -> int:
        """Records matching the question exactly as asked (0 when the answer is a looser one)."""
        return 0 if self.relaxed else self.total


def widened(q: Query, lexicon: Lexicon) -> Query:
    """`q` with each word of a sentence that some record holds (and each excluded word) widened into its related
    words some record holds too (`related_held`: 子ども向けの交流 → 子ども・小学生・中学生), added after its own
    spellings so that the records holding the word as typed rank first (`sql.ranking`); the header shows them
    (意味の近い語) when they find more than the question as asked. A word typed alone, as a keyword (こども,
    金沢市 物産展), is searched as written. Decided from the lexicon's texts, with no SQL: `run` and
    `Store.search_sql` widen alike."""
    typed_alone = set(q.text.split())

    def widen(t: Term) -> Term:
        if t.place_like or t.related or t.text in typed_alone or not held(t, lexicon):
            return t  # a word no record holds is read as its related words by `_near_meaning`, said so
        found = related_held(t, lexicon)
        if not found:
            return t
        return replace(t, alternatives=t.alternatives + tuple(fold(w) for w in found), related=found)

    terms = tuple(widen(t) for t in q.terms)
    excluded = tuple(widen(t) for t in q.excluded_terms)
    if terms == q.terms and excluded == q.excluded_terms:
        return q
    return q.replace(terms=terms, excluded_terms=excluded)


def _rows(conn: sqlite3.Connection, statement: sql.Statement, ids: list[int]) -> list[dict[str, Any]]:
    cur = conn.execute(statement.sql, statement.bind(ids))
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, row)) for row in cur.fetchall()]


def run(
    conn: sqlite3.Connection,
    q: Query,
    lexicon: Lexicon,
    limit: int | None = 20,
    offset: int = 0,
    row_to_record: Any = None,
) -> SearchResult:
    """Answer `q` (see the module docstring). limit None or 0 = all records. Raises sqlite3.OperationalError
    (the caller turns locked/busy into StoreBusy)."""
    wide = widened(q, lexicon)
    ids = ids_of(conn, wide) if not q.is_empty or q.everything else []
    if wide is not q and (not ids or set(ids) != set(ids_of(conn, q))):
        q = wide  # the related words found more (or a looser reading is needed): answered and labelled so
        # (意味の近い語); else the same records answer the question as asked, its order and its label
    relaxed = None
    if not ids and not q.is_empty and not q.lacking_terms:  # "none lack it" is the answer
        found = relax(conn, q, lexicon)
        if found is not None:
            relaxed, ids = found
    answered = relaxed.query if relaxed else q
    if ids and len(ids) <= sql.PHRASE_RANK_LIMIT:
        rank = sql.rank_statement(answered)
        if rank is not None:
            ids = [row[0] for row in conn.execute(rank.sql, rank.bind(ids))]
    ranking: list[tuple[str, int]] = []
    ranked_by = ""
    if ids and answered.ranking is not None:
        compared = answered
        if relaxed is not None and relaxed.any_of:  # 物産展と給食、どっちが多い？: each word, not the list
            compared = answered.replace(terms=relaxed.any_of)
        ranking, ranked_by, ids = _ranked(conn, compared, ids)
    page = ids[offset : offset + limit] if limit else ids[offset:]
    records = [row_to_record(r) for r in _rows(conn, sql.PAGE, page)] if page else []
    result = SearchResult(q, len(ids), records, offset, limit or None, answered=answered, relaxed=relaxed)
    result.fiscal_years = list(lexicon.fiscal_years)
    result.ranking, result.ranked_by = ranking, ranked_by
    if ids:
        result.summary = _summary(conn, ids, summaries_for(answered))
        if answered.count_by == "month":
            result.counts = [(era.japanese_date(m), n) for m, n in result.summary.months]
        elif answered.count_by == "municipality":
            result.counts = [(name or "不明", n) for name, _, n in result.summary.municipalities]
        elif answered.count_by == "department":
            result.counts = [(name or "—", n) for name, n in result.summary.departments]
    else:
        result.outside_data = _outside_data(q, lexicon)
        result.suggestions = [s for t in q.terms if t.place_like for s in place_suggestions(t.text, lexicon)][:3]
        result.alternatives = _pointers(conn, q) + _named_in_records(conn, q)
    result.alternatives += _other_readings(conn, q, lexicon) if ids else []
    return result


def _ranked(conn: sqlite3.Connection, q: Query, ids: list[int]) -> tuple[list[tuple[str, int]], str, list[int]]:
    """The groups a comparison or ranking asks for (store.query.ranking), as ([(label, n)], what they are,
    the ids reordered group by group). A comparison counts each place, date or department the question names
    (a record in two of them counts in both); a ranking groups the records by municipality, prefecture
    (partners summed per 県, from the code's first two digits), department or start month."""
    ranking = q.ranking
    assert ranking is not None
    groups: dict[str, list[int]] = {}
    by = ranking.by
    items: list[tuple[str, Query]] = []
    starts: dict[int, str] = {}
    # two dates compared (7月と10月、どっちが多い？) count each record once, in the month it starts, as a
    # ranking by month does: an event running from July to October is July's
    dated = ranking.order == "compare" and len({d.label for d in q.dates}) >= 2
    if ranking.by_start or dated:  # 7月に始まった: the records that start in the dates asked, counted in their start month
        starts = {row[0]: row[5] or "" for row in conn.execute(sql.GROUPS.sql, sql.GROUPS.bind(ids))}
        if q.dates:
            ids = [i for i in ids if any(_starts_in(starts[i], d) for d in q.dates)]
    several = len(q.places) >= 2 or len({d.label for d in q.dates}) >= 2 or len(q.departments) >= 2
    several = several or (ranking.order == "compare" and len(q.terms) >= 2)
    if (ranking.order == "compare" or (several and ranking.order in ("most", "least"))) and not by:
        if len(q.places) >= 2:
            items, by = [(p.label, q.replace(places=(p,))) for p in q.places], "place"
        elif len({d.label for d in q.dates}) >= 2:
            labels = list(dict.fromkeys(d.label for d in q.dates))
            items = [(label, q.replace(dates=tuple(d for d in q.dates if d.label == label))) for label in labels]
            by = "date"
        elif len(q.departments) >= 2:
            items, by = [(d, q.replace(departments=(d,))) for d in q.departments], "department_named"
        elif len(q.terms) >= 2:  # 物産展と給食、どっちが多い？
            items, by = [(t.text, q.replace(terms=(t,))) for t in q.terms], "term"
    if items:
        wanted = set(ids)
        for label, part in items:
            found = [i for i in ids_of(conn, part) if i in wanted or by == "term"]
            if starts and by == "date":
                found = [i for i in found if any(_starts_in(starts[i], d) for d in part.dates)]
            groups[label] = found
    else:
        by = by or "municipality"
        prefecture_names = {m.code[:2]: name for name, m in gazetteer.prefectures().items()}
        for rowid, municipality, code, department, month, _ in conn.execute(sql.GROUPS.sql, sql.GROUPS.bind(ids)):
            if by == "prefecture":
                key = prefecture_names.get((code or "")[:2], "不明")
            elif by == "department":
                key = department or "—"
            elif by == "month":
                key = era.japanese_date(month)
            else:
                key = municipality or "不明"
                if ranking.only and not key.endswith(ranking.only):  # 熊本県内の市の中で: not the 県 itself
                    continue
            groups.setdefault(key, []).append(rowid)
        if ranking.only:
            ids = [i for k in groups.values() for i in k]
    if ranking.at_least or ranking.at_most:  # 5件以下の自治体: the groups within the bound
        groups = {
            k: found
            for k, found in groups.items()
            if len(found) >= ranking.at_least and (not ranking.at_most or len(found) <= ranking.at_most)
        }
        ids = [i for i in ids if any(i in found for found in groups.values())]
    if not ids:
        return [], by or "municipality", []
    fewest = ranking.order == "least"
    order = sorted(groups, key=lambda k: len(groups[k]) if fewest else -len(groups[k]))  # stable: first seen first
    ordered = list(dict.fromkeys([i for k in order for i in groups[k]] + ids))
    return [(k, len(groups[k])) for k in order], by or "municipality", ordered


def _starts_in(start: str, d: Any) -> bool:
    """True when the ISO date `start` falls inside the DateRange `d`."""
    return bool(start) and d.start.isoformat() <= start[:10] <= d.end.isoformat()


def _summary(conn: sqlite3.Connection, ids: list[int], wanted: tuple[str, ...]) -> Summary:
    s = Summary()
    for name in wanted:
        st = sql.SUMMARIES[name]
        rows = conn.execute(st.sql, st.bind(ids)).fetchall()
        if name == "municipalities":
            s.municipalities = [(m, c, n) for m, c, n in rows]
        elif name == "departments":
            s.departments = [(d, n) for d, n in rows]
        elif name == "months":
            s.months = [(m, n) for m, n in rows]
        elif name == "span":
            s.first, s.last, s.open_ended, s.periods = rows[0][0], rows[0][1], rows[0][2] or 0, rows[0][3]
        elif name == "descriptions":
            s.descriptions = [(d, n) for d, n in rows]
    return s


def _pointers(conn: sqlite3.Connection, q: Query) -> list[Alternative]:
    """When every part finds records but not together: how many each finds alone (盛岡市 8件, 給食 3件)."""
    if q.constraints < 2 or any(p.kind == PlaceKind.ABSENT for p in q.places):
        return []
    parts: list[tuple[str, str, Query]] = []
    if q.places:
        label = "・".join(p.label for p in q.places)
        parts.append((label, label, q.replace(terms=(), excluded_terms=())))
    for t in q.terms:
        parts.append((t.text, t.text, Query(text=t.text, terms=(t,))))
    if q.departments:
        label = "・".join(q.departments)
        parts.append((label, label, Query(text=label, departments=q.departments)))
    out = []
    for label, ask, part in parts:
        n = len(ids_of(conn, part))
        if n:
            out.append(Alternative(label, ask, n))
    return out if len(out) >= 2 else []


def _named_in_records(conn: sqlite3.Connection, q: Query) -> list[Alternative]:
    """A real place with no records of its own that the records mention (大洲市 in a 津和野町 record): how
    many mention it, offered as a search for the text (「大洲市」)."""
    out = []
    for p in q.places:
        if p.kind != PlaceKind.ABSENT:
            continue
        name = p.label.split("（")[0]
        n = count_term(conn, Term(name, (fold(name),)))
        if n:
            out.append(Alternative(f"{name}を含む記録", f"「{name}」", n))
    return out


def other_readings(q: Query, lexicon: Lexicon) -> list[tuple[str, str, Query]]:
    """The other reading of a prefecture named bare or short (熊本県, 熊本 → 熊本県内: its municipalities
    too), as (label, the question to ask, its parsed query): the same question with the scope added."""
    out = []
    for note in q.notes:
        if note.kind == "other_reading" and note.ask:
            ask = f"{note.ask} {q.text}"
            out.append((note.ask, ask, parse(ask, lexicon)))
    return out


def _other_readings(conn: sqlite3.Connection, q: Query, lexicon: Lexicon) -> list[Alternative]:
    """`other_readings` with what each finds (the ones that find something)."""
    out = []
    for label, ask, other in other_readings(q, lexicon):
        n = len(ids_of(conn, other))
        if n:
            out.append(Alternative(label, ask, n))
    return out


def _outside_data(q: Query, lexicon: Lexicon) -> bool:
    """True when the dates or the fiscal year asked for cover no stored data at all."""
    if q.fiscal_year is not None and q.fiscal_year not in lexicon.fiscal_years:
        return True
    span = lexicon.data_span
    if q.dates and span is not None:
        return all(d.end < span[0] or d.start > span[1] for d in q.dates)
    return bool(q.dates) and span is None


__all__ = ["run", "SearchResult", "Summary", "Relaxation", "Alternative", "Place"]
