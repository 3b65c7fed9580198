"""Closed-class words: times of the year, question words (→ the intent), negation, "or", breakdowns,
and the noun a question ends on when it is the question word."""

from __future__ import annotations

from store.normalize import fold
from store.query import dates
from store.query.lexicon import date_words
from store.query.model import DateRange, Intent
from store.query.stages.state import INTENT_ORDER, MAX_RUN, State, roles
from store.query.tokenizer import SPACE, VERB

# ------------------------------------------------------------------------------------------- date words
ABOUT = ("ごろ", "頃", "ころ")  # 秋ごろ, 夏頃: the time word, roughly — read as the word itself


def _date_word(folded: str, table: dict) -> str:
    """The date word `folded` is (itself, or with 頃/ごろ after it), else ""."""
    if folded in table:
        return folded
    stem = next((folded[: -len(a)] for a in ABOUT if folded.endswith(a) and len(folded) > len(a)), "")
    return stem if stem in table else ""


def claim_date_words(state: State) -> None:
    """夏, 夏休み, 年末年始, 第3四半期 … as whole words → date ranges (rules in data/date_words.tsv)."""
    table = date_words()
    i = 0
    while i < len(state.morphemes):
        hit = None
        for j in range(min(len(state.morphemes), i + MAX_RUN), i, -1):
            if not state.claimed[i] and _date_word(state.folded(i, j), table):
                hit = j
                break
        if hit is None:
            i += 1
            continue
        word = table[_date_word(state.folded(i, hit), table)]
        found = dates.date_word(word, state.lexicon, state.fiscal_year, state.year)
        state.claim(i, hit)
        bound = _bound_after(state, hit)
        if bound is not None and state.lexicon.data_span:  # 年明け以降, 夏まで: open to the data's end or start
            end_word, kind = bound
            first, last = state.lexicon.data_span
            found = [
                DateRange(d.start, max(d.end, last), d.label + "以降")
                if kind == "from"
                else DateRange(min(d.start, first), d.end, d.label + "まで")
                for d in found
            ]
            state.claim(hit, end_word)
            hit = end_word
        negation = _negation_after(state, hit)
        if negation is not None:  # 夏以外
            state.excluded_dates += found
            state.claim(hit, negation)
            hit = negation
        else:
            state.dates += found
        i = hit


# ------------------------------------------------------------------------------------------ vocabulary
BREAKDOWNS = {
    "by_month": "month",
    "by_municipality": "municipality",
    "by_department": "department",
    "count_places": "municipalities",
}


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
        breakdown = next((BREAKDOWNS[role] for role in BREAKDOWNS if role in r), None)
        if breakdown is not None:  # 月別, 自治体別, 課別: counts broken down; 何か所: counts of partners
            state.intents.append(Intent.COUNT)
            if breakdown == "municipalities":
                state.count_of = breakdown
            else:
                state.count_by = breakdown
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


def _bound_after(state: State, j: int) -> tuple[int, str] | None:
    """(end, "from" | "until") for 以降/以後 or まで/以前 right after morpheme j (年明け以降, 夏まで), or None —
    as `store.query.dates` reads them after a written date."""
    if j < len(state.morphemes) and not state.claimed[j]:
        word = state.morphemes[j].surface
        if word in ("以降", "以後"):
            return j + 1, "from"
        if word in ("まで", "以前"):
            return j + 1, "until"
    return None


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


TRAILING = {"where": ("自治体", "交流先", "市町村", "交流自治体", "交流都市", "都市", "相手"), "when": ("期間", "時期", "日程")}
LIST_WORDS = tuple(fold(w) for w in ("一覧", "リスト", "全部", "すべて", "全て"))
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
    last = runs[-1]
    for word in LIST_WORDS:  # 交流自治体の一覧, 交流先リスト: the partners are what is listed
        if last.endswith(word):
            last = last[: -len(word)] or (runs[-2] if len(runs) > 1 else "")
            break
    for intent, words in TRAILING.items():
        if last.endswith(words):
            state.intents.append(Intent(intent))
            return


NOT_ENDINGS = ("ない", "なかっ", "無い", "無かっ", "なく", "無く", "ず")  # 助動詞-ナイ / 形容詞 ない in any form
PLACE_KIND_WORDS = ("市", "町", "村", "区", "県", "ところ", "所")
FORMAL_NOUNS = ("こと", "事", "もの", "の")
LACKING_REACH = 8  # words between the phrase and its ない (を開催していない: を 開催 し て い)


def claim_lacking(state: State) -> None:
    """物産展をやっていない自治体, 給食の交流がない交流先は？, 講演会をしなかったのはどこ: a question about partners
    with ない after a phrase asks for the partners without it — the phrase becomes a lacking term, not a
    word to find. Without a partner word or どこ after it, ない is left alone (it names no records)."""
    ms = state.morphemes
    for k, m in enumerate(ms):
        ending = m.surface in NOT_ENDINGS and m.pos[:1] in (("助動詞",), ("形容詞",))
        polite = m.surface == "ん" and k > 0 and ms[k - 1].surface == "ませ"
        if not (ending or polite):
            continue
        after = fold("".join(x.surface for x in ms[k + 1 :]))
        nxt = next((i for i in range(k + 1, len(ms)) if ms[i].kind != SPACE), None)
        kind_word = nxt is not None and ms[nxt].surface in PLACE_KIND_WORDS  # 開催していない市は？
        if not (kind_word or any(w in after for w in PARTNER_WORDS) or Intent.WHERE in state.intents):
            continue
        end = _phrase_before(state, k)
        if end is None:
            continue
        a = end
        while a > 0 and ms[a - 1].is_content:
            a -= 1
        for i in range(a, end):
            state.lacking[i] = True
        while a >= 2 and ms[a - 1].surface in COORDINATORS + ("の",) and ms[a - 2].is_content:
            a -= 1
            while a > 0 and ms[a - 1].is_content:
                state.lacking[a - 1] = True
                a -= 1
        if kind_word and nxt is not None and not state.claimed[nxt]:
            state.claim(nxt, nxt + 1)
        if Intent.WHERE not in state.intents:
            state.intents.append(Intent.WHERE)


def _phrase_before(state: State, k: int) -> int | None:
    """End (exclusive) of the content phrase a ない at k negates: back over the verb and its particles (を,
    して, いる, た, こと, が), over a noun used as a verb (開催し) and over claimed words (交流), or None."""
    ms = state.morphemes
    j = k - 1
    while j >= 0 and k - j <= LACKING_REACH:
        m = ms[j]
        verbal = m.is_content and j + 1 < k and ms[j + 1].kind == VERB and m.pos[-1:] == ("サ変可能",)
        formal = m.surface in FORMAL_NOUNS  # したことがない
        if m.is_content and not state.claimed[j] and not (verbal or formal):
            return j + 1
        if m.surface in ("、", "。", "？", "?", "!", "！"):
            return None
        j -= 1
    return None
