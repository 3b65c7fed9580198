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

A real place with no records (大阪市) or a date range is never dropped to produce an answer.
"""

from __future__ import annotations

import itertools
import re
import sqlite3
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any

from rapidfuzz.distance import Levenshtein

from store import gazetteer, sql
from store.normalize import fold, word_chars
from store.query import Intent, Lexicon, Place, PlaceKind, Query, Term, parse
from store.query.lexicon import related_words, word_roles
from store.query.stages import place_suggestions
from store.records import Record
from store.sql import fts_phrase


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
class Relaxation:
    """How the answer is looser than the question. reason: unknown_words (dropped: words no record
    contains; split: compounds answered by their parts) | maybe (a place-like word read as the partner
    `suggestion`, or words read as a near word the records use: `near`, [(asked, read as)]) | either
    (words each found but never all together: `apart` are left out) | any (words joined as a list — 給食と防災 —
    that no record holds together: the records holding any of `any_of`); `meant`: [(asked, read as)] words no
    record holds read as the records' words nearest in meaning (スイーツ → デザート・パフェ, store.query.near)."""

    reason: str
    query: Query
    dropped: tuple[Term, ...] = ()
    split: tuple[Term, ...] = ()
    suggestion: str = ""
    near: tuple[tuple[Term, Term], ...] = ()
    apart: tuple[Term, ...] = ()
    any_of: tuple[Term, ...] = ()
    meant: tuple[tuple[Term, Term], ...] = ()


JOINED = re.compile(r"\s*(?:と|・|、|,|，|&|＆|および|及び|又は|または|とか|and|or)\s*", re.I)


def _joined(text: str, a: Term, b: Term) -> bool:
    """True when the question joins the two words as a list (給食と防災, 給食・防災, lunch and disaster)."""
    at = text.find(a.text)
    bt = text.find(b.text, at + len(a.text)) if at >= 0 else -1
    return at >= 0 and bt >= 0 and bool(JOINED.fullmatch(text[at + len(a.text) : bt]))


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
    sample: answered from the sample report shipped with the package; stored_series: the distinct series
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
    sample: bool = False
    stored_series: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.answered is None:
            self.answered = self.query

    @property
    def strict_total(self) -> int:
        """Records matching the question exactly as asked (0 when the answer is a looser one)."""
        return 0 if self.relaxed else self.total


def _ids(conn: sqlite3.Connection, q: Query) -> list[int]:
    st = sql.ids_statement(q)
    return [row[0] for row in conn.execute(st.sql, st.bind())]


def widened(q: Query, lexicon: Lexicon) -> Query:
    """`q` with each word of a sentence that some record holds (and each excluded word) widened into its related
    words some record holds too (`_related_held`: 子ども向けの交流 → 子ども・小学生・中学生), added after its own
    spellings so that the records holding the word as typed rank first (`sql.ranking`); the header shows them
    (意味の近い語) when they find more than the question as asked. A word typed alone, as a keyword (こども,
    金沢市 物産展), is searched as written. Decided from the lexicon's texts, with no SQL: `run` and
    `Store.search_sql` widen alike."""
    typed_alone = set(q.text.split())

    def widen(t: Term) -> Term:
        if t.place_like or t.related or t.text in typed_alone or not _held(t, lexicon):
            return t  # a word no record holds is read as its related words by `_near_meaning`, said so
        found = _related_held(t, lexicon)
        if not found:
            return t
        return replace(t, alternatives=t.alternatives + tuple(fold(w) for w in found), related=found)

    terms = tuple(widen(t) for t in q.terms)
    excluded = tuple(widen(t) for t in q.excluded_terms)
    if terms == q.terms and excluded == q.excluded_terms:
        return q
    return q.replace(terms=terms, excluded_terms=excluded)


def _held(t: Term, lexicon: Lexicon) -> bool:
    """Some record holds `t`: one of its spellings, or each word of the compound (周年記念 in 10周年を記念した)."""
    if any(lexicon.holds(a) for a in t.alternatives):
        return True
    return bool(t.all_of) and all(any(lexicon.holds(a) for a in group) for group in t.all_of)


def _related_held(t: Term, lexicon: Lexicon) -> tuple[str, ...]:
    """The related words of `t` (`store.query.lexicon.related_words`, the reviewed list: スイーツ → デザート,
    パフェ …) that some record holds, as written in the list; a related word containing a spelling already
    searched finds nothing more and is left out (物産販売 when 物産 is there)."""
    related = related_words()
    candidates = [w for a in (t.text, *t.alternatives) for w in related.get(fold(a), ())]
    wanted = {fold(w): w for w in candidates if word_chars(fold(w)) and fold(w) not in t.alternatives}
    searched = set(t.alternatives) | set(wanted)
    kept = [f for f in wanted if not any(g != f and g in f for g in searched)]
    return tuple(wanted[f] for f in kept if lexicon.holds(f))


def _count_term(conn: sqlite3.Connection, term: Term) -> int:
    st = sql.term_count_statement(term)
    return conn.execute(st.sql, st.bind()).fetchone()[0]


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
    ids = _ids(conn, wide) if not q.is_empty or q.everything else []
    if wide is not q and (not ids or set(ids) != set(_ids(conn, q))):
        q = wide  # the related words found more (or a looser reading is needed): answered and labelled so
        # (意味の近い語); else the same records answer the question as asked, its order and its label
    relaxed = None
    if not ids and not q.is_empty and not q.lacking_terms:  # "none lack it" is the answer
        found = _relax(conn, q, lexicon)
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
            result.counts = [(_month_label(m), n) for m, n in result.summary.months]
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
            found = [i for i in _ids(conn, part) if i in wanted or by == "term"]
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
                key = _month_label(month)
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


def _relax(conn: sqlite3.Connection, q: Query, lexicon: Lexicon) -> tuple[Relaxation, list[int]] | None:
    """The best looser answer when the question as asked finds nothing, or None (see module docstring).

    Only words no record contains are loosened: a compound is tried as the parts the records do hold
    (朝顔市 → 朝顔), all of them, then any of them; a word one letter away from a word the records use is
    read as that word (物産転 → 物産展, "もしかして"); a place-like word is read as the "もしかして" partner;
    any other such word is left out. A place-like word with none of these blocks: 0件, never an answer about
    everything else."""
    unknown = tuple(t for t in q.terms if _count_term(conn, t) == 0)
    if not unknown:
        return _near_word(conn, q) or _either(conn, q)
    keep = tuple(t for t in q.terms if t not in unknown)
    split: list[tuple[Term, list[Term]]] = []
    corrected: list[tuple[Term, Term]] = []
    dropped: list[Term] = []
    places: list[Place] = []
    suggestion = ""
    meant: list[tuple[Term, Term]] = []
    for t in unknown:
        typo = None if t.place_like else _one_letter_away(conn, t)
        if typo is not None:
            corrected.append((t, typo))
            dropped.append(t)
            continue
        reviewed = None if t.place_like else _related_held(t, lexicon)
        if reviewed:  # the reviewed list knows the compound as a whole (鍋料理 → 芋煮), before its parts (料理)
            meant.append((t, _meaning_term(t, reviewed)))
            continue
        parts = _known_parts(conn, t)
        if parts and len(word_chars("".join(t.words[: _first_word(t, parts[0])]))) >= 2:
            # the records hold only the compound's later part, its head (花火大会 → 大会), after a word of two
            # characters or more they do not: every 大会 is no answer about 花火 (竹あかり → あかり still is)
            parts = []
        if parts:  # literal parts first (金沢ゆかり → 金沢・ゆかり), then a near meaning
            split.append((t, parts))
            continue
        meaning = None if t.place_like else _near_meaning(conn, t, lexicon)
        if meaning is not None:
            meant.append((t, meaning))
            continue
        if t.place_like:
            place = _suggested_place(t.text, lexicon)
            if place is None:
                return None
            places.append(place)
            suggestion = place.label
            continue
        dropped.append(t)
    all_parts = tuple(p for _, parts in split for p in parts)
    any_part = tuple(
        Term(" または ".join(p.text for p in parts), tuple(a for p in parts for a in p.alternatives)) for _, parts in split
    )
    fixes = tuple(typo for _, typo in corrected) + tuple(m for _, m in meant)
    fixed = tuple(t for t, _ in corrected)
    base = q.replace(places=q.places + tuple(places))
    split_terms = tuple(t for t, _ in split)
    left = tuple(t for t in dropped if t not in fixed)
    # (terms, compounds answered by their parts, words read as a near word, words left out), loosest last
    readings = [(keep + all_parts + fixes, split_terms, corrected, left)]
    if any(len(parts) > 1 for _, parts in split):
        readings.append((keep + any_part + fixes, split_terms, corrected, left))
    if split:
        readings.append((keep + fixes, (), corrected, left + split_terms))
    if corrected:
        readings.append((keep + all_parts, split_terms, [], tuple(dropped)))
        readings.append((keep, (), [], tuple(dropped) + split_terms))
    if meant:  # the near words find nothing with the rest: the words left out instead (甲州市のワイン → 甲州市)
        unmeant = tuple(t for t, _ in meant)
        plain = tuple(typo for _, typo in corrected)
        readings.append((keep + all_parts + plain, split_terms, corrected, left + unmeant))
        readings.append((keep, (), [], tuple(dropped) + split_terms + unmeant))
    seen = set()
    for terms, answered_by_parts, near, left_out in readings:
        looser = base.replace(terms=terms)
        if not (looser.terms or looser.has_filters) or terms in seen:
            continue  # nothing left that the user asked for
        seen.add(terms)
        ids = _ids(conn, looser)
        if ids:
            maybe = bool(places or near) and not left_out and not answered_by_parts
            return (
                Relaxation(
                    "maybe" if maybe else "unknown_words",
                    looser,
                    dropped=left_out,
                    split=answered_by_parts,
                    suggestion=suggestion,
                    near=tuple(near),
                    meant=tuple((t, m) for t, m in meant if m in terms),
                ),
                ids,
            )
        apart = _either(conn, looser)  # the words left, each found but never all together
        if apart is not None:
            return replace(apart[0], dropped=left_out, split=answered_by_parts, near=tuple(near)), apart[1]
    return None


def _near_word(conn: sqlite3.Connection, q: Query) -> tuple[Relaxation, list[int]] | None:
    """Every word is found, but not with the rest: a word one letter away that is (金沢市 × 物産店 → 物産展,
    もしかして). Tried only when the rest names a place, a department or a date."""
    if not q.has_filters:
        return None
    for t in q.terms:
        near = _one_letter_away(conn, t)
        if near is None:
            continue
        looser = q.replace(terms=tuple(near if x is t else x for x in q.terms))
        ids = _ids(conn, looser)
        if ids:
            return Relaxation("maybe", looser, near=((t, near),)), ids
    return None


MAX_DROP_TERMS = 6  # words beyond this many are not tried in every combination


def _either(conn: sqlite3.Connection, q: Query) -> tuple[Relaxation, list[int]] | None:
    """Words each found but never all together: the answer with as few of them left out as finds
    records — nouns used as verbs first (紹介したい), then the later words (組踊の公演 → 組踊: the topic comes
    first) — labelled. At least one word stays: with a place, a department or a date and a single word,
    the empty answer is the truth and stays (盛岡市 × 給食)."""
    terms = q.terms[:MAX_DROP_TERMS]
    if len(terms) < 2:
        return None
    if all(_joined(q.text, a, b) for a, b in itertools.pairwise(terms)):  # 給食と防災: either, said so
        merged = Term(
            "・".join(t.text for t in terms),
            tuple(dict.fromkeys(a for t in terms for a in t.alternatives)),
            shown=tuple(dict.fromkeys(s for t in terms for s in t.shown)),
            all_of=tuple(g for t in terms for g in t.all_of),
        )
        looser = q.replace(terms=(merged,) + q.terms[MAX_DROP_TERMS:])
        ids = _ids(conn, looser)
        if ids:
            return Relaxation("any", looser, any_of=terms), ids
    # which to leave out first: words that qualify (伝統の舞, 若い子), verbal words, then from the end
    order = sorted(range(len(terms)), key=lambda i: (not _qualifies(terms[i]), not terms[i].verbal, -i))
    for k in range(1, len(terms)):
        for out in itertools.combinations(order, k):
            kept = tuple(t for i, t in enumerate(terms) if i not in out)
            looser = q.replace(terms=kept + q.terms[MAX_DROP_TERMS:])
            ids = _ids(conn, looser)
            if ids:
                return Relaxation("either", looser, apart=tuple(terms[i] for i in sorted(out))), ids
    return None


def _qualifies(term: Term) -> bool:
    """`term` says what kind rather than what (data/words.tsv, role qualifier: 伝統, 郷土, 記憶), or is one letter
    with no related words (若い子 → 子): the first word left out when the words are never found together."""
    word = term.text.split(" → ")[0]
    if "qualifier" in word_roles().get(fold(word), frozenset()):
        return True
    return len(word_chars(word)) == 1 and not term.related and len(term.alternatives) == 1


def _near_meaning(conn: sqlite3.Connection, term: Term, lexicon: Lexicon) -> Term | None:
    """`term` (which no record holds) read as the records' words nearest to it in meaning, those that find
    records — the reviewed related words (`_related_held`) first, else the word vectors — as one word with those
    alternatives: スイーツ → デザート・パフェ（意味の近い語）; None when none is near."""
    found = list(_related_held(term, lexicon))  # the reviewed list first, then the word vectors
    if not found and not term.verbal:  # 参加した: a verb says how, and its neighbours (主催, 開催) are other things
        roles = word_roles()
        near = [w for w, _ in lexicon.meanings.near(term.text) if not roles.get(fold(w))]  # never into 交流, イベント
        found = [w for w in near if _count_term(conn, Term(w, (fold(w),))) > 0]
    if not found:
        return None
    return _meaning_term(term, found)


def _meaning_term(term: Term, found: list[str] | tuple[str, ...]) -> Term:
    """`term` read as the words `found` (as the records write them), labelled スイーツ → デザート・パフェ（意味の近い語）."""
    return Term(f"{term.text} → {'・'.join(found)}（意味の近い語）", tuple(fold(w) for w in found))


MAX_NEAR_LETTERS = 24  # a typo is looked for in a word, not in a paragraph typed without spaces


def _one_letter_away(conn: sqlite3.Connection, term: Term) -> Term | None:
    """The word the records use most that is one letter away from `term` (Levenshtein distance 1: one
    letter changed, added or left out — 物産転 → 物産展, ワークショプ → ワークショップ), or None; only for
    words of 3 to MAX_NEAR_LETTERS letters, and never shorter than 3 letters. Candidates are the first `sql.SPELLING_CANDIDATES` (100)
    records holding what such a word must keep — the letters before the change and those after it."""
    text = word_chars(term.alternatives[0])
    if not 3 <= len(text) <= MAX_NEAR_LETTERS:
        return None
    groups = set()
    for k in range(len(text) + 1):
        for before, after in ((text[:k], text[k + 1 :]), (text[:k], text[k:])):  # changed or left out; added
            parts = tuple(p for p in (before, after) if fts_phrase(p) is not None)
            if parts and parts != (text,):
                groups.add(parts)
    if not groups:
        return None
    match = " OR ".join("(" + " AND ".join(str(fts_phrase(p)) for p in g) + ")" for g in sorted(groups))
    st = sql.spelling_statement(match)
    rows = conn.execute(st.sql, st.bind()).fetchall()
    pieces = {p for g in groups for p in g}
    sizes = sorted({max(3, len(text) - 1), len(text), len(text) + 1})
    found: Counter[str] = Counter()
    for (description,) in rows:
        folded = fold(description)
        if len(folded) != len(description):
            continue  # folding changed the length: positions would not line up (rare: ligatures, ㈱)
        starts: set[int] = set()
        for piece in pieces:  # a word one letter away keeps one of these pieces: look only around them
            at = folded.find(piece)
            while at != -1:
                starts.update(range(max(0, at - len(text)), at + 1))
                at = folded.find(piece, at + 1)
        seen: set[str] = set()
        for i in starts:
            for size in sizes:
                window = folded[i : i + size]
                if len(window) == size and window != text and _WORD.fullmatch(window) and _whole_word(description, i, i + size):
                    if Levenshtein.distance(window, text) == 1:
                        seen.add(description[i : i + size])
        found.update(seen)
    if not found:
        return None
    word = found.most_common(1)[0][0]
    return Term(word, (fold(word),))


_WORD = re.compile(r"[^\W_]+")


def _script(c: str) -> str:
    if "\u3041" <= c <= "\u309f":
        return "hiragana"
    if "\u30a0" <= c <= "\u30ff" or c == "ー":
        return "katakana"
    if "\u4e00" <= c <= "\u9fff" or c in "々〆":
        return "kanji"
    return "latin" if c.isascii() and c.isalnum() else "other"


def _whole_word(text: str, a: int, b: int) -> bool:
    """text[a:b] does not start or end inside a run of its own script (ティン inside ミーティング is no word)."""
    before = a == 0 or _script(text[a - 1]) != _script(text[a])
    after = b == len(text) or _script(text[b]) != _script(text[b - 1])
    return before and after


MAX_PART_WORDS = 6  # a piece of a compound that records hold is at most this many words (子ども食堂支援事業: 4)


def _first_word(term: Term, part: Term) -> int:
    """The index of the compound's word where `part` (a run of its words, `_known_parts`) starts."""
    for i in range(len(term.words)):
        if "".join(term.words[i:]).startswith(part.text):
            return i
    return 0


def _known_parts(conn: sqlite3.Connection, term: Term) -> list[Term]:
    """The longest runs of a compound's words that records do hold, left to right (朝顔市 → [朝顔],
    くまモン出演 → [くまモン, 出演]); pieces under 2 characters are skipped. [] for a single word. Runs are
    at most MAX_PART_WORDS long, so a 1,000-word string without spaces costs some thousands of counts, not
    half a million."""
    words = term.words
    parts: list[Term] = []
    i = 0
    while i < len(words):
        for j in range(min(len(words), i + MAX_PART_WORDS), i, -1):
            text = "".join(words[i:j])
            if j - i == len(words) or len(word_chars(text)) < 2:
                continue
            piece = Term(text, (fold(text),))
            if _count_term(conn, piece) > 0:
                parts.append(piece)
                i = j
                break
        else:
            i += 1
    return parts


def _suggested_place(text: str, lexicon: Lexicon) -> Place | None:
    names = place_suggestions(text, lexicon)
    if not names:
        return None
    entries = lexicon.names.get(fold(names[0]), [])
    places = [e.place for e in entries if not e.short] or [e.place for e in entries]
    return places[0] if places else None


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
        n = len(_ids(conn, part))
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
        n = _count_term(conn, Term(name, (fold(name),)))
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
        n = len(_ids(conn, other))
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


def _month_label(ym: str | None) -> str:
    """ "2024-11" → "2024年11月" (None → 日付不明)."""
    return f"{ym[:4]}年{int(ym[5:7])}月" if ym else "日付不明"


__all__ = ["run", "SearchResult", "Summary", "Relaxation", "Alternative", "Place"]
