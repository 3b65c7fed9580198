"""The parsed question: a frozen `Query` of typed parts. What the parser understood is all here; the SQL
builder (`store.sql`) and the answer (`store.search`) read nothing else.

    「金沢の物産展はいつ？」 → Query(places=(金沢市,), terms=(物産展,), intent=WHEN)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from store.query.ranking import Ranking


class Intent(StrEnum):
    """What kind of answer the question asks for (the one line shown above the records)."""

    LIST = "list"  # no question word: the records themselves
    WHEN = "when"  # いつ, 何月 → a summary of the dates
    WHERE = "where"  # どこ, どの自治体 → the municipalities with counts
    COUNT = "count"  # 何件, いくつ → the count (by municipality or month where asked)
    DEPARTMENT = "department"  # どの課, 担当 → the departments
    WHAT = "what"  # 何を, どんな → the descriptions
    RANK = "rank"  # 一番多い, ランキング, どっちが多い → groups ranked by count (store.query.ranking)


class PlaceKind(StrEnum):
    MUNICIPALITY = "municipality"  # a partner by name, short name, reading or romaji
    PREFECTURE = "prefecture"  # a prefecture's own records (a bare 熊本県 that is itself a partner)
    SCOPE = "scope"  # a prefecture and every municipality in it (熊本県内, 沖縄県の自治体)
    REGION = "region"  # a set of prefectures (東北, 九州・沖縄)
    FORMER = "former"  # an old name of a merged municipality (具志川市 → うるま市)
    ABSENT = "absent"  # a real place with no records (大阪市): answers "none", never a text search


@dataclass(frozen=True)
class Place:
    """One place the question names and the records it selects.

    codes: 6-digit municipality codes matched exactly; prefectures: 2-digit prefecture numbers, every
    record whose code starts with one ("43" = 熊本県 and its municipalities); names: municipality names of
    records without a code (a partner the gazetteer does not know). rank: 0 named exactly, 1 by a short
    name or reading, 2 corrected (a misspelling, a wrong ending) — exact names sort first.
    """

    label: str
    kind: PlaceKind
    codes: frozenset[str] = frozenset()
    prefectures: frozenset[str] = frozenset()
    names: frozenset[str] = frozenset()
    rank: int = 0
    written: str = ""

    @property
    def selects_nothing(self) -> bool:
        return not (self.codes or self.prefectures or self.names)


@dataclass(frozen=True)
class Term:
    """A word that must appear in a record (description, department or municipality).

    text: as the user wrote it; alternatives: folded forms (`store.normalize.fold`), any one of which
    matches, the written form first; shown: the display forms of the other alternatives, for the header
    (祭り → 祭・まつり); place_like: it ends like a place name (金択市, 朝顔市) — when no record holds it,
    it is answered as a misspelt place, never dropped; words: the analyser's words of a compound (朝顔市 →
    朝顔, 市), which a looser answer may use when no record holds the whole; all_of: the words of a
    compound with their alternatives — a record holding all of them matches too (協定締結 finds 協定の締結);
    kana: typed in kana (くみおどり), so it may match the descriptions' kana readings (組踊); verbal: a
    noun used as a verb (紹介したい, 出展した) — it describes more than it names, and a looser answer may drop it;
    related: the display forms of the related words it was widened into (子ども → 小学生・中学生: the reviewed
    list `data/related.tsv`, those some record holds), matched after the alternatives above.
    """

    text: str
    alternatives: tuple[str, ...]
    shown: tuple[str, ...] = ()
    place_like: bool = False
    words: tuple[str, ...] = ()
    all_of: tuple[tuple[str, ...], ...] = ()
    kana: bool = False
    verbal: bool = False
    related: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """祭り（祭・まつり）; the written text alone when nothing was added; related words after it."""
        return (f"{self.text}（{'・'.join(self.shown)}）" if self.shown else self.text) + self.related_label

    @property
    def related_label(self) -> str:
        """・小学生・中学生（意味の近い語） for the related words the term was widened into, else ""."""
        return f"・{'・'.join(self.related)}（意味の近い語）" if self.related else ""


@dataclass(frozen=True)
class DateRange:
    """Days a record must overlap (end inclusive). label: how it is shown (2024年11月, 夏休み（7月21日～8月31日））."""

    start: dt.date
    end: dt.date
    label: str


@dataclass(frozen=True)
class Note:
    """Something the user should know about how the question was read, in Japanese.

    kind: corrected | former | reading | date | unreadable | unknown_place | other_reading | home;
    ask: a question that shows the other reading (a button in Slack), when there is one.
    """

    kind: str
    text: str
    ask: str = ""


@dataclass(frozen=True)
class Query:
    """A parsed question. Parts are ANDed; alternatives inside a part are ORed (several places are one
    union, a Term's alternatives are one OR); excluded parts are subtracted.

    count_by: "municipality" | "month" | "department" when the question asks for counts broken down;
    count_of: "municipalities" when it counts partners (何自治体, 自治体はいくつ), else "records"; fiscal_year: 年度
    asked for; everything: with no parts, the question still asked about the records (交流先はどこ？, 全部見せて)
    — every record answers it; a question with nothing readable at all (あ) is answered by none;
    lacking_terms: partners with any record holding one of these are left out — the records that remain
    belong to partners without one (物産展をやっていない自治体は？); series: only records of this report series
    (交流実績一覧（協定等締結自治体以外）, "" the series of untitled reports), None for every series — set by the
    caller (`koryu ask --series`), never read from the question; context: the earlier questions it follows up
    (a Slack thread's, `koryu ask --after`), oldest first — what a page of its answer must be read with again;
    ranking: what a comparison or ranking asks (intent RANK), None otherwise; language: "en" for a question
    written in English (store.query.english; its one-line answer is given in English), else "ja".
    """

    text: str
    terms: tuple[Term, ...] = ()
    excluded_terms: tuple[Term, ...] = ()
    places: tuple[Place, ...] = ()
    excluded_places: tuple[Place, ...] = ()
    departments: tuple[str, ...] = ()
    excluded_departments: tuple[str, ...] = ()
    dates: tuple[DateRange, ...] = ()
    excluded_dates: tuple[DateRange, ...] = ()
    lacking_terms: tuple[Term, ...] = ()
    fiscal_year: int | None = None
    series: str | None = None
    intent: Intent = Intent.LIST
    count_by: str | None = None
    count_of: str = "records"
    notes: tuple[Note, ...] = ()
    everything: bool = False
    context: tuple[str, ...] = ()
    ranking: Ranking | None = None
    language: str = "ja"

    @property
    def is_empty(self) -> bool:
        """True when nothing constrains the records (the question named nothing we could read)."""
        return not self.constraints

    @property
    def constraints(self) -> int:
        """How many parts restrict the answer (terms, places, departments, dates, fiscal year, series,
        exclusions)."""
        return (
            len(self.terms)
            + len(self.places)
            + len(self.departments)
            + (1 if self.dates else 0)
            + (1 if self.fiscal_year is not None else 0)
            + (1 if self.series is not None else 0)
            + len(self.excluded_terms)
            + len(self.excluded_places)
            + len(self.excluded_departments)
            + (1 if self.excluded_dates else 0)
            + len(self.lacking_terms)
        )

    @property
    def has_filters(self) -> bool:
        """Places, departments, dates or a fiscal year: the facts a looser answer must keep."""
        return bool(self.places or self.departments or self.dates or self.fiscal_year is not None)

    def replace(self, **changes: Any) -> Query:
        return replace(self, **changes)

    def label(self, variants: bool = True) -> str:
        """Human summary joined with ×: 金沢市 × 物産展 × 2024年11月 (what was searched, for the header);
        with `variants`, each word shows the spellings searched too: 祭り（祭・まつり）."""
        parts = []
        if self.places:
            parts.append("・".join(p.label for p in self.places))
        parts += [t.label if variants else t.text + t.related_label for t in self.terms]
        if self.excluded_places:
            parts.append("・".join(p.label for p in self.excluded_places) + "を除く")
        parts += [f"{t.label if variants else t.text + t.related_label}を除く" for t in self.excluded_terms]
        if self.departments:
            parts.append("・".join(self.departments))
        if self.excluded_departments:
            parts.append("・".join(self.excluded_departments) + "を除く")
        if self.dates:
            parts.append("・".join(dict.fromkeys(d.label for d in self.dates)))
        if self.fiscal_year is not None and not self.dates:
            parts.append(f"{self.fiscal_year}年度")
        if self.series is not None:
            parts.append(self.series or "題名なしの報告書")
        parts += [f"{label}を除く" for label in dict.fromkeys(d.label for d in self.excluded_dates)]
        if self.lacking_terms:
            parts.append("・".join(t.label if variants else t.text for t in self.lacking_terms) + "のない交流先")
        return " × ".join(parts) if parts else "すべての記録"

    def interpretation(self) -> dict[str, Any]:
        """What was understood, as JSON (`koryu ask --json`): municipalities (labels), municipality_codes,
        places [{label, kind, codes, prefectures}], terms (labels as written), term_alternatives, excluded,
        departments, dates [{start, end, label}], fiscal_year, series (None = every series), intent,
        count_by, label."""
        return {
            "municipalities": [p.label for p in self.places],
            "municipality_codes": sorted({c for p in self.places for c in p.codes}),
            "places": [
                {"label": p.label, "kind": str(p.kind), "codes": sorted(p.codes), "prefectures": sorted(p.prefectures)}
                for p in self.places
            ],
            "departments": list(self.departments),
            "dates": [{"start": d.start.isoformat(), "end": d.end.isoformat(), "label": d.label} for d in self.dates],
            "fiscal_year": self.fiscal_year,
            "series": self.series,
            "terms": [t.text for t in self.terms],
            "term_alternatives": [list(t.alternatives) for t in self.terms],
            "excluded": [t.text for t in self.excluded_terms]
            + [p.label for p in self.excluded_places]
            + list(self.excluded_departments)
            + [d.label for d in self.excluded_dates],
            "lacking": [t.text for t in self.lacking_terms],
            "intent": str(self.intent),
            "count_by": self.count_by,
            "ranking": None
            if self.ranking is None
            else {"order": self.ranking.order, "by": self.ranking.by, "top": self.ranking.top},
            "label": self.label(),
        }
