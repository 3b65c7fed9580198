"""The stages of reading a question, each a small function over the analysed words that claims some of
them and records what it understood. Order matters and is fixed in `store.query.parse`:

    date words → vocabulary (question words, negation, or, counts) → places → departments → terms → verbs
    → the question word a question ends on

A *chunk* is a run of content words (nouns, prefixes, suffixes) unbroken by a particle, a verb or a
space: 「津和野の給食は？」 has the chunks 津和野 and 給食. Places and departments are found inside chunks at
word boundaries; what no stage claims becomes search terms, with spelling variants. Each stage has a
table of questions in tests/store/test_query.py, with no database.

- `vocabulary` — date words, question words → intent, negation (以外, じゃない), or (や, または), the trailing
  question noun (自治体は？);
- `places` — municipalities, prefectures and their scope, regions, former names, real places with none;
- `departments` — 所管課 by name;
- `terms` — the words to find, with their spellings; a verb when it is the only content.
"""

from __future__ import annotations

from store.query.stages.departments import claim_departments
from store.query.stages.places import claim_places, place_suggestions, romaji_key
from store.query.stages.state import INTENT_ORDER, MAX_RUN, State, intent_of, roles
from store.query.stages.terms import claim_terms, claim_verbs, compound_words, make_term
from store.query.stages.vocabulary import (
    claim_date_words,
    claim_lacking,
    claim_trailing_intent,
    claim_vocabulary,
)

__all__ = [
    "INTENT_ORDER",
    "MAX_RUN",
    "State",
    "roles",
    "intent_of",
    "claim_date_words",
    "claim_vocabulary",
    "claim_lacking",
    "claim_trailing_intent",
    "claim_places",
    "claim_departments",
    "claim_terms",
    "claim_verbs",
    "make_term",
    "compound_words",
    "place_suggestions",
    "romaji_key",
]
