"""Understanding a question as staff write it: 「金沢の物産展はいつ？」 → places, words, dates and the kind of
answer wanted. `parse(text, lexicon)` is the one entry point; it returns a frozen `Query`.

    >>> q = parse("津和野の給食は？", lexicon)
    >>> q.places[0].label, q.terms[0].text
    ('津和野町', '給食')

How a question is read, in order (each step is a function in `clean`, `dates` or `stages`):

1. clean: emoji and Slack :shortcodes: dropped, invisible characters removed, widths and look-alike
   dashes made one (ＪーＶＥＲ → J-VER);
2. dates written with digits or relative words (R6.11, 11月16日-18日, 今年度, 先月) are read and cut out;
3. the rest is analysed into words (SudachiPy) and particles, verbs and endings (ですか, 教えてください) fall
   away by part of speech;
4. time-of-year words (夏, 夏休み, 年末年始), question words (いつ, どこ, 何件, どの課, 何を), negation (以外,
   じゃない) and "or" (や, または) are claimed;
5. places (金沢, 熊本県内, 東北, 具志川市, 大阪市), then departments (経済課), then what is left are the
   search terms, with spelling variants (こども → 子供・子ども).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from store.normalize import fold, word_chars
from store.query import stages
from store.query.clean import clean
from store.query.dates import explicit_dates
from store.query.english import is_english, to_japanese
from store.query.followup import follow_up, split_questions
from store.query.lexicon import Lexicon
from store.query.message import OUR_DEPARTMENT, split_message, without_introductions
from store.query.model import DateRange, Intent, Note, Place, PlaceKind, Query, Term
from store.query.ranking import Ranking, read_ranking
from store.query.tokenizer import Tokenizer, analyse, default_tokenizer

__all__ = [
    "parse",
    "split_questions",
    "follow_up",
    "Query",
    "Ranking",
    "Term",
    "Place",
    "PlaceKind",
    "DateRange",
    "Intent",
    "Note",
    "Lexicon",
]


MAX_CONTEXT = 5  # earlier questions a follow-up is read with (the newest)
MAX_QUESTION = 2000  # characters read; of a longer message, the end (where the question usually is)
# an aside that says which kind of place was meant, after the name that already says it: 熊本市（県じゃなくて市のほう）
KIND_ASIDE = re.compile(r"[（(][^（）()]{0,12}[県市町村区]\s*(?:じゃ|では|でも)?なく(?:て)?[^（）()]{0,12}[）)]")
# an aside that restates a named part of the year in months, after it: 上半期（4〜9月開始）, 夏（7〜8月）— the
# part's own dates are read; 開始 inside it still says the records count by their start
DATE_ASIDE = re.compile(
    r"(?P<part>上半期|下半期|前半期|後半期|上期|下期|前期|後期|前半|後半|夏|冬|春|秋|休み|年度末|年度初め)"
    r"[（(]\s*[0-9０-９]{1,2}\s*月?\s*(?:[〜~～\-－ー]|から)\s*[0-9０-９]{1,2}\s*月\s*(?P<start>開始|スタート|始まり)?"
    r"\s*(?:の(?:もの|分))?\s*[）)]"
)
QUOTED = re.compile(r"「([^「」]{1,100})」|『([^『』]{1,100})』|\"([^\"]{1,100})\"|“([^“”]{1,100})”")


def parse(text: str, lexicon: Lexicon, tokenizer: Tokenizer | None = None, after: Sequence[str] = ()) -> Query:
    """Read a question. Total: any string in, a Query out; never raises.

    text: as the user typed it (Slack's &lt; &gt; &amp; already unescaped); lexicon: what the store knows
    (`Store.lexicon()`); tokenizer: the analyser (default: SudachiPy, `default_tokenizer()`).

    A message is read by its question (`store.query.message`): greetings, introductions and reasons are
    set aside when the question alone names something to look for — 「お疲れ様です。…昨年度の資料を作って
    います。金沢の物産展はいつ？」 asks about 金沢の物産展, not about 昨年度 — and うちの課 is the department the
    asker named. Text in 「」 or quotes is searched as written.

    after: the earlier questions of the conversation (a Slack thread, `koryu ask --after`), oldest first:
    the question is read as their follow-up (`store.query.followup`: それはいつ？ keeps their places and words).
    """
    if after:
        earlier_queries = [parse(e, lexicon, tokenizer) for e in after[-MAX_CONTEXT:]]
        previous = earlier_queries[0]
        for earlier in earlier_queries[1:]:
            previous = follow_up(earlier, previous)
        current = parse(text, lexicon, tokenizer)
        if current.ranking is not None and current.ranking.order == "compare" and not (current.places or current.dates):
            # どっちが多い？ after 金沢市 / 津和野町: the places the conversation named, one by one
            named = tuple(dict.fromkeys(p for q in earlier_queries for p in q.places))
            if len(named) >= 2:
                return current.replace(places=named, context=tuple(after))
        return follow_up(current, previous).replace(context=tuple(after))
    original = unicodedata.normalize("NFC", text or "")
    notes: list[Note] = []
    original = KIND_ASIDE.sub(" ", original)
    original = DATE_ASIDE.sub(lambda m: m.group("part") + (" 開始 " if m.group("start") else " "), original)
    if len(original) > MAX_QUESTION:
        original = original[-MAX_QUESTION:]
        cut = re.search(r"[\s、。，．,.!?！？]", original[:40])  # start at a word's start, not inside one
        if cut:
            original = original[cut.end() :]
        notes.append(Note("long", f"長い文のため、最後の{MAX_QUESTION:,}文字から探しました"))
    tok = tokenizer or default_tokenizer()
    if is_english(clean(original)):  # "school lunch events": read as the Japanese question it asks
        english = to_japanese(clean(original), lexicon)
        if english.japanese.strip() and not english.names_only:  # not romaji names alone (kanazawa)
            q = _read(original, english.japanese, lexicon, tok, notes)
            text = f"英語の質問を「{english.japanese}」として読みました"
            if english.left_out:
                text += f"（読めなかった語: {', '.join(english.left_out)}）"
            return q.replace(language="en", notes=q.notes + (Note("english", text),))
        if not english.names_only and not english.japanese.strip():  # the of and a: English with nothing to search
            return Query(text=original, language="en", notes=tuple(notes))
    message = split_message(original)
    if message.trimmed:
        bare: Query | None = None  # the question alone, when it names only a date or a question word
        for k, part in enumerate(dict.fromkeys((message.question, message.sentences))):
            if message.ours:  # うちの課, 当課: the asker's department (from the context) — not words to search
                part = OUR_DEPARTMENT.sub(" ", part)
            q = _read(original, part, lexicon, tok, notes)
            subject = bool(q.places or q.terms or q.departments)
            if message.ours:
                q = _our_department(q, message.context, lexicon, tok)
            if k == 0 and message.sentences != message.question and not subject:
                bare = q
                continue
            if bare is not None and q.places:  # 区報で金沢市を特集したく、今年度どのような交流を…: the place from its reasons
                q, part = bare.replace(places=q.places), message.question
            if q.constraints:
                return q.replace(notes=q.notes + (Note("sentence", f"質問の部分「{_short(part)}」から探しました"),))
        if bare is not None and bare.constraints:
            return bare.replace(notes=bare.notes + (Note("sentence", f"質問の部分「{_short(message.question)}」から探しました"),))
        if not message.ours:  # the whole message, but who asks (経済課の渡辺です) is not what is asked about
            rest = without_introductions(original)
            if rest.strip() and rest != original:
                return _read(original, rest, lexicon, tok, notes)
    return _read(original, original, lexicon, tok, notes)


def _our_department(q: Query, context: str, lexicon: Lexicon, tok: Tokenizer) -> Query:
    """うちの課 in the question: the department the asker named in the context (学務課の山田です)."""
    named = _read(context, context, lexicon, tok, []).departments
    if not named:
        return q
    note = Note("ours", f"「うちの課」を{'・'.join(named)}として探しました")
    return q.replace(departments=tuple(dict.fromkeys(q.departments + named)), notes=q.notes + (note,))


def _short(text: str, limit: int = 40) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _read(original: str, text: str, lexicon: Lexicon, tok: Tokenizer, notes: list[Note]) -> Query:
    cleaned = clean(text)
    quoted: list[Term] = []

    def take(m: re.Match) -> str:
        phrase = next(g for g in m.groups() if g)
        if word_chars(phrase):
            quoted.append(Term(phrase, (fold(phrase),)))
        return " "

    cleaned = QUOTED.sub(take, cleaned)
    cleaned, ranking = read_ranking(cleaned)
    found = explicit_dates(cleaned, lexicon)
    found.rest = lexicon.rewrite_readings(found.rest)
    state = stages.State(analyse(found.rest, tok), lexicon, found.fiscal_year, found.year)
    state.dates += found.ranges
    state.excluded_dates += found.excluded
    state.notes += notes + found.notes
    state.terms += quoted
    stages.claim_date_words(state)
    stages.claim_vocabulary(state)
    stages.claim_lacking(state)
    stages.claim_places(state)
    stages.claim_departments(state)
    stages.claim_terms(state)
    stages.claim_verbs(state)
    stages.claim_trailing_intent(state)
    return Query(
        text=original,
        terms=tuple(dict.fromkeys(state.terms)),
        excluded_terms=tuple(dict.fromkeys(state.excluded_terms)),
        places=tuple(state.places),
        excluded_places=tuple(state.excluded_places),
        departments=tuple(state.departments),
        excluded_departments=tuple(state.excluded_departments),
        dates=tuple(dict.fromkeys(state.dates)),
        excluded_dates=tuple(state.excluded_dates),
        lacking_terms=tuple(dict.fromkeys(state.lacking_terms)),
        fiscal_year=found.fiscal_year,
        intent=Intent.RANK if ranking else stages.intent_of(state),
        ranking=ranking,
        everything=state.asked or ranking is not None,
        count_by=state.count_by,
        count_of=state.count_of,
        notes=tuple(state.notes),
    )
