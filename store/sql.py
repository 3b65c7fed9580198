"""Every SQL statement a search runs, built from a parsed `Query` — and nothing else builds search SQL, so
`Store.search_sql(query)` can return exactly the statements `Store.search(query)` executes.

Each constraint yields rowids; the answer is their INTERSECT, minus the EXCEPT of excluded parts:

- terms: one FTS5 MATCH, each term an OR of its alternatives, each alternative a quoted phrase of its
  character bigrams ("物産 産展"), a 1-character alternative a quoted prefix ("米"*) — only word characters
  reach FTS5, always inside quotes, so no user text is ever FTS5 syntax;
- places: municipality codes, prefecture code ranges (43xxxx = 熊本県 and its municipalities), or names of
  partners without a code;
- departments; the fiscal year (a rowid range: store.schema.sort_rowid); the report series; dates (the R*Tree
  of record days).

Rowids are in display order (store.schema.sort_rowid), so ascending rowids are the answer's order unless a
ranking applies (exact names first, then records holding each term as written).

The rowids found go to each later statement (rank, groups, page, summaries) as one JSON array (json_each).
Keeping them once in a temp table instead was measured and rejected: `bench_search.py --records 20000`, the same
machine, one after the other — sentences p50 1.28 → 8.36 ms, p99 17 → 270 ms (a temp-table write counts as a
change of the connection, so the cached parse context was rebuilt for every question), for at most four fewer
copies of an array SQLite parses in microseconds.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from store.normalize import bigrams, word_chars
from store.query.model import Place, Query, Term

PHRASE_RANK_LIMIT = 5000  # matches; beyond this many the answer is in date order only (ranking reads every match)


@dataclass(frozen=True)
class Statement:
    """One statement of a search. purpose: ids | rank | page | groups | municipalities | departments | months |
    span | descriptions | term_count | spelling; params: its parameters, where IDS stands for the JSON array of rowids
    found by the statement before."""

    purpose: str
    sql: str
    params: tuple[Any, ...] = ()

    def bind(self, ids: list[int] | None = None) -> list[Any]:
        """Parameters with IDS replaced by the JSON array of `ids`."""
        return [json.dumps(ids or []) if p is IDS else p for p in self.params]


class _Ids:
    """Placeholder for 'the rowids found so far' in Statement.params."""

    def __repr__(self) -> str:
        return "IDS"


IDS = _Ids()


def fts_phrase(alternative: str) -> str | None:
    """One folded alternative → an FTS5 phrase of its bigrams ("物産 産展"), or None under 2 characters."""
    grams = bigrams(alternative)
    if not grams or len(word_chars(alternative)) < 2:
        return None
    return '"' + " ".join(grams) + '"'


TEXT_COLUMNS = "{description department municipality}"  # all but the kana reading
_KANA = re.compile(r"[\u3041-\u309fー]{3,}")


def fts_query(alternative: str, reading: bool = False) -> str:
    """One folded alternative as FTS5 syntax: a quoted bigram phrase, or for one character a quoted prefix
    ("米"*), which the index answers because every character starts a token (store.db.index_text). With
    `reading` (a word typed in kana, 3 letters or more) it may match a description's kana reading too
    (くみおどり finds 組踊); else the text only ({description department municipality} : …)."""
    phrase = fts_phrase(alternative)
    expression = phrase if phrase else '"' + word_chars(alternative) + '"*'
    if reading and _KANA.fullmatch(word_chars(alternative)):
        return expression
    return f"{TEXT_COLUMNS} : {expression}"


def term_match(term: Term) -> str:
    """A term as one FTS5 expression: its alternatives ORed, and for a compound the AND of its words
    (each word's alternatives ORed): 協定締結 → ("協定 定締 締結" OR ("協定" AND "締結"))."""
    options = [fts_query(a, term.kana) for a in term.alternatives if word_chars(a)]
    if term.all_of:
        words = ["(" + " OR ".join(fts_query(a, term.kana) for a in word if word_chars(a)) + ")" for word in term.all_of]
        options.append("(" + " AND ".join(words) + ")")
    return "(" + " OR ".join(options) + ")"


def _place_conditions(places: tuple[Place, ...]) -> tuple[list[str], list[Any]]:
    """WHERE conditions on `records` for the places (ORed) and their parameters."""
    codes = sorted({c for p in places for c in p.codes})
    prefectures = sorted({n for p in places for n in p.prefectures})
    names = sorted({n for p in places for n in p.names})
    conds: list[str] = []
    params: list[Any] = []
    if codes:
        conds.append(f"municipality_code IN ({', '.join('?' * len(codes))})")
        params += codes
    for n in prefectures:  # every code of a prefecture starts with its number: 43xxxx is 熊本県
        conds.append("(municipality_code >= ? AND municipality_code < ?)")
        params += [n, str(int(n) + 1).zfill(2)]
    if names:
        conds.append(f"(municipality_code IS NULL AND municipality IN ({', '.join('?' * len(names))}))")
        params += names
    if not conds:
        return ["0"], []  # places that select nothing (大阪市, an unknown name)
    return conds, params


def _place_condition(places: tuple[Place, ...]) -> tuple[str, list[Any]]:
    conds, params = _place_conditions(places)
    return " OR ".join(conds), params


def _places_rowids(places: tuple[Place, ...]) -> tuple[str, list[Any]]:
    """The rowids of the places' records: one indexed SELECT per condition, UNIONed — an OR of code ranges
    (a region is several prefectures) would otherwise scan the whole table."""
    conds, params = _place_conditions(places)
    if len(conds) == 1:
        return f"SELECT rowid FROM records WHERE {conds[0]}", params
    union = " UNION ".join(f"SELECT rowid FROM records WHERE {c}" for c in conds)
    return f"SELECT * FROM ({union})", params


def constraints(q: Query) -> list[tuple[str, str, list[Any]]]:
    """Each part of the query as (kind, SQL returning matching rowids, params); kind "not" is subtracted."""
    subs: list[tuple[str, str, list[Any]]] = []
    if q.terms:
        subs.append(
            ("terms", "SELECT rowid FROM records_fts WHERE records_fts MATCH ?", [" AND ".join(term_match(t) for t in q.terms)])
        )
    if q.places:
        subs.append(("places", *_places_rowids(q.places)))
    if q.departments:
        marks = ", ".join("?" * len(q.departments))
        subs.append(("departments", f"SELECT rowid FROM records WHERE department IN ({marks})", list(q.departments)))
    if q.fiscal_year is not None:
        low = (3000 - q.fiscal_year) << 48  # rowids of one fiscal year are one range (store.schema.sort_rowid)
        subs.append(("fiscal_year", "SELECT rowid FROM records WHERE rowid BETWEEN ? AND ?", [low, low | ((1 << 48) - 1)]))
    if q.series is not None:
        subs.append(("series", "SELECT rowid FROM records WHERE series = ?", [q.series]))
    if q.dates:
        conds = " OR ".join("(first_day <= ? AND last_day >= ?)" for _ in q.dates)
        params = [x for d in q.dates for x in (d.end.toordinal(), d.start.toordinal())]
        subs.append(("dates", f"SELECT record_rowid FROM record_days WHERE {conds}", params))
    if q.excluded_terms:
        match = " OR ".join(term_match(t) for t in q.excluded_terms)
        subs.append(("not", "SELECT rowid FROM records_fts WHERE records_fts MATCH ?", [match]))
    if q.excluded_places:
        subs.append(("not", *_places_rowids(q.excluded_places)))
    if q.excluded_dates:
        conds = " OR ".join("(first_day <= ? AND last_day >= ?)" for _ in q.excluded_dates)
        params = [x for d in q.excluded_dates for x in (d.end.toordinal(), d.start.toordinal())]
        subs.append(("not", f"SELECT record_rowid FROM record_days WHERE {conds}", params))
    if q.excluded_departments:
        marks = ", ".join("?" * len(q.excluded_departments))
        subs.append(("not", f"SELECT rowid FROM records WHERE department IN ({marks})", list(q.excluded_departments)))
    if q.lacking_terms:  # every record of a partner that has one
        match = " OR ".join(term_match(t) for t in q.lacking_terms)
        partners = "SELECT municipality FROM records WHERE rowid IN (SELECT rowid FROM records_fts WHERE records_fts MATCH ?)"
        subs.append(("not", f"SELECT rowid FROM records WHERE municipality IN ({partners})", [match]))
    return subs


def ids_statement(q: Query) -> Statement:
    """The rowids every constraint allows, ascending (= display order), each once."""
    subs = constraints(q)
    positive = [s for s in subs if s[0] != "not"]
    negative = [s for s in subs if s[0] == "not"]
    if not positive:
        sql = "SELECT rowid FROM records"
    elif len(positive) == 1:
        sql = f"SELECT DISTINCT * FROM ({positive[0][1]})"  # a record with two dates in one month is one record
    else:
        sql = "\nINTERSECT ".join(s for _, s, _ in positive)
    for _, s, _ in negative:
        sql += "\nEXCEPT " + s
    params = [p for _, _, ps in positive + negative for p in ps]
    return Statement("ids", sql + "\nORDER BY 1", tuple(params))


def ranking(q: Query) -> tuple[list[str], list[Any]]:
    """ORDER BY keys before rowid, and their parameters: places named exactly before those found by a
    short name or a correction (when both kinds are present), then records held within the dates asked
    before those that only overlap them (11月 puts 11月16日 before a year-long exhibition), then records
    holding each term as written."""
    keys: list[str] = []
    params: list[Any] = []
    ranks = {p.rank for p in q.places}
    if len(ranks) > 1:
        cases = []
        for p in sorted(q.places, key=lambda p: p.rank):
            cond, cond_params = _place_condition((p,))
            cases.append(f"WHEN {cond.replace('municipality', 'r.municipality')} THEN {int(p.rank)}")
            params += cond_params
        keys.append("CASE " + " ".join(cases) + " ELSE 9 END")
    if q.dates:
        inside = " OR ".join("(r.start >= ? AND coalesce(r.\"end\", '9999') <= ?)" for _ in q.dates)
        keys.append(f"NOT ({inside})")
        params += [x for d in q.dates for x in (d.start.isoformat(), d.end.isoformat())]
    for t in q.terms:
        keys.append("instr(r.search_text, ?) = 0")
        params.append(t.alternatives[0])
    return keys, params


def rank_statement(q: Query) -> Statement | None:
    """Reorders the rowids found (a JSON array) by `ranking`; None when the order is plain rowid order."""
    keys, params = ranking(q)
    if not keys:
        return None
    sql = "SELECT j.value FROM json_each(?) j JOIN records r ON r.rowid = j.value\nORDER BY " + ", ".join(keys + ["r.rowid"])
    return Statement("rank", sql, (IDS, *params))


PAGE = Statement("page", "SELECT r.* FROM json_each(?) j JOIN records r ON r.rowid = j.value ORDER BY j.key", (IDS,))

_OVER_IDS = "FROM json_each(?) j JOIN records r ON r.rowid = j.value"
GROUPS = Statement(
    "groups",
    f"SELECT r.rowid, r.municipality, r.municipality_code, r.department, substr(r.start, 1, 7), r.start {_OVER_IDS} "
    "ORDER BY j.key",
    (IDS,),
)
SUMMARIES = {
    "municipalities": Statement(
        "municipalities",
        f"SELECT r.municipality, r.municipality_code, count(*) AS n {_OVER_IDS} "
        "GROUP BY r.municipality, r.municipality_code ORDER BY n DESC, min(j.key)",
        (IDS,),
    ),
    "departments": Statement(
        "departments",
        f"SELECT r.department, count(*) AS n {_OVER_IDS} GROUP BY r.department ORDER BY n DESC, min(j.key)",
        (IDS,),
    ),
    "months": Statement(
        "months", f"SELECT substr(r.start, 1, 7) AS month, count(*) AS n {_OVER_IDS} GROUP BY month ORDER BY month", (IDS,)
    ),
    "span": Statement(
        "span",
        f'SELECT min(r.start), max(r."end"), sum(r."end" IS NULL AND r.start IS NOT NULL), count(DISTINCT r.period_text) {_OVER_IDS}',
        (IDS,),
    ),
    "descriptions": Statement(
        "descriptions",
        f"SELECT r.description, count(*) AS n {_OVER_IDS} GROUP BY r.description ORDER BY n DESC, min(j.key) LIMIT 5",
        (IDS,),
    ),
}


def term_count_statement(term: Term) -> Statement:
    """How many records hold a term anywhere (to tell a word the records never use from a combination
    that happens to be empty)."""
    return Statement("term_count", "SELECT count(*) FROM records_fts WHERE records_fts MATCH ?", (term_match(term),))


SPELLING_CANDIDATES = 100  # descriptions read for a word one letter away (store.relax._one_letter_away)


def spelling_statement(match: str) -> Statement:
    """The descriptions of the first SPELLING_CANDIDATES records an FTS5 `match` (of quoted bigram phrases, built
    by the caller from `fts_phrase`) finds: where a word one letter away from a typed one is looked for."""
    return Statement(
        "spelling",
        "SELECT description FROM records WHERE rowid IN "
        f"(SELECT rowid FROM records_fts WHERE records_fts MATCH ? LIMIT {SPELLING_CANDIDATES})",
        (match,),
    )


def statements(q: Query, summaries: tuple[str, ...] = ()) -> list[Statement]:
    """The statements `Store.search(q)` runs for an answer that needs no looser reading, in order: ids,
    rank (only when ranking applies and at most PHRASE_RANK_LIMIT records matched), page, then the
    summaries the answer line needs."""
    out = [ids_statement(q)]
    rank = rank_statement(q)
    if rank is not None:
        out.append(rank)
    out.append(PAGE)
    out += [SUMMARIES[s] for s in summaries]
    return out
