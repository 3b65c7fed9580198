"""The words to find: what is left of each chunk, with its spellings; a verb when it is the question's
only content."""

from __future__ import annotations

import itertools
import re
from dataclasses import replace

import jaconv

from store.normalize import fold, word_chars
from store.query.lexicon import PLACE_ENDINGS, domain_variants, variants, word_roles
from store.query.model import Term
from store.query.stages.places import romaji_key
from store.query.stages.state import State, roles
from store.query.tokenizer import NUMBER, PREFIX, PROPER, SUFFIX, VERB, Morpheme

MAX_ALTERNATIVES = 8  # spelling combinations kept for one phrase
HONORIFIC_PREFIXES = ("お", "ご", "御")


# ---------------------------------------------------------------------------------------------- terms
def claim_terms(state: State) -> None:
    """What is left of each chunk becomes a search term: its meta words, modifiers and honorifics trimmed
    (イベント, 〜向け, 〜さん), its spelling variants added (こども → 子供・子ども); phrases joined by や or
    または become one term with either's alternatives."""
    pending: list[tuple[int, Term, str]] = []
    for start, end in state.chunks():
        for a, b in state.runs(start, end):
            a, b = _trim(state, a, b)
            if a >= b:
                continue
            term = make_term(state.morphemes[a:b])
            if term is None:
                continue
            if b < len(state.morphemes) and _is_suru(state.morphemes[b]) and state.morphemes[b - 1].pos[-1:] == ("サ変可能",):
                term = replace(term, verbal=True)
            pending.append((a, term, "lacking" if state.lacking[a] else "negated" if state.negated[a] else ""))
            state.claim(a, b)
    merged: list[tuple[int, Term, str]] = []
    for a, term, negated in pending:
        if merged and a in state.or_before and merged[-1][2] == negated:
            first, prev, _ = merged.pop()
            # a compound's words found apart (特産品販売 → 特産品の販売) still count for it: one AND group is
            # carried (a Term holds one); of two compounds, neither
            groups = [t.all_of for t in (prev, term) if t.all_of]
            either = Term(
                f"{prev.text} または {term.text}",
                tuple(dict.fromkeys(prev.alternatives + term.alternatives)),
                prev.shown + term.shown,
                all_of=groups[0] if len(groups) == 1 else (),
            )
            merged.append((first, either, negated))
        else:
            merged.append((a, term, negated))
    targets = {"lacking": state.lacking_terms, "negated": state.excluded_terms, "": state.terms}
    for _, term, negated in merged:
        targets[negated].append(term)


def _is_suru(m: Morpheme) -> bool:
    """する in any form right after a noun (紹介し, 出展する, 寄附された): the noun is used as a verb."""
    return m.kind == VERB and (m.normalized in ("為る", "する") or m.surface in ("し", "する", "さ", "せ"))


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


def _pen_name(morphemes: list[Morpheme]) -> bool:
    """True when the words start with a surname and a given name of two kanji or more (夏目 漱石, 森 鷗外,
    石川 啄木: the analyser's 人名・姓 then 人名・名) — a name records often write without the surname."""
    return (
        len(morphemes) >= 2
        and morphemes[0].pos[2:4] == ("人名", "姓")
        and morphemes[1].pos[2:4] == ("人名", "名")
        and len(morphemes[1].surface) >= 2
        and _kanji_only(morphemes[1].surface)  # 金沢ゆかり is a place and a word, not 金沢 ゆかり the person
    )


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
    if _pen_name(morphemes):  # 夏目漱石 → 漱石, 森鷗外記念館 → 鷗外記念館: writers go by their given (pen) name
        texts.append("".join(m.surface for m in morphemes[1:]))
    if romaji_key(written):  # kumamon → くまもん (not NHK → んっっ)
        romaji_kana = jaconv.alphabet2kana(written.lower())
        if (
            not re.search(r"[a-zー]", romaji_kana)
            and "っっ" not in romaji_kana
            and not romaji_kana.startswith(("っ", "ん"))
            and not romaji_kana.endswith("っ")
        ):
            texts.append(romaji_kana)
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
    split = compound_words(morphemes) if compound else []
    if len(split) >= 2:
        parts = [make_term(w, compound=False) for w in split]
        if all(p is not None for p in parts):
            all_of = tuple(p.alternatives for p in parts if p is not None)
    return Term(written, tuple(kept), shown, place_like=place_like, words=words, all_of=all_of, kana=kana)


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
