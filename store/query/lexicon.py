"""What the parser knows: the partners stored (names, short names, readings, romaji, printed labels), the
whole country (prefectures, regions, former names, places with no records), departments, fiscal years,
today, and the reviewed word lists beside this module in `data/`.

A `Lexicon` is built per store and per day (`Store.lexicon()` caches it until the data changes); tests
build one from plain rows, with no database.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import jaconv

from store import era, gazetteer
from store.normalize import fold
from store.query.meanings import Meanings
from store.query.model import Note, Place, PlaceKind

_MEANINGS_LOCK = threading.Lock()
_MEANINGS: dict[bytes, Meanings] = {}  # by the records' descriptions, oldest first

PLACE_ENDINGS = ("都", "道", "府", "県", "市", "区", "町", "村")
COUNTRY_LONGEST_NAME = 16  # characters; the longest folded name in the country table is shorter (a test checks)
KANA_ENDINGS = {"市": "し", "町": ("ちょう", "まち"), "村": ("そん", "むら"), "区": "く", "県": "けん"}


@functools.lru_cache(maxsize=1 << 16)
def _name_key(form: str) -> str:
    """A name as the lexicon indexes it: folded, without the ・ people put inside names. Cached: the same
    official names are indexed again whenever the data changes."""
    return fold(form).replace("・", "")


def data_lines(name: str) -> list[list[str]]:
    text = resources.files("store.query").joinpath(f"data/{name}").read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]


@functools.lru_cache(maxsize=1)
def word_roles() -> dict[str, frozenset[str]]:
    """data/words.tsv: folded word → its roles (meta, modifier, honorific, scope, negation, or, when, where,
    count, department, what, by_month, by_municipality)."""
    roles: dict[str, set[str]] = defaultdict(set)
    for role, word, *_ in data_lines("words.tsv"):
        roles[fold(word)].add(role)
    return {w: frozenset(r) for w, r in roles.items()}


@dataclass(frozen=True)
class DateWord:
    """A time-of-year word (data/date_words.tsv): rule kind season | school | fiscal, its numbers, label."""

    word: str
    kind: str
    spec: str
    label: str


@functools.lru_cache(maxsize=1)
def date_words() -> dict[str, DateWord]:
    """data/date_words.tsv, folded word → DateWord."""
    out = {}
    for word, rule, label, *_ in data_lines("date_words.tsv"):
        kind, _, spec = rule.partition(":")
        out[fold(word)] = DateWord(word, kind, spec, label)
    return out


@dataclass(frozen=True)
class Region:
    name: str
    label: str
    prefectures: tuple[str, ...]
    why: str


@functools.lru_cache(maxsize=1)
def regions() -> dict[str, Region]:
    """data/regions.tsv, folded name → Region (東北 and 東北地方 both)."""
    out = {}
    for name, label, prefs, why, *_ in data_lines("regions.tsv"):
        region = Region(name, label, tuple(prefs.split(",")), why)
        out[fold(name)] = region
        if label not in ("北海道",):
            out[fold(label.replace("・", ""))] = region
            out[fold(name + "地方")] = region
    return out


@functools.lru_cache(maxsize=1)
def related_words() -> dict[str, tuple[str, ...]]:
    """data/related.tsv, folded word as typed → the related words a report writes for it or for its kinds
    (子ども → 小学生, 中学生, 児童 …; スイーツ → デザート, パフェ …), reviewed for this field. A question's word
    is widened into those some record holds (`store.search`), ranked after the word as typed and labelled."""
    out: dict[str, tuple[str, ...]] = {}
    for typed, related, *_ in data_lines("related.tsv"):
        words = tuple(w for w in related.split(",") if w)
        for word in typed.split(","):
            if word:
                out[fold(word)] = tuple(dict.fromkeys(out.get(fold(word), ()) + words))
    return out


@functools.lru_cache(maxsize=1)
def domain_variants() -> dict[str, tuple[str, ...]]:
    """data/domain_variants.tsv, folded word → its reviewed variants (as written)."""
    return {fold(word): tuple(v for v in variants.split(",") if v) for word, variants, *_ in data_lines("domain_variants.tsv")}


class Variants:
    """Spelling variants of one word, from Sudachi's synonym dictionary (data/variants.tsv, built by
    scripts/build_variants.py). Loaded on first use; a set is split and folded only when looked up."""

    def __init__(self) -> None:
        self.by_group: dict[int, list[str]] = defaultdict(list)
        self._by_form: dict[str, list[tuple[str, ...]]] | None = None
        text = resources.files("store.query").joinpath("data/variants.tsv").read_text(encoding="utf-8")
        for line in text.splitlines()[2:]:
            group, _, rest = line.partition("\t")
            self.by_group[int(group)].append(rest.partition("\t")[2])

    def of(self, form: str, groups: tuple[int, ...] | None = None) -> tuple[str, ...]:
        """The other spellings of `form` (as written in the dictionary), () when none.

        groups: the analyser's synonym-group ids for this word (Sudachi), which fix its sense; () when the
        analyser says it has none; None when the analyser cannot tell, and then only a form that belongs
        to exactly one set expands. A form marked * in the data never triggers expansion."""
        key = fold(form)
        found: list[str] = []
        if groups is not None:
            for g in groups:
                for forms in self.by_group.get(g, ()):
                    names = forms.split(",")
                    if any(fold(f) == key for f in names if not f.startswith("*")):
                        found += [f.lstrip("*") for f in names]
        else:
            sets = self.by_form().get(key, [])
            if len(sets) == 1:
                found += [f.lstrip("*") for f in sets[0]]
        return tuple(dict.fromkeys(f for f in found if fold(f) != key))

    def by_form(self) -> dict[str, list[tuple[str, ...]]]:
        """Folded form → the sets it triggers (for analysers without synonym-group ids; ~80 ms to build)."""
        if self._by_form is None:
            table: dict[str, list[tuple[str, ...]]] = defaultdict(list)
            for sets in self.by_group.values():
                for forms in sets:
                    names = tuple(forms.split(","))
                    for f in names:
                        if not f.startswith("*"):
                            table[fold(f)].append(names)
            self._by_form = table
        return self._by_form


@functools.lru_cache(maxsize=1)
def variants() -> Variants:
    return Variants()


@dataclass(frozen=True)
class NameEntry:
    """One way of naming a place. exact: an official, local or printed name (rank 0); short: a name without
    its ending or a reading, which counts only as a whole phrase or where the analyser sees a place name
    (石川 in 石川啄木 is a person); strict: a short form of an old name, which needs both (石見 in 石見神楽
    is not the former 石見町); notes: shown when this name is used."""

    place: Place
    exact: bool = True
    short: bool = False
    notes: tuple[Note, ...] = ()
    strict: bool = False  # counts only as a whole phrase that the analyser also sees as a place (具志川)


@dataclass(frozen=True)
class Partner:
    """A partner with records: a row of the store's `municipalities` table (see Store.replace_report)."""

    key: str
    code: str | None
    name: str
    local_name: str
    short_name: str
    prefecture: str
    kind: str
    reading: str = ""
    short_reading: str = ""
    romaji: str = ""
    printed_names: tuple[str, ...] = ()

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Partner:
        printed = row.get("printed_names") or ()
        return cls(
            key=row["key"],
            code=row.get("municipality_code"),
            name=row["name"],
            local_name=row.get("local_name") or row["name"],
            short_name=row.get("short_name") or "",
            prefecture=row.get("prefecture") or "",
            kind=row.get("kind") or "",
            reading=row.get("reading") or "",
            short_reading=row.get("short_reading") or "",
            romaji=row.get("romaji") or "",
            printed_names=tuple(printed),
        )

    @property
    def display(self) -> str:
        return self.name if self.kind == "prefecture" else self.local_name


@dataclass
class Lexicon:
    """Everything the parser looks words up in. Build with `Lexicon.build(...)`.

    partners: partners with records; departments: as printed; fiscal_years: stored, ascending; today: for
    今月/昨年度; data_span: (first day, last day) of the stored records' dates, or None; home: the
    municipality whose report this is (`home_municipality`), whose name in a question means "ours".
    """

    partners: list[Partner]
    departments: list[str]
    fiscal_years: list[int]
    today: dt.date
    data_span: tuple[dt.date, dt.date] | None = None
    home: str | None = None
    names: dict[str, list[NameEntry]] = field(default_factory=dict)
    romaji: dict[str, list[NameEntry]] = field(default_factory=dict)
    folded_departments: dict[str, str] = field(default_factory=dict)
    longest_name: int = 0
    descriptions: list[str] = field(default_factory=list, repr=False)
    _meanings: Any = field(default=None, repr=False)
    _folded_descriptions: str | None = field(default=None, repr=False)

    @classmethod
    def build(
        cls,
        partner_rows: list[dict[str, Any]],
        departments: list[str],
        fiscal_years: list[int],
        today: dt.date,
        data_span: tuple[dt.date, dt.date] | None = None,
        home: str | None = None,
        descriptions: list[str] | None = None,
    ) -> Lexicon:
        lex = cls([Partner.from_row(r) for r in partner_rows], list(departments), sorted(fiscal_years), today, data_span, home)
        lex.descriptions = list(descriptions or [])
        lex._index()
        return lex

    @property
    def meanings(self) -> Meanings:
        """The records' words with their English glosses (store.query.meanings), built on first use (~0.1 s
        for a year's report) and kept with this lexicon."""
        with _MEANINGS_LOCK:
            if self._meanings is None:
                from store.query.tokenizer import default_tokenizer

                key = hashlib.blake2b("\n".join(self.descriptions + self.departments).encode("utf-8"), digest_size=16).digest()
                if key not in _MEANINGS:  # shared by every connection's lexicon over the same records
                    while len(_MEANINGS) >= 4:
                        _MEANINGS.pop(next(iter(_MEANINGS)))
                    # the departments' words too: "environment" → 環境 of 環境政策課
                    _MEANINGS[key] = Meanings.build(self.descriptions, default_tokenizer(), departments=self.departments)
                self._meanings = _MEANINGS[key]
            return self._meanings

    def holds(self, folded: str) -> bool:
        """True when some record's 事業内容 holds `folded` (a `fold()`ed word) — the descriptions folded once,
        on first use, and searched as one text (no SQL: what a question will search is decided before)."""
        if self._folded_descriptions is None:
            self._folded_descriptions = "\n".join(fold(d) for d in self.descriptions)
        return bool(folded) and folded in self._folded_descriptions

    @property
    def latest_fiscal_year(self) -> int:
        """The newest stored fiscal year, or today's when nothing is stored: bare months and seasons fall in it."""
        from store.era import fiscal_year_of

        return self.fiscal_years[-1] if self.fiscal_years else fiscal_year_of(self.today)

    # ------------------------------------------------------------------------------------------ indexing
    def lookup(self, key: str) -> list[NameEntry]:
        """Every way `key` (folded) names a place: this store's partners, prefectures, regions and the
        former names of partners first; else a real place with no records or its former name (country-wide)."""
        found = self.names.get(key)
        if found:
            return found
        # every municipality name, current or former, ends in 市/区/町/村: only those pay for the country table
        return _country_names().get(key, []) if key[-1:] in "市区町村" else []

    def _add(self, form: str, entry: NameEntry, table: dict[str, list[NameEntry]] | None = None, key: str | None = None) -> None:
        table = self.names if table is None else table
        key = key if key is not None else _name_key(form)
        if len(key) < 2 and entry.short:
            return
        entries = table.setdefault(key, [])
        same = [e for e in entries if e.place == entry.place]
        if same:
            # the same place: an exact name beats a short one, and a name that says how it was read wins
            if (entry.exact and not entry.short) or (entry.notes and not same[0].notes):
                table[key] = [entry if e.place == entry.place else e for e in entries]
            return
        entries.append(entry)
        self.longest_name = max(self.longest_name, len(key))

    def _index(self) -> None:
        """Every name a question may use for a place, in `names` (and `romaji`): the partners' names, short
        names, readings and labels as printed; the prefectures (their own records, or the partners inside them,
        or none); the regions; the partners' former names."""
        by_prefecture = self._index_partners()
        self._index_prefectures(by_prefecture)
        self._index_regions()
        self._index_former_names()
        self.longest_name = max(self.longest_name, COUNTRY_LONGEST_NAME)
        self.folded_departments = {fold(d): d for d in self.departments}

    def _index_partners(self) -> dict[str, list[Partner]]:
        """The partners' names (exact) and their short names, readings and romaji (rank 1); returns the partners
        by prefecture."""
        by_prefecture: dict[str, list[Partner]] = defaultdict(list)
        for p in self.partners:
            by_prefecture[p.prefecture].append(p)
            place = Place(
                p.display,
                PlaceKind.PREFECTURE if p.kind == "prefecture" else PlaceKind.MUNICIPALITY,
                codes=frozenset({p.code}) if p.code else frozenset(),
                names=frozenset() if p.code else frozenset({p.name}),
            )
            for form in {p.name, p.local_name, p.prefecture + p.local_name if p.kind != "prefecture" else "", *p.printed_names}:
                if form:
                    self._add(form, NameEntry(place))
            rank1 = Place(place.label, place.kind, place.codes, place.prefectures, place.names, rank=1)
            shorts = {p.short_name, p.reading, p.short_reading}
            for ending, kana in KANA_ENDINGS.items():  # かなざわ市, つわの町: a reading typed with its kanji ending
                if p.local_name.endswith(ending) and p.short_reading:
                    shorts.add(p.short_reading + ending)
                    shorts |= {p.short_reading + k for k in ((kana,) if isinstance(kana, str) else kana)}
            for form in shorts:
                if form and form != p.local_name:
                    self._add(form, NameEntry(rank1, exact=False, short=len(fold(form)) <= 3 or form == p.short_name))
            if p.romaji and len(p.romaji) >= 3:
                self._add(p.romaji, NameEntry(rank1, exact=False), self.romaji)
        return by_prefecture

    def _index_prefectures(self, by_prefecture: dict[str, list[Partner]]) -> None:
        """Each prefecture: its own records when it is a partner (熊本県; 熊本 = the prefecture and a partner of
        the same short name), else the partners inside it (a scope), else a real place with no records."""
        partner_codes = {p.code for p in self.partners if p.code}
        for name, pref in gazetteer.prefectures().items():
            number = gazetteer.prefecture_number(pref.code)
            inside = [p for p in by_prefecture.get(name, []) if p.kind != "prefecture"]
            scope = Place(f"{name}内", PlaceKind.SCOPE, prefectures=frozenset({number}))
            if pref.code in partner_codes:
                own = Place(name, PlaceKind.PREFECTURE, codes=frozenset({pref.code}))
                notes: tuple[Note, ...] = ()
                if inside:
                    cities = "・".join(p.local_name for p in inside)
                    notes = (
                        Note(
                            "other_reading",
                            f"{name}そのもの（県としての交流）の記録です。県内の{cities}は含みません。",
                            ask=f"{name}内",
                        ),
                    )
                self._add(name, NameEntry(own, notes=notes))
                if pref.short_name != name:
                    # 熊本: the prefecture's own records and a partner of the same short name (熊本市), not the rest
                    same = [e.place.label for e in self.names.get(_name_key(pref.short_name), [])]
                    rest = [p.local_name for p in inside if p.local_name not in same]
                    short_notes: tuple[Note, ...] = ()
                    if rest:
                        read = "・".join(dict.fromkeys([name, *same]))
                        text = f"「{pref.short_name}」は{read}として探しました。県内の{'・'.join(rest)}は含みません。"
                        short_notes = (Note("other_reading", text, ask=f"{name}内"),)
                    short_own = Place(name, PlaceKind.PREFECTURE, codes=own.codes, rank=1)
                    self._add(pref.short_name, NameEntry(short_own, exact=False, short=True, notes=short_notes))
            elif inside:
                note = Note(
                    "scope",
                    f"{name}は交流自治体ではないため、{name}内の交流自治体（{'・'.join(p.local_name for p in inside)}）の記録です",
                )
                self._add(name, NameEntry(scope, notes=(note,)))
                if pref.short_name != name:
                    short_scope = Place(scope.label, PlaceKind.SCOPE, prefectures=scope.prefectures, rank=1)
                    self._add(pref.short_name, NameEntry(short_scope, exact=False, short=True, notes=(note,)))
            else:
                absent = Place(name, PlaceKind.ABSENT)
                self._add(name, NameEntry(absent))
                if pref.short_name != name:
                    self._add(pref.short_name, NameEntry(absent, exact=False, short=True))
            self._scopes[fold(name)] = scope
            self._scopes[fold(pref.short_name)] = scope

    def _index_regions(self) -> None:
        """Regions (九州, 東北 …): the prefectures in them, when a partner is in one."""
        for key, region in regions().items():
            numbers = frozenset(gazetteer.prefecture_number(gazetteer.prefectures()[n].code) for n in region.prefectures)
            has = any(p.prefecture in region.prefectures for p in self.partners)
            prefs = "・".join(n.removesuffix("県") for n in region.prefectures)
            note = Note("region", f"{region.label}（{prefs}）として探しました")
            place = Place(
                region.label, PlaceKind.REGION if has else PlaceKind.ABSENT, prefectures=numbers if has else frozenset()
            )
            entry = NameEntry(place, notes=(note,) if has else ())
            if key not in self.names:  # 北海道 is a prefecture first
                self._add(key, entry, key=key)

    def _index_former_names(self) -> None:
        """The partners' former names: their records, with a note (other former names: _country_names)."""
        partner_codes = {p.code for p in self.partners if p.code}
        display = {p.code: p.display for p in self.partners if p.code}
        current = _current_names()
        for code in sorted(partner_codes):
            for f in _formers_by_code().get(code, ()):
                if f.name in current:
                    continue  # a current name wins over an old one
                place = Place(display[code], PlaceKind.FORMER, codes=frozenset({code}), written=f.name)
                note = _former_note(f, partner=True)
                for form in (f.name, f.prefecture + f.name):
                    if fold(form) not in self.names:
                        self._add(form, NameEntry(place, notes=(note,)))
                short = gazetteer.short_form(f.name)
                if short != f.name and short not in current and fold(short) not in self.names:
                    self._add(short, NameEntry(place, exact=False, short=True, notes=(note,), strict=True))

    def __post_init__(self) -> None:
        self._scopes: dict[str, Place] = {}
        self._readings: re.Pattern | None = None
        self._reading_names: dict[str, str] = {}

    def rewrite_readings(self, text: str) -> str:
        """Partners and prefectures written in kana, or with a kana ending, → their names, so the analyser
        reads them as one word: ふくやましとの → 福山市との, かみあまくさ → 上天草, 甲州しの → 甲州市の,
        クマモト → 熊本, かなざわとつわの → 金沢と津和野. A reading counts at the start of a kana run, or after と/や
        that follow a name (so a second pass reads the name after the first), and before a particle, a non-kana
        character or the end."""
        if self._readings is None:
            names: dict[str, str] = {}
            for p in self.partners:
                if p.reading:
                    names[p.reading] = p.display
                if p.short_reading and len(p.short_reading) >= 3:
                    names[p.short_reading] = p.short_name or p.display
                for ending, kana in KANA_ENDINGS.items():
                    if p.local_name.endswith(ending) and p.short_name and p.short_name != p.local_name:
                        for k in (kana,) if isinstance(kana, str) else kana:
                            names[p.short_name + k] = p.local_name
                            if p.short_reading:
                                names[p.short_reading + k] = p.local_name
            for pref in gazetteer.prefectures().values():
                names.setdefault(pref.prefecture_kana, pref.prefecture)
                short = pref.prefecture_kana.removesuffix("けん").removesuffix("ふ").removesuffix("と")
                if pref.prefecture != "北海道" and len(short) >= 3:
                    names.setdefault(short, pref.short_name)
            forms = {}
            for kana, name in names.items():
                forms[kana] = name
                forms[jaconv.hira2kata(kana)] = name
            self._reading_names = forms
            alternation = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
            # at the start of a kana run, or after と/や that follow a name (かなざわとつわの: the second pass)
            start = r"(?:(?<![ぁ-ゖァ-ヺー])|(?<=[^ぁ-ゖァ-ヺー][とや]))"
            self._readings = re.compile(rf"{start}(?:{alternation})(?=$|[^ぁ-ゖァ-ヺー]|[のとはがにでへもやさ])")
        if not any("\u3041" <= c <= "\u30fa" for c in text):
            return text
        once = self._readings.sub(lambda m: self._reading_names[m.group(0)], text)
        return self._readings.sub(lambda m: self._reading_names[m.group(0)], once) if once != text else once

    def scope_of(self, place: Place) -> Place | None:
        """The prefecture scope (the prefecture and every municipality in it) for a prefecture named, or None."""
        for key in (fold(place.label.removesuffix("内")), fold(place.written)):
            if key in self._scopes:
                return self._scopes[key]
        return None


@functools.lru_cache(maxsize=1)
def _current_names() -> frozenset[str]:
    """Official names of every current municipality and prefecture, as written (a current name beats an
    old one: both are official spellings, so no folding is needed to compare them)."""
    names: set[str] = set()
    for m in gazetteer.all_municipalities():
        names |= {m.full_name, m.local_name, m.name, m.short_name}
    return frozenset(n for n in names if n)


@functools.lru_cache(maxsize=1)
def _formers_by_code() -> dict[str, list[gazetteer.FormerMunicipality]]:
    """Current code → its former names."""
    out: dict[str, list[gazetteer.FormerMunicipality]] = defaultdict(list)
    for f in gazetteer.former_municipalities():
        out[f.code].append(f)
    return out


def _former_note(f: gazetteer.FormerMunicipality, partner: bool) -> Note:
    current = gazetteer.by_code(f.code)
    full = current.full_name if current else f.code
    how = "合併" if f.event == "merged" else "名称変更"
    tail = f"（{current.local_name}の記録です）" if partner and current else ""
    return Note("former", f"{f.name}は{era.japanese_date(f.date, missing='以前')}に{how}で{full}になりました{tail}")


@functools.lru_cache(maxsize=1)
def _country_names() -> dict[str, list[NameEntry]]:
    """Real places with no records, country-wide, by folded name: every current municipality and every
    former name (with its note). A partner's own names are in `Lexicon.names`, which is looked up first.
    Built once per process (~60 ms), shared by every lexicon."""
    out: dict[str, list[NameEntry]] = {}
    for m in gazetteer.all_municipalities():
        if m.is_prefecture:
            continue
        absent = NameEntry(Place(m.local_name if m.kind != "ward" else m.full_name, PlaceKind.ABSENT))
        for form in {m.full_name, m.name, m.local_name}:
            if form:
                out.setdefault(fold(form), [absent])
    current = _current_names()
    for code, formers in _formers_by_code().items():
        now = gazetteer.by_code(code)
        if now is None:
            continue
        for f in formers:
            if f.name in current:
                continue
            entry = NameEntry(
                Place(f"{f.name}（現 {now.full_name}）", PlaceKind.ABSENT, written=f.name),
                notes=(_former_note(f, partner=False),),
            )
            for form in (f.name, f.prefecture + f.name):
                out.setdefault(fold(form), [entry])
    return out


def home_municipality(descriptions: list[str], partner_codes: set[str]) -> str | None:
    """The municipality whose report this is, read from the records: the real municipality that is not a
    partner, is named in the most descriptions — in at least 5% of them, and 3 — and is named the way only
    its own records name it at least once: 文京区立…, 文京区民, 文京区長, 文京区内, 文京区在住. None when no name
    qualifies (a report that never names its author, or a neighbour named often).

    descriptions: the records' 事業内容; returns a local name (文京区)."""
    names = _local_names()
    counts: dict[str, int] = defaultdict(int)
    owned: set[str] = set()
    for text in descriptions:
        seen = set()
        for i, c in enumerate(text):
            if c in "区市町村":
                for length in range(2, 7):
                    m = names.get(text[max(0, i - length + 1) : i + 1])
                    if m is not None and m.code not in partner_codes:
                        seen.add(m.local_name)
                        if text[i + 1 : i + 3].startswith(_OWN_MARKS):
                            owned.add(m.local_name)
        for name in seen:
            counts[name] += 1
    candidates = [(n, name) for name, n in counts.items() if name in owned]
    if not candidates:
        return None
    n, best = max(candidates)
    return best if n >= max(3, len(descriptions) * 0.05) else None


_OWN_MARKS = ("立", "民", "長", "内", "在住", "在勤", "役所", "議会", "職員")  # 文京区立, 文京区民, 文京区長 …


@functools.lru_cache(maxsize=1)
def _local_names() -> dict[str, gazetteer.Municipality]:
    """Local name → municipality, for names that are unique in the country (文京区; not 府中市, which two
    prefectures have)."""
    seen: dict[str, list[gazetteer.Municipality]] = defaultdict(list)
    for m in gazetteer.all_municipalities():
        if not m.is_prefecture:
            seen[m.local_name].append(m)
    return {name: ms[0] for name, ms in seen.items() if len(ms) == 1}
