"""Looser answers, for a question that as asked finds nothing (`relax`): a compound answered by the parts records
hold (朝顔市 → 朝顔), a word one letter away (物産転 → 物産展, もしかして), a word read through its related or nearest
words (スイーツ → デザート・パフェ), a misspelt place, words each found but never together (either one, said
so; a qualifier such as 伝統 left out first). Each is labelled by the `Relaxation` it returns, and none is
offered as the question's own answer. Also the word lookups the search shares with it: which records a query
finds (`ids_of`), how many hold a word, which related words records hold."""

from __future__ import annotations

import itertools
import re
import sqlite3
from collections import Counter
from dataclasses import dataclass, field, replace

from rapidfuzz.distance import Levenshtein

from store import sql
from store.normalize import fold, word_chars
from store.query import Lexicon, Place, Query, Term
from store.query.lexicon import related_words, word_roles
from store.query.stages import place_suggestions
from store.sql import fts_phrase


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


def ids_of(conn: sqlite3.Connection, q: Query) -> list[int]:
    st = sql.ids_statement(q)
    return [row[0] for row in conn.execute(st.sql, st.bind())]


def held(t: Term, lexicon: Lexicon) -> bool:
    """Some record holds `t`: one of its spellings, or each word of the compound (周年記念 in 10周年を記念した)."""
    if any(lexicon.holds(a) for a in t.alternatives):
        return True
    return bool(t.all_of) and all(any(lexicon.holds(a) for a in group) for group in t.all_of)


def related_held(t: Term, lexicon: Lexicon) -> tuple[str, ...]:
    """The related words of `t` (`store.query.lexicon.related_words`, the reviewed list: スイーツ → デザート,
    パフェ …) that some record holds, as written in the list; a related word containing a spelling already
    searched finds nothing more and is left out (物産販売 when 物産 is there)."""
    related = related_words()
    candidates = [w for a in (t.text, *t.alternatives) for w in related.get(fold(a), ())]
    wanted = {fold(w): w for w in candidates if word_chars(fold(w)) and fold(w) not in t.alternatives}
    searched = set(t.alternatives) | set(wanted)
    kept = [f for f in wanted if not any(g != f and g in f for g in searched)]
    return tuple(wanted[f] for f in kept if lexicon.holds(f))


def count_term(conn: sqlite3.Connection, term: Term) -> int:
    st = sql.term_count_statement(term)
    return conn.execute(st.sql, st.bind()).fetchone()[0]


def relax(conn: sqlite3.Connection, q: Query, lexicon: Lexicon) -> tuple[Relaxation, list[int]] | None:
    """The best looser answer when the question as asked finds nothing, or None (see module docstring).

    Only words no record contains are loosened: a compound is tried as the parts the records do hold
    (朝顔市 → 朝顔), all of them, then any of them; a word one letter away from a word the records use is
    read as that word (物産転 → 物産展, "もしかして"); a place-like word is read as the "もしかして" partner;
    any other such word is left out. A place-like word with none of these blocks: 0件, never an answer about
    everything else."""
    unknown = tuple(t for t in q.terms if count_term(conn, t) == 0)
    if not unknown:
        return _near_word(conn, q) or _either(conn, q)
    words = _unknown_words(conn, unknown, lexicon)
    if words is None:
        return None
    keep = tuple(t for t in q.terms if t not in unknown)
    base = q.replace(places=q.places + tuple(words.places))
    seen = set()
    for terms, answered_by_parts, near, left_out in words.readings(keep):
        looser = base.replace(terms=terms)
        if not (looser.terms or looser.has_filters) or terms in seen:
            continue  # nothing left that the user asked for
        seen.add(terms)
        ids = ids_of(conn, looser)
        if ids:
            maybe = bool(words.places or near) and not left_out and not answered_by_parts
            return (
                Relaxation(
                    "maybe" if maybe else "unknown_words",
                    looser,
                    dropped=left_out,
                    split=answered_by_parts,
                    suggestion=words.suggestion,
                    near=tuple(near),
                    meant=tuple((t, m) for t, m in words.meant if m in terms),
                ),
                ids,
            )
        apart = _either(conn, looser)  # the words left, each found but never all together
        if apart is not None:
            return replace(apart[0], dropped=left_out, split=answered_by_parts, near=tuple(near)), apart[1]
    return None


@dataclass
class _UnknownWords:
    """How each word no record holds may be read: corrected (one letter away), meant (related or near words),
    split (the parts records hold), places (a misspelt place's "もしかして" partner), dropped (left out)."""

    corrected: list[tuple[Term, Term]] = field(default_factory=list)
    meant: list[tuple[Term, Term]] = field(default_factory=list)
    split: list[tuple[Term, list[Term]]] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    dropped: list[Term] = field(default_factory=list)
    suggestion: str = ""

    def readings(self, keep: tuple[Term, ...]) -> list[tuple[tuple[Term, ...], tuple[Term, ...], list, tuple[Term, ...]]]:
        """(terms, compounds answered by their parts, words read as a near word, words left out), loosest last."""
        all_parts = tuple(p for _, parts in self.split for p in parts)
        any_part = tuple(
            Term(" または ".join(p.text for p in parts), tuple(a for p in parts for a in p.alternatives))
            for _, parts in self.split
        )
        corrected = self.corrected
        fixes = tuple(typo for _, typo in corrected) + tuple(m for _, m in self.meant)
        fixed = tuple(t for t, _ in corrected)
        split_terms = tuple(t for t, _ in self.split)
        dropped = tuple(self.dropped)
        left = tuple(t for t in dropped if t not in fixed)
        out = [(keep + all_parts + fixes, split_terms, corrected, left)]
        if any(len(parts) > 1 for _, parts in self.split):
            out.append((keep + any_part + fixes, split_terms, corrected, left))
        if self.split:
            out.append((keep + fixes, (), corrected, left + split_terms))
        if corrected:
            out.append((keep + all_parts, split_terms, [], dropped))
            out.append((keep, (), [], dropped + split_terms))
        if self.meant:  # the near words find nothing with the rest: the words left out instead (甲州市のワイン → 甲州市)
            unmeant = tuple(t for t, _ in self.meant)
            plain = tuple(typo for _, typo in corrected)
            out.append((keep + all_parts + plain, split_terms, corrected, left + unmeant))
            out.append((keep, (), [], dropped + split_terms + unmeant))
        return out


def _unknown_words(conn: sqlite3.Connection, unknown: tuple[Term, ...], lexicon: Lexicon) -> _UnknownWords | None:
    """How each of the words no record holds may be read (`_UnknownWords`); None when a place-like word is no
    place near any partner (the answer is 0件, never one about everything else)."""
    words = _UnknownWords()
    for t in unknown:
        typo = None if t.place_like else _one_letter_away(conn, t)
        if typo is not None:
            words.corrected.append((t, typo))
            words.dropped.append(t)
            continue
        reviewed = None if t.place_like else related_held(t, lexicon)
        if reviewed:  # the reviewed list knows the compound as a whole (鍋料理 → 芋煮), before its parts (料理)
            words.meant.append((t, _meaning_term(t, reviewed)))
            continue
        parts = _known_parts(conn, t)
        if parts and len(word_chars("".join(t.words[: _first_word(t, parts[0])]))) >= 2:
            # the records hold only the compound's later part, its head (花火大会 → 大会), after a word of two
            # characters or more they do not: every 大会 is no answer about 花火 (竹あかり → あかり still is)
            parts = []
        if parts:  # literal parts first (金沢ゆかり → 金沢・ゆかり), then a near meaning
            words.split.append((t, parts))
            continue
        meaning = None if t.place_like else _near_meaning(conn, t, lexicon)
        if meaning is not None:
            words.meant.append((t, meaning))
            continue
        if t.place_like:
            place = _suggested_place(t.text, lexicon)
            if place is None:
                return None
            words.places.append(place)
            words.suggestion = place.label
            continue
        words.dropped.append(t)
    return words


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
        ids = ids_of(conn, looser)
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
        ids = ids_of(conn, looser)
        if ids:
            return Relaxation("any", looser, any_of=terms), ids
    # which to leave out first: words that qualify (伝統の舞, 若い子), verbal words, then from the end
    order = sorted(range(len(terms)), key=lambda i: (not _qualifies(terms[i]), not terms[i].verbal, -i))
    for k in range(1, len(terms)):
        for out in itertools.combinations(order, k):
            kept = tuple(t for i, t in enumerate(terms) if i not in out)
            looser = q.replace(terms=kept + q.terms[MAX_DROP_TERMS:])
            ids = ids_of(conn, looser)
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
    records — the reviewed related words (`related_held`) first, else the word vectors — as one word with those
    alternatives: スイーツ → デザート・パフェ（意味の近い語）; None when none is near."""
    found = list(related_held(term, lexicon))  # the reviewed list first, then the word vectors
    if not found and not term.verbal:  # 参加した: a verb says how, and its neighbours (主催, 開催) are other things
        roles = word_roles()
        near = [w for w, _ in lexicon.meanings.near(term.text) if not roles.get(fold(w))]  # never into 交流, イベント
        found = [w for w in near if count_term(conn, Term(w, (fold(w),))) > 0]
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
            if count_term(conn, piece) > 0:
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
