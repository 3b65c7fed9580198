"""The stages of reading a question, each a small function over the analysed words that claims some of
them and records what it understood. Order matters and is fixed in `store.query.parse`:

    date_words → vocabulary (intent, negation, or, counts) → places → departments → terms

A *chunk* is a run of content words (nouns, prefixes, suffixes) unbroken by a particle, a verb or a
space: 「津和野の給食は？」 has the chunks 津和野 and 給食. Places and departments are found inside chunks at
word boundaries; what no stage claims becomes search terms, with spelling variants.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

import jaconv
from rapidfuzz import fuzz, process

from store.normalize import fold, word_chars
from store.query import dates
from store.query.lexicon import PLACE_ENDINGS, Lexicon, NameEntry, date_words, domain_variants, variants, word_roles
from store.query.model import DateRange, Intent, Note, Place, PlaceKind, Term
from store.query.tokenizer import NUMBER, PREFIX, PROPER, SPACE, SUFFIX, VERB, Morpheme

AUTO_RESOLVE_SCORE = 85.0  # rapidfuzz fuzz.ratio 0–100 for a misspelt place name to be read as the real one
AUTO_RESOLVE_MARGIN = 8.0  # … and this far ahead of the runner-up
SUGGEST_SCORE = 65.0  # "もしかして" below the auto-resolve score (one wrong character of three scores 66.7)
MAX_ALTERNATIVES = 8  # spelling combinations tried for one phrase
MAX_RUN = 6  # words a name or a vocabulary word may span
INTENT_ORDER = (Intent.COUNT, Intent.DEPARTMENT, Intent.WHEN, Intent.WHERE, Intent.WHAT)
HONORIFIC_PREFIXES = ("お", "ご", "御")


@dataclass
class State:
    """The analysed question and what the stages found so far (morphemes claimed by a stage are done)."""

    morphemes: list[Morpheme]
    lexicon: Lexicon
    fiscal_year: int | None = None
    year: int | None = None
    claimed: list[bool] = field(default_factory=list)
    negated: list[bool] = field(default_factory=list)
    or_before: set[int] = field(default_factory=set)  # morpheme i starts a phrase ORed with the one before
    intents: list[Intent] = field(default_factory=list)
    count_by: str | None = None
    count_of: str = "records"
    counts_records: bool = False
    dates: list[DateRange] = field(default_factory=list)
    excluded_dates: list[DateRange] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    excluded_places: list[Place] = field(default_factory=list)
    departments: list[str] = field(default_factory=list)
    excluded_departments: list[str] = field(default_factory=list)
    terms: list[Term] = field(default_factory=list)
    excluded_terms: list[Term] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    asked: bool = False  # a word that names the records themselves or asks about them (交流, 一覧, どこ)

    def __post_init__(self) -> None:
        self.claimed = [m.kind in (SPACE,) for m in self.morphemes]
        self.negated = [False] * len(self.morphemes)

    def folded(self, i: int, j: int) -> str:
        """Folded text of morphemes i..j-1, without the separators people put inside names (・)."""
        return fold("".join(m.surface for m in self.morphemes[i:j])).replace("・", "")

    def chunks(self) -> list[tuple[int, int]]:
        """(start, end) of each run of unclaimed content morphemes."""
        out, start = [], None
        for i, m in enumerate(self.morphemes + [None]):  # type: ignore[list-item]
            ok = m is not None and not self.claimed[i] and m.is_content
            if ok and start is None:
                start = i
            elif not ok and start is not None:
                out.append((start, i))
                start = None
        return out

    def claim(self, i: int, j: int) -> None:
        for k in range(i, j):
            self.claimed[k] = True

    def note(self, note: Note) -> None:
        if note not in self.notes:
            self.notes.append(note)


def roles(state: State, i: int, j: int) -> frozenset[str]:
    return word_roles().get(state.folded(i, j), frozenset())


# ------------------------------------------------------------------------------------------- date words
def claim_date_words(state: State) -> None:
    """夏, 夏休み, 年末年始, 第3四半期 … as whole words → date ranges (rules in data/date_words.tsv)."""
    table = date_words()
    i = 0
    while i < len(state.morphemes):
        hit = None
        for j in range(min(len(state.morphemes), i + MAX_RUN), i, -1):
            if not state.claimed[i] and state.folded(i, j) in table:
                hit = j
                break
        if hit is None:
            i += 1
            continue
        word = table[state.folded(i, hit)]
        found = dates.date_word(word, state.lexicon, state.fiscal_year, state.year)
        state.claim(i, hit)
        negation = _negation_after(state, hit)
        if negation is not None:  # 夏以外
            state.excluded_dates.append(found)
            state.claim(hit, negation)
            hit = negation
        else:
            state.dates.append(found)
        i = hit


# ------------------------------------------------------------------------------------------ vocabulary
def claim_vocabulary(state: State) -> None:
    """Question words (→ intent), counts broken down (月別), negation (以外, じゃない, NOT, -) and "or" (や,
    または) — the closed-class words of data/words.tsv that are not content."""
    n = len(state.morphemes)
    i = 0
    while i < n:
        if state.claimed[i]:
            i += 1
            continue
        found = None
        for j in range(min(n, i + MAX_RUN), i, -1):
            r = roles(state, i, j) & {
                "when",
                "where",
                "count",
                "department",
                "what",
                "by_month",
                "by_municipality",
                "by_department",
                "count_places",
                "negation",
                "or",
                "operator",
            }
            if r and not ("meta" in roles(state, i, j) and j - i == 1 and "what" in r and _next_is_content(state, j)):
                found = (j, r)
                break
        if found is None:
            if state.morphemes[i].surface.upper() == "NOT" or (
                state.morphemes[i].surface in ("-",) and _next_is_content(state, i + 1) and _starts_word(state, i)
            ):
                state.claimed[i] = True
                _negate_next(state, i + 1)
            i += 1
            continue
        j, r = found
        if "operator" in r:
            state.claim(i, j)
            i = j
            continue
        if "or" in r:
            # か / や only between two phrases (not the か of ですか); OR typed in Latin letters is never a word
            if _prev_is_content(state, i) and _next_is_content(state, j):
                state.or_before.add(_next_index(state, j))
                state.claim(i, j)
            elif state.morphemes[i].surface.isascii():
                state.claim(i, j)
            i = j
            continue
        if "negation" in r:
            _negate_previous(state, i)
            state.claim(i, j)
            i = j
            continue
        if "by_month" in r:
            state.count_by = "month"
            state.intents.append(Intent.COUNT)
        elif "by_municipality" in r:
            state.count_by = "municipality"
            state.intents.append(Intent.COUNT)
        elif "by_department" in r:
            state.count_by = "department"
            state.intents.append(Intent.COUNT)
        elif "count_places" in r:
            state.count_of = "municipalities"
            state.intents.append(Intent.COUNT)
        else:
            state.intents += [intent for intent in INTENT_ORDER if str(intent) in r]
            if "count" in r and "件" in state.folded(i, j):
                state.counts_records = True  # 何件, 件数: records, whatever else the question names
        state.asked = True
        state.claim(i, j)
        i = j


def _next_index(state: State, j: int) -> int:
    while j < len(state.morphemes) and state.morphemes[j].kind == SPACE:
        j += 1
    return j


def _next_is_content(state: State, j: int) -> bool:
    j = _next_index(state, j)
    return j < len(state.morphemes) and state.morphemes[j].is_content and not state.claimed[j]


def _prev_is_content(state: State, i: int) -> bool:
    k = i - 1
    while k >= 0 and state.morphemes[k].kind == SPACE:
        k -= 1
    return k >= 0 and state.morphemes[k].is_content


def _starts_word(state: State, i: int) -> bool:
    return i == 0 or state.morphemes[i - 1].kind == SPACE


def _negation_after(state: State, j: int) -> int | None:
    """End of a negation word right after morpheme j (を/は between allowed: 夏を除く), or None."""
    k = j
    if k < len(state.morphemes) and state.morphemes[k].surface in ("を", "は"):
        k += 1
    for e in range(min(len(state.morphemes), k + 3), k, -1):
        if "negation" in roles(state, k, e):
            return e
    return None


COORDINATORS = ("と", "や", "・", "、", ",", "及び", "および")


def _negate_previous(state: State, i: int) -> None:
    """The phrase before a negation word (物産展以外, 物産展を除く, 物産展じゃない): its content run, and
    the runs joined to it by と/や/・ (金沢と盛岡以外: both)."""
    k = i - 1
    while k >= 0 and not state.morphemes[k].is_content:
        k -= 1
    while k >= 0:
        while k >= 0 and state.morphemes[k].is_content:
            state.negated[k] = True
            k -= 1
        if k >= 1 and state.morphemes[k].surface in COORDINATORS and state.morphemes[k - 1].is_content:
            k -= 1
            continue
        break


def _negate_next(state: State, j: int) -> None:
    j = _next_index(state, j)
    while j < len(state.morphemes) and state.morphemes[j].is_content:
        state.negated[j] = True
        j += 1


# ---------------------------------------------------------------------------------------------- places
def claim_places(state: State) -> None:
    """Municipalities, prefectures (own records or scope), regions, former names and real places with no
    records, at word boundaries inside chunks; then a scope marker after a prefecture (熊本県内, 熊本県の自治体)."""
    lex = state.lexicon
    for start, end in state.chunks():
        i = start
        while i < end:
            if state.claimed[i]:
                i += 1
                continue
            hit = _longest_name(state, i, end, start)
            if hit is None:
                i += 1
                continue
            j, entries = hit
            before = i - 1
            while before >= 0 and state.morphemes[before].kind == SPACE:
                before -= 1
            if before >= 0 and state.morphemes[before].surface == "旧":  # 旧日原町
                state.claimed[before] = True
            if lex.home is not None and any(e.place.kind == PlaceKind.ABSENT and e.place.label == lex.home for e in entries):
                # the municipality whose report this is: every record is its own, so its name says nothing
                state.claim(i, j)
                state.note(Note("home", f"{lex.home}は報告書の作成元のため、交流の相手ではなく{lex.home}自身として読みました"))
                state.asked = True
                i = j
                continue
            negated = state.negated[i]
            state.claim(i, j)
            places = [e.place for e in entries]
            if negated:  # 熊本以外, 熊本県以外: outside the prefecture, its municipalities too
                places = [(lex.scope_of(p) or p) if p.kind == PlaceKind.PREFECTURE else p for p in places]
                places = list(
                    dict.fromkeys(
                        p
                        for p in places
                        if not (
                            p.kind == PlaceKind.MUNICIPALITY
                            and any(q.kind == PlaceKind.SCOPE and gazetteer_prefecture(p) in q.prefectures for q in places)
                        )
                    )
                )
            if j < end and state.morphemes[j].surface in PLACE_ENDINGS and all(e.short for e in entries) and len(places) == 1:
                # 津和野村: a known name with the wrong ending
                state.note(
                    Note(
                        "corrected",
                        f"「{''.join(m.surface for m in state.morphemes[i : j + 1])}」を「{places[0].label}」として検索しました",
                    )
                )
                state.claim(j, j + 1)
                j += 1
            scope = _scope_marker(state, j)
            if scope is not None:  # 熊本県内: the prefecture and every municipality in it
                places = [(lex.scope_of(p) or p) if p.kind in (PlaceKind.PREFECTURE, PlaceKind.SCOPE) else p for p in places]
                state.claim(j, scope)
            for e in entries:
                for n in e.notes:
                    if (scope is None and not negated) or n.kind != "other_reading":
                        state.note(n)
            target = state.excluded_places if negated else state.places
            for p in places:
                p = Place(p.label, p.kind, p.codes, p.prefectures, p.names, p.rank, state.folded(i, j))
                if p not in target:
                    target.append(p)
            i = j
    _romaji_places(state)
    _misspelt_places(state)
    _subsume(state)


def _subsume(state: State) -> None:
    """A prefecture's scope covers its own records and its municipalities (熊本県内 熊本県 → 熊本県内), and
    then the other reading has been asked for: its offer goes; one offer per other reading."""
    for places in (state.places, state.excluded_places):
        scopes = {n for p in places if p.kind == PlaceKind.SCOPE for n in p.prefectures}
        kept = [
            p
            for p in places
            if p.kind in (PlaceKind.SCOPE, PlaceKind.REGION) or gazetteer_prefecture(p) not in scopes or not p.codes
        ]
        best: dict[tuple, Place] = {}
        for p in kept:  # the same records named twice (熊本県 熊本): once, by its best name
            key = (p.codes, p.prefectures, p.names)
            if key not in best or p.rank < best[key].rank:
                best[key] = p
        places[:] = list(best.values())
    scopes = {p.label for p in state.places if p.kind == PlaceKind.SCOPE}
    seen: set[str] = set()
    notes = []
    for n in state.notes:
        if n.kind == "other_reading" and (n.ask in scopes or n.ask in seen):
            continue
        seen.add(n.ask)
        notes.append(n)
    state.notes[:] = notes


def gazetteer_prefecture(place: Place) -> str:
    """The prefecture number of a one-code place ("43" for 熊本市), "" otherwise."""
    return next(iter(place.codes))[:2] if len(place.codes) == 1 else ""


def _longest_name(state: State, i: int, end: int, chunk_start: int) -> tuple[int, list[NameEntry]] | None:
    lex = state.lexicon
    for j in range(min(end, i + MAX_RUN), i, -1):
        key = state.folded(i, j)
        if len(key) > lex.longest_name:
            continue
        entries = lex.lookup(key)
        if not entries:
            continue
        exact = [e for e in entries if not e.short]
        if exact:
            return j, exact
        if i != chunk_start:
            continue  # a short name inside a longer phrase is part of another name (アルバルク東京, 津和野町東京事務所)
        whole = j == end
        tagged = all(m.is_place_name for m in state.morphemes[i:j])
        after = j < len(state.morphemes) and bool(roles(state, j, j + 1) & {"honorific", "scope"})
        loose = [e for e in entries if not e.strict]
        if loose and (whole or tagged or after):
            return j, loose
        if whole and all(m.kind == PROPER for m in state.morphemes[i:j]) and entries:
            return j, entries  # 具志川: a proper noun standing alone
    return None


def _scope_marker(state: State, j: int) -> int | None:
    """End of a scope marker right after a place (内, 県内; の自治体, の市町村, の町), or None."""
    n = len(state.morphemes)
    k = j
    if k < n and state.morphemes[k].surface == "の":
        k += 1
    for e in range(min(n, k + 3), k, -1):
        if "scope" in roles(state, k, e) and not any(state.claimed[k:e]):
            if k > j or state.folded(k, e) in ("内", "県内", "都内", "府内", "道内", "管内", "県下", "全域", "全体", "各地"):
                return e
    return None


def romaji_key(token: str) -> str | None:
    """kanazawa / Kanazawa / KANAZAWA / kanazawashi → the romaji form the lexicon indexes (long vowels
    collapsed), or None when the token is not romaji."""
    if not re.fullmatch(r"[a-zA-Z' -]{3,}", token):
        return None
    kana = jaconv.alphabet2kana(token.lower().replace(" ", "").replace("-", ""))
    if re.search(r"[a-z]", kana):
        return None
    s = jaconv.kana2alphabet(kana)
    return re.sub(r"o[ou]|uu", lambda m: m.group(0)[0], s)


def _romaji_places(state: State) -> None:
    for i, m in enumerate(state.morphemes):
        if state.claimed[i] or not m.surface.isascii():
            continue
        key = romaji_key(m.surface)
        if key is None:
            continue
        for candidate in (key, re.sub(r"(shi|cho|machi|son|mura|ku|ken)$", "", key)):
            entries = state.lexicon.romaji.get(fold(candidate))
            if entries:
                state.claimed[i] = True
                target = state.excluded_places if state.negated[i] else state.places
                target += [e.place for e in entries if e.place not in target]
                break


def _misspelt_places(state: State) -> None:
    """A chunk ending in 市/町/村/区/県 that names nothing known: a wrong ending (津和野村 → 津和野町), a
    misspelling (rapidfuzz fuzz.ratio ≥ 85 and 8 points clear), else "もしかして" material."""
    lex = state.lexicon
    for start, end in state.chunks():
        text = "".join(m.surface for m in state.morphemes[start:end])
        last = state.morphemes[end - 1].surface
        if not (last in PLACE_ENDINGS or text[-1:] in PLACE_ENDINGS) or len(text) < 3:
            continue
        stem = fold(text[:-1])
        keys = {e.place for e in lex.names.get(stem, []) if not e.place.selects_nothing and e.place.kind != PlaceKind.ABSENT}
        hit: Place | None = next(iter(keys)) if len(keys) == 1 else None
        if hit is None:
            hit = _fuzzy_place(text, lex)
        if hit is not None:
            state.claim(start, end)
            state.note(Note("corrected", f"「{text}」を「{hit.label}」として検索しました"))
            target = state.excluded_places if state.negated[start] else state.places
            target.append(Place(hit.label, hit.kind, hit.codes, hit.prefectures, hit.names, 2, fold(text)))
        # else: a search term marked place-like (朝顔市 is in the records; 金択市 gets a "もしかして")


def _fuzzy_place(text: str, lex: Lexicon) -> Place | None:
    choices = {
        k: entries[0].place
        for k, entries in lex.names.items()
        if len(k) >= 3 and entries and not entries[0].short and entries[0].place.kind not in (PlaceKind.ABSENT,)
    }
    hits = process.extract(fold(text), list(choices), scorer=fuzz.ratio, processor=None, limit=2)
    if not hits or hits[0][1] < AUTO_RESOLVE_SCORE:
        return None
    if len(hits) > 1 and hits[0][1] - hits[1][1] < AUTO_RESOLVE_MARGIN and choices[hits[0][0]] != choices[hits[1][0]]:
        return None
    return choices[hits[0][0]]


def place_suggestions(name: str, lex: Lexicon, limit: int = 3) -> list[str]:
    """ "もしかして" partner names for a place-like word that named nothing (fuzz.ratio ≥ 70)."""
    choices = {
        k: e[0].place.label
        for k, e in lex.names.items()
        if len(k) >= 2 and e and e[0].place.kind != PlaceKind.ABSENT and not e[0].short
    }
    out: list[str] = []
    for hit, score, _ in process.extract(fold(name), list(choices), scorer=fuzz.ratio, processor=None, limit=limit * 2):
        if score >= SUGGEST_SCORE and choices[hit] not in out:
            out.append(choices[hit])
    return out[:limit]


# ----------------------------------------------------------------------------------------- departments
def claim_departments(state: State) -> None:
    """A stored department by its exact name (経済課), or a 〜課 that is unmistakably one of them
    (防災課 → 防災危機管理課: its characters in order, in exactly one department)."""
    lex = state.lexicon
    for start, end in state.chunks():
        i = start
        while i < end:
            hit = None
            for j in range(end, i, -1):
                if state.folded(i, j) in lex.folded_departments:
                    hit = j
                    break
            if hit is None:
                i += 1
                continue
            target = state.excluded_departments if state.negated[i] else state.departments
            name = lex.folded_departments[state.folded(i, hit)]
            if name not in target:
                target.append(name)
            state.claim(i, hit)
            i = hit
    for start, end in state.chunks():
        text = state.folded(start, end)
        if len(text) < 3 or text[-1] not in "課室係部":
            continue
        pattern = re.compile(".*".join(re.escape(c) for c in text[:-1]) + ".*" + re.escape(text[-1]) + "$")
        found = [d for f, d in lex.folded_departments.items() if pattern.search(f)]
        if len(found) == 1:
            target = state.excluded_departments if state.negated[start] else state.departments
            target.append(found[0])
            state.note(Note("corrected", f"「{text}」を「{found[0]}」として検索しました"))
            state.claim(start, end)


# ---------------------------------------------------------------------------------------------- terms
def claim_terms(state: State) -> None:
    """What is left of each chunk becomes a search term: its meta words, modifiers and honorifics trimmed
    (イベント, 〜向け, 〜さん), its spelling variants added (こども → 子供・子ども); phrases joined by や or
    または become one term with either's alternatives."""
    pending: list[tuple[int, Term, bool]] = []
    for start, end in state.chunks():
        for a, b in _segments(state, start, end):
            a, b = _trim(state, a, b)
            if a >= b:
                continue
            term = make_term(state.morphemes[a:b])
            if term is None:
                continue
            pending.append((a, term, state.negated[a]))
            state.claim(a, b)
    merged: list[tuple[int, Term, bool]] = []
    for a, term, negated in pending:
        if merged and a in state.or_before and merged[-1][2] == negated:
            first, prev, _ = merged.pop()
            either = Term(
                f"{prev.text} または {term.text}",
                tuple(dict.fromkeys(prev.alternatives + term.alternatives)),
                prev.shown + term.shown,
            )
            merged.append((first, either, negated))
        else:
            merged.append((a, term, negated))
    for _, term, negated in merged:
        (state.excluded_terms if negated else state.terms).append(term)


TRAILING = {"where": ("自治体", "交流先", "市町村", "交流自治体", "交流都市", "都市", "相手"), "when": ("期間", "時期", "日程")}
PARTNER_WORDS = ("自治体", "交流先", "市町村", "交流自治体", "交流都市", "都市", "相手", "か所", "カ所", "ヶ所", "箇所")


def claim_trailing_intent(state: State) -> None:
    """The noun a question ends on can be its question word: 物産展をやった自治体は？ asks where,
    平和特派員の期間は？ asks when; 自治体はいくつ？ counts partners, not records."""
    runs: list[str] = []
    current = ""
    for m in state.morphemes:
        if m.is_content:
            current += m.surface
        elif current:
            runs.append(fold(current))
            current = ""
    if current:
        runs.append(fold(current))
    if not runs:
        return
    partners = any(w in run for run in runs for w in PARTNER_WORDS)
    if Intent.COUNT in state.intents and partners and not state.counts_records:
        state.count_of = "municipalities"
    if state.intents:
        return
    for intent, words in TRAILING.items():
        if runs[-1].endswith(words):
            state.intents.append(Intent(intent))
            return


def claim_verbs(state: State) -> None:
    """A question whose only content is a verb (贈られたものは？, 売っていたものは？) searches the verb's
    kanji stem (贈, 売): a record says 贈呈 or 販売. Verbs never narrow a question that names anything
    else — 物産を売っていた is about 物産 — and framing verbs (教える, 見せる, 知る …: data/words.tsv) never count."""
    if state.terms or state.excluded_terms or state.places or state.departments or state.dates or state.fiscal_year:
        return
    for i, m in enumerate(state.morphemes):
        if m.kind != VERB or state.claimed[i] or (len(m.pos) > 1 and m.pos[1] == "非自立可能"):
            continue
        lemma = m.normalized or m.surface
        if "meta" in word_roles().get(fold(lemma), frozenset()) or "meta" in word_roles().get(fold(m.surface), frozenset()):
            continue
        stem = re.match(r"[\u4e00-\u9fff々]+", m.surface)
        if stem:
            state.terms.append(Term(lemma, (fold(stem.group(0)),)))  # shown as 贈る, found as 贈
            state.claimed[i] = True


def _segments(state: State, start: int, end: int) -> list[tuple[int, int]]:
    """Runs of unclaimed morphemes inside a chunk."""
    out, a = [], None
    for k in range(start, end + 1):
        free = k < end and not state.claimed[k]
        if free and a is None:
            a = k
        elif not free and a is not None:
            out.append((a, k))
            a = None
    return out


def _trim(state: State, a: int, b: int) -> tuple[int, int]:
    """Drop meta words, modifiers and honorifics at either end (交流イベント → nothing; 子供向け → 子供;
    ご当地 keeps its ご: only whole words are dropped)."""
    changed = True
    while changed and a < b:
        changed = False
        for j in range(b, a, -1):  # the longest meta word at the start
            if roles(state, a, j) & {"meta", "honorific"}:
                state.claim(a, j)
                state.asked = state.asked or "meta" in roles(state, a, j)
                a, changed = j, True
                break
        for i in range(a, b):  # the longest meta word or modifier at the end
            if a < b and roles(state, i, b) & {"meta", "modifier", "honorific"}:
                state.claim(i, b)
                state.asked = state.asked or "meta" in roles(state, i, b)
                b, changed = i, True
                break
    return a, b


def make_term(morphemes: list[Morpheme], compound: bool = True) -> Term | None:
    """A search term from a run of words: the text as written, then its spelling variants — per word the
    analyser's normalised form and Sudachi's synonym dictionary (one lexeme's spellings), the kana reading
    of a one-kanji word (桜 → さくら); for the whole phrase the reviewed domain list, the phrase without an
    honorific お/ご, and 〜会 as its head (講演会 → 講演). An alternative that contains another adds no match
    and is left out (お祭 when 祭 is there). None when nothing searchable is left.
    """
    written = "".join(m.surface for m in morphemes)
    if not word_chars(written) or re.fullmatch(r"[ぁ-ゖ]", written):
        return None  # one hiragana letter is a particle or an ending the analyser left alone
    forms: list[list[str]] = []
    for k, m in enumerate(morphemes):
        options = [m.surface]
        reading_only = _kana_only(m.normalized) and not _kana_only(m.surface)  # 東京 → トウキョウ is a reading
        if m.normalized and m.normalized != m.surface and not m.normalized.startswith("御") and not reading_only:
            options.append(m.normalized)
        for base in list(options):
            options += variants().of(base, m.synonym_groups)
            if len(morphemes) == 1:
                options += domain_variants().get(fold(base), ())
        beside_kana = any(0 <= n < len(morphemes) and _kana_only(morphemes[n].surface) for n in (k - 1, k + 1))
        if len(m.surface) == 1 and _kanji_only(m.surface) and len(m.reading) >= 3 and (len(morphemes) == 1 or beside_kana):
            options.append(m.reading)  # 桜 → さくら (桜まつり finds さくらまつり); not inside a kanji compound
        forms.append(list(dict.fromkeys(options)))
    texts = [written]
    if len(morphemes) > 1 and morphemes[0].kind == PREFIX and morphemes[0].surface in HONORIFIC_PREFIXES:
        forms = forms[1:]  # お米 → 米: the honorific is optional
    texts += ["".join(combo) for combo in itertools.islice(itertools.product(*forms), 64)]
    for t in list(texts[:1]) + ([written[1:]] if written.startswith(HONORIFIC_PREFIXES) and len(written) >= 3 else []):
        texts += [t, *domain_variants().get(fold(t), ())]
    if len(morphemes) >= 2 and morphemes[-1].surface == "会" and len(written) >= 3:
        texts.append(written[:-1])  # 講演会 → 講演, 展示会 → 展示
    if romaji_key(written):  # kumamon → くまもん (not NHK → んっっ)
        kana = jaconv.alphabet2kana(written.lower())
        if (
            not re.search(r"[a-zー]", kana)
            and "っっ" not in kana
            and not kana.startswith(("っ", "ん"))
            and not kana.endswith("っ")
        ):
            texts.append(kana)
    alternatives: dict[str, str] = {}
    for t in texts:
        f = fold(t)
        if word_chars(f) and f not in alternatives:
            alternatives[f] = t
    folded = list(alternatives)
    # an alternative containing another matches nothing more (お祭 ⊃ 祭); the written form stays first
    kept = [folded[0]] + [f for f in folded[1:] if not any(g != f and g in f for g in folded)]
    kept = kept[:MAX_ALTERNATIVES]
    shown = tuple(alternatives[f] for f in kept[1:])
    place_like = len(written) >= 3 and written[-1] in PLACE_ENDINGS and not written[-2].isascii()
    words = tuple(m.surface for m in morphemes) if len(morphemes) > 1 else ()
    kana = bool(re.fullmatch(r"[\u3041-\u30ffー]{3,}", written))
    all_of: tuple[tuple[str, ...], ...] = ()
    split = compound_words(morphemes) if COMPOUND_AND and compound else []
    if len(split) >= 2:
        parts = [make_term(w, compound=False) for w in split]
        if all(p is not None for p in parts):
            all_of = tuple(p.alternatives for p in parts if p is not None)
    return Term(written, tuple(kept), shown, place_like=place_like, words=words, all_of=all_of, kana=kana)


COMPOUND_AND = True


def compound_words(morphemes: list[Morpheme]) -> list[list[Morpheme]]:
    """The words of a compound as a reader sees them (協定締結 → 協定 | 締結; 森鴎外記念館 → 森鴎外 | 記念館):
    suffixes, prefixes and one-character words stay with their neighbour, names written in several pieces
    (森 + 鴎外) and runs of kana (スタンプ + ラリー, くま + モン) stay whole, a number keeps its counter."""
    words: list[list[Morpheme]] = []
    for m in morphemes:
        if words:
            last = words[-1][-1]
            glue = (
                m.kind == SUFFIX
                or last.kind in (PREFIX, NUMBER)
                or len(m.surface) == 1
                or (m.kind == PROPER and last.kind == PROPER)
                or (_kana_only(m.surface) and _kana_only(last.surface))
            )
            if glue:
                words[-1].append(m)
                continue
        words.append([m])
    if len(words) > 1 and len("".join(x.surface for x in words[0])) == 1:
        words[1:2] = [words[0] + words[1]]
        words.pop(0)
    return [w for w in words if w]


def _kana_only(text: str) -> bool:
    return bool(text) and all("\u3041" <= c <= "\u30ff" for c in text)


def _kanji_only(text: str) -> bool:
    return bool(text) and all("\u4e00" <= c <= "\u9fff" or c in "々" for c in text)


def intent_of(state: State) -> Intent:
    """The strongest question word: counting beats a department, which beats when, where, what."""
    for intent in INTENT_ORDER:
        if intent in state.intents:
            return intent
    return Intent.LIST


__all__ = [
    "State",
    "claim_date_words",
    "claim_vocabulary",
    "claim_places",
    "claim_departments",
    "claim_terms",
    "claim_verbs",
    "claim_trailing_intent",
    "intent_of",
    "make_term",
    "compound_words",
    "place_suggestions",
    "romaji_key",
]
