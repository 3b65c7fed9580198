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

import unicodedata

from store.query import stages
from store.query.clean import clean
from store.query.dates import explicit_dates
from store.query.lexicon import Lexicon
from store.query.model import DateRange, Intent, Note, Place, PlaceKind, Query, Term
from store.query.tokenizer import Tokenizer, analyse, default_tokenizer

__all__ = ["parse", "Query", "Term", "Place", "PlaceKind", "DateRange", "Intent", "Note", "Lexicon"]


def parse(text: str, lexicon: Lexicon, tokenizer: Tokenizer | None = None) -> Query:
    """Read a question. Total: any string in, a Query out; never raises.

    text: as the user typed it (Slack's &lt; &gt; &amp; already unescaped); lexicon: what the store knows
    (`Store.lexicon()`); tokenizer: the analyser (default: SudachiPy, `default_tokenizer()`).
    """
    original = unicodedata.normalize("NFC", text or "")[:500]
    cleaned = clean(original)
    found = explicit_dates(cleaned, lexicon)
    found.rest = lexicon.rewrite_readings(found.rest)
    state = stages.State(analyse(found.rest, tokenizer or default_tokenizer()), lexicon, found.fiscal_year, found.year)
    state.dates += found.ranges
    state.notes += found.notes
    stages.claim_date_words(state)
    stages.claim_vocabulary(state)
    stages.claim_places(state)
    stages.claim_departments(state)
    stages.claim_terms(state)
    stages.claim_verbs(state)
    return Query(
        text=original,
        terms=tuple(state.terms),
        excluded_terms=tuple(state.excluded_terms),
        places=tuple(state.places),
        excluded_places=tuple(state.excluded_places),
        departments=tuple(state.departments),
        excluded_departments=tuple(state.excluded_departments),
        dates=tuple(state.dates),
        fiscal_year=found.fiscal_year,
        intent=stages.intent_of(state),
        count_by=state.count_by,
        notes=tuple(state.notes),
        everything=state.asked,
    )
