"""Places as people name them: partners by name, short name, reading or romaji, prefectures (their own
records or their scope), regions, former names, real places with no records, misspellings."""

from __future__ import annotations

import re

import jaconv
from rapidfuzz import fuzz, process

from store.normalize import fold
from store.query.lexicon import PLACE_ENDINGS, Lexicon, NameEntry
from store.query.model import Note, Place, PlaceKind
from store.query.stages.state import MAX_RUN, State, roles
from store.query.tokenizer import PROPER, SPACE

AUTO_RESOLVE_SCORE = 85.0  # rapidfuzz fuzz.ratio 0–100 for a misspelt place name to be read as the real one
AUTO_RESOLVE_MARGIN = 8.0  # … and this far ahead of the runner-up
SUGGEST_SCORE = 65.0  # "もしかして" below the auto-resolve score (one wrong character of three scores 66.7)


# ---------------------------------------------------------------------------------------------- places
LOOKALIKE_ENDINGS = {"氏": "市", "長": "町"}  # 金沢氏, 津和野長: a kana-kanji conversion (し → 氏, ちょう → 長) missed


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
            typed = state.morphemes[j].surface if j < end else ""
            if typed in LOOKALIKE_ENDINGS and all(e.short for e in entries) and len(places) == 1:
                # 金沢氏, 盛岡し: typed for the ending the name has (氏 is one keystroke from 市 in kana input)
                ending = LOOKALIKE_ENDINGS[typed]
                if places[0].label.endswith(ending):
                    state.note(
                        Note(
                            "corrected",
                            f"「{''.join(m.surface for m in state.morphemes[i : j + 1])}」を「{places[0].label}」として検索しました",
                        )
                    )
                    state.claim(j, j + 1)
                    j += 1
            elif j < end and state.morphemes[j].surface in PLACE_ENDINGS and all(e.short for e in entries) and len(places) == 1:
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
                state.scoped.update(p.label for p in places)
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
    then the other reading has been asked for: its offer goes; one offer per other reading. A prefecture that
    is no partner, named bare beside one of its municipalities (石川県の金沢市, 金沢市（石川県）), only says
    where that municipality is: the municipality is meant, not every partner in the prefecture."""
    named = [p for p in state.places if p.kind == PlaceKind.MUNICIPALITY]
    state.places[:] = [
        p
        for p in state.places
        if not (
            p.kind == PlaceKind.SCOPE
            and p.label not in state.scoped
            and any(gazetteer_prefecture(m) in p.prefectures for m in named)
        )
    ]
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


def romaji_forms(key: str) -> tuple[str, str]:
    """A romaji key as typed and without its administrative ending (kanazawashi → kanazawa, kumamotoken →
    kumamoto): the forms the lexicon's romaji index is looked up by."""
    return key, re.sub(r"(shi|cho|machi|son|mura|ku|ken)$", "", key)


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
        for candidate in romaji_forms(key):
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
